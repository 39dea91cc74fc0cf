/**
 * The schema pieces the API routes share, written once in TypeBox: each is the JSON schema fastify validates
 * and serializes with, and (through `Static`) the TypeScript type of what it describes.
 */
import { Type, type ObjectOptions, type SchemaOptions, type Static, type TProperties, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { VISIBLE_CHAR } from '../core/cases/limits';
import { CASE_FLAGS, CASE_STATUSES, CATEGORIES, CHANNELS, PHONE_PATTERN, ROLES } from '../core/vocabulary';

export { Type, type Static };

/** One of a fixed list of strings, as a JSON `enum` (so a refusal lists the allowed values). */
export function StringEnum<T extends string>(values: readonly T[], options: SchemaOptions = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** A value or null, as `type: [..., 'null']` (fastify's serializer writes it without trying alternatives). */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  const { type, ...rest } = schema as unknown as { type: string };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'] });
}

/**
 * An object the API answers with. Every property it may carry is declared (fastify's serializer drops the
 * undeclared ones), none is enforced: a missing one is left out rather than failing the answer.
 */
export function ResponseObject<P extends TProperties>(properties: P, options?: ObjectOptions) {
  return Type.Partial(Type.Object(properties), options);
}

/** An instant as ISO 8601 (the API's only form of a date-time). */
export const DateTime = Type.String({ format: 'date-time' });

/**
 * The one shape of every refusal: { error: { code, field?, message: { zh, en } } }. Some refusals add data
 * beside `error` (lint problems, deployment impacts), hence additional properties.
 */
export const ApiErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'not_found, conflict, forbidden, invalid_input, engine_unavailable… (README "Errors")' }),
      field: Type.Optional(
        Type.String({
          description: 'the request field at fault: a body field by its path (citizen.phone), others with their part (querystring.status, params.id)',
        }),
      ),
      message: Type.Object({ zh: Type.String(), en: Type.String() }),
    }),
  },
  { $id: 'ApiError', title: 'ApiError', additionalProperties: true },
);
export type ApiErrorBody = Static<typeof ApiErrorSchema>;
/** Where a route's response schema points for a refusal. */
export const ApiErrorRef = Type.Unsafe<ApiErrorBody>(Type.Ref('ApiError'));

/** An id of ours (work orders, accounts, attachments: PostgreSQL uuids), for checks outside a schema. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A work order's id (uuid), the params of every `/api/cases/:id…` route. */
export const CaseIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** An engine id (task, process instance): letters, digits and dashes. */
export const EngineId = Type.String({ pattern: '^[0-9a-zA-Z-]{1,64}$' });
export const EngineIdParams = Type.Object({ id: EngineId });

/** The last page any list may be asked for: its offset stays within a 32-bit integer (PostgreSQL, the engine). */
export const MAX_PAGE = 1_000_000;

/** Page n (from 1) of pageSize items; `maxPageSize` and `defaultPageSize` per list. */
export function Pagination(defaultPageSize: number, maxPageSize: number) {
  return {
    page: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: maxPageSize, default: defaultPageSize }),
  };
}

/** A phone number as citizens and units give it (core/vocabulary.ts PHONE_PATTERN), the whole string. */
export const Phone = Type.String({ pattern: `^${PHONE_PATTERN}$` });

export const CaseStatusSchema = StringEnum(CASE_STATUSES);
export const CategorySchema = StringEnum(CATEGORIES);
export const ChannelSchema = StringEnum(CHANNELS);
export const CaseFlagSchema = StringEnum(CASE_FLAGS);
export const RoleSchema = StringEnum(ROLES);

/** Text a person types: at least one visible character (a letter, digit, punctuation or symbol: blank or only zero-width marks is refused), at most `max` characters. */
export const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: VISIBLE_CHAR.source });
