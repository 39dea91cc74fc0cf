/**
 * Request validation: one Ajv per kind of input. A URL's query, params and headers are text, so their numbers and
 * booleans are read from it ("page=2", "active=true"); a JSON body already carries types, so it is taken as sent:
 * `{"content": 123}` or `{"active": "false"}` is refused (400 naming the field), never read as "123" or true.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { Ajv, ValidatorFactory } from '@fastify/ajv-compiler';
import { isDay, parseInstant } from '../core/instants';

const shared = { removeAdditional: false, allErrors: false, useDefaults: true } as const;

/** `date` and `date-time` mean a real day and instant within the years the system can hold (core/instants.ts). */
const onCreate = (ajv: Ajv) => {
  ajv.addFormat('date', { type: 'string', validate: isDay });
  ajv.addFormat('date-time', { type: 'string', validate: (text: string) => parseInstant(text) !== null });
};

/** One pool for the process: each set of shared schemas and options gets its Ajv instance once. */
const pool = AjvCompiler();

export const buildValidator: ValidatorFactory = (externalSchemas) => {
  const fromText = pool(externalSchemas, { customOptions: { ...shared, coerceTypes: 'array' }, onCreate });
  const asSent = pool(externalSchemas, { customOptions: { ...shared, coerceTypes: false }, onCreate });
  return (route) => (route.httpPart === 'body' ? asSent(route) : fromText(route));
};
