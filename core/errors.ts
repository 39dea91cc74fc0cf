/**
 * The error taxonomy, in one place.
 *
 * For workers (external tasks):
 * - BusinessError: an outcome the diagram decides on; workers raise it as a BPMN error the diagram catches.
 * - TransientError (and its kinds below): a fault that may pass (network, lock, restart); workers report a
 *   failure with retries and back-off. `isTransient` also knows PostgreSQL's and the network's passing faults.
 * - any other Error: permanent; workers report a failure with no retries left, which the engine turns into an incident.
 *
 * At the API boundary every refusal is one shape, `{ error: { code, field?, message: { zh, en } } }`
 * (server/plugins/errors.ts), its code fixed by its class:
 * - ValidationError → 400/422 `invalid_input`: bad input, naming the field.
 * - UnauthenticatedError → 401 `unauthenticated`; ForbiddenError → 403 `forbidden`.
 * - NotFoundError → 404 `not_found`; ConflictError → 409 `conflict` (also ConcurrentUpdateError).
 * - EngineUnavailableError → 503 `engine_unavailable`; a database out of reach → 503 `database_unavailable`;
 *   a clash with another writer in the database (unique key, serialization, deadlock) → 409 `conflict`.
 * A refusal may carry a more specific code (`lint_failed`, `confirmation_required`…) and data beside `error`
 * (lint problems, deployment impacts) that a client acts on.
 */
export class BusinessError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}

export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

/** The engine cannot be reached (connection refused, reset or timed out) or its gateway answers 502/503/504. */
export class EngineUnavailableError extends TransientError {
  constructor(message: string) {
    super(message);
    this.name = 'EngineUnavailableError';
  }
}

/** Two writers changed the same thing at once (the engine's optimistic locking): trying again succeeds. */
export class ConcurrentUpdateError extends TransientError {
  constructor(message: string) {
    super(message);
    this.name = 'ConcurrentUpdateError';
  }
}

/** What a refusal may add to its class: a more specific code, and data sent beside `error`. */
export interface RefusalDetail {
  code?: string;
  extra?: Record<string, unknown>;
}

/** A refusal at the API boundary: HTTP status, code, the field at fault, and the message in Chinese and English. */
export abstract class Refusal extends Error {
  abstract readonly statusCode: number;
  readonly code: string;
  readonly extra: Record<string, unknown>;
  constructor(
    defaultCode: string,
    readonly field: string | undefined,
    readonly zh: string,
    readonly en: string,
    detail: RefusalDetail = {},
  ) {
    super(field ? `${field}: ${en}` : en);
    this.name = new.target.name;
    this.code = detail.code ?? defaultCode;
    this.extra = detail.extra ?? {};
  }
}

/** Bad input: 400 when the request is malformed, 422 when it is well formed but cannot be accepted. */
export class ValidationError extends Refusal {
  declare readonly field: string;
  constructor(
    field: string,
    zh: string,
    en: string,
    readonly statusCode: 400 | 422 = 422,
    detail?: RefusalDetail,
  ) {
    super('invalid_input', field, zh, en, detail);
  }
}

/** An upload larger than its route accepts: 413 `body_too_large`, naming the field. */
export class TooLargeError extends Refusal {
  readonly statusCode = 413;
  constructor(field: string, zh: string, en: string) {
    super('body_too_large', field, zh, en);
  }
}

export class NotFoundError extends Refusal {
  readonly statusCode = 404;
  /** `field` names what was looked for (the route parameter or body field that names it). */
  constructor(field: string, zh: string, en: string) {
    super('not_found', field, zh, en);
  }
}

/** The request is valid but clashes with the current state (already claimed, already exists, already published). */
export class ConflictError extends Refusal {
  readonly statusCode = 409;
  constructor(field: string | undefined, zh: string, en: string, detail?: RefusalDetail) {
    super('conflict', field, zh, en, detail);
  }
}

export class ForbiddenError extends Refusal {
  readonly statusCode = 403;
  constructor(zh: string, en: string, detail?: RefusalDetail & { field?: string }) {
    super('forbidden', detail?.field, zh, en, detail);
  }
}

export class UnauthenticatedError extends Refusal {
  readonly statusCode = 401;
  constructor(zh: string, en: string, detail?: RefusalDetail & { field?: string }) {
    super('unauthenticated', detail?.field, zh, en, detail);
  }
}

/** PostgreSQL and network faults that pass on their own: connection loss, serialization conflicts, deadlocks. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003', '40001', '40P01', '53300']);

/** Faults meaning the database is out of reach (down, restarting, refusing connections), not that a query was wrong. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
/** pg's own words when a connection dies or cannot be had in time (these errors carry no code). */
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable/i;

/** PostgreSQL's answer to two writers at once: a unique key taken meanwhile, a serialization failure, a deadlock. */
const CONFLICT_CODES = new Set(['23505', '40001', '40P01']);

function codeOf(e: unknown): unknown {
  const err = e as { code?: unknown; driverError?: { code?: unknown }; errors?: { code?: unknown }[] } | null;
  // Node reports a refused localhost connection tried on IPv4 and IPv6 as an AggregateError of both.
  return err?.driverError?.code ?? err?.code ?? err?.errors?.[0]?.code;
}

export function isTransient(e: unknown): boolean {
  if (e instanceof TransientError) return true;
  const code = codeOf(e);
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

/** Whether an error of the data layer (pg, TypeORM) is a clash with another writer, which a retry or a reload resolves. */
export function isDatabaseConflict(e: unknown): boolean {
  const code = codeOf(e);
  return typeof code === 'string' && CONFLICT_CODES.has(code);
}

/** Whether an error of the data layer (pg, TypeORM) means PostgreSQL cannot be reached. The engine client wraps its own network faults. */
export function isDatabaseUnreachable(e: unknown): boolean {
  if (e instanceof TransientError) return false;
  const code = codeOf(e);
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const driverMessage = (e as { driverError?: { message?: unknown } } | null)?.driverError?.message;
  return e instanceof Error && (UNREACHABLE_MESSAGES.test(e.message) || (typeof driverMessage === 'string' && UNREACHABLE_MESSAGES.test(driverMessage)));
}
