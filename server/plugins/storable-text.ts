/**
 * Text the database can store: a NUL character (PostgreSQL refuses it in text) or a lone UTF-16 surrogate (not
 * Unicode; refused in JSON columns) anywhere in a request's body or query is refused with 400 naming the field,
 * before any route reads it — rather than failing half-way into a write as a fault of ours. So is a body nested
 * deeper than any request of this API needs (JSON.parse reads 200,000 levels; walking them would overflow the stack).
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { UNSTORABLE_TEXT as UNSTORABLE } from '../../core/cases/limits';
import { ValidationError } from '../../core/errors';

/** Levels of arrays and objects a request may nest: far beyond any form's variables. */
export const MAX_JSON_DEPTH = 32;

export interface TextFault {
  path: string;
  fault: 'unstorable' | 'too_deep';
}

/** The first string (or key) in a JSON value that the database cannot store, or the first level too deep, if any. */
export function textFaultAt(value: unknown, path: string, depth = 0): TextFault | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? { path, fault: 'unstorable' } : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return { path, fault: 'too_deep' };
  for (const [key, child] of Object.entries(value)) {
    const at = [path, key].filter(Boolean).join('.');
    if (UNSTORABLE.test(key)) return { path: at, fault: 'unstorable' };
    const found = textFaultAt(child, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export default fp(async function storableText(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const found = textFaultAt(req.body, '') ?? textFaultAt(req.query, '');
    if (found === undefined) return;
    const field = found.path || 'body';
    if (found.fault === 'too_deep')
      throw new ValidationError(field, `字段 ${field} 嵌套超过 ${MAX_JSON_DEPTH} 层`, `${field} is nested deeper than ${MAX_JSON_DEPTH} levels`, 400);
    throw new ValidationError(
      field,
      `字段 ${field} 含有无法保存的字符（空字符或不成对的代理项）`,
      `${field} contains a character that cannot be stored (NUL or an unpaired surrogate)`,
      400,
    );
  });
});
