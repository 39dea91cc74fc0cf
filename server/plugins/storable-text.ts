/**
 * Text the database can store: a NUL character (PostgreSQL refuses it in text) or a lone UTF-16 surrogate (not
 * Unicode; refused in JSON columns) anywhere in a request's body or query is refused with 400 naming the field,
 * before any route reads it — rather than failing half-way into a write as a fault of ours.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { UNSTORABLE_TEXT as UNSTORABLE } from '../../core/cases/limits';
import { ValidationError } from '../../core/errors';

/** The path of the first string (or key) in a JSON value that the database cannot store, if any. */
export function unstorableAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const at = [path, key].filter(Boolean).join('.');
    if (UNSTORABLE.test(key)) return at;
    const found = unstorableAt(child, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

export default fp(async function storableText(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    const at = unstorableAt(req.body, '') ?? unstorableAt(req.query, '');
    if (at === undefined) return;
    const field = at || 'body';
    throw new ValidationError(
      field,
      `字段 ${field} 含有无法保存的字符（空字符或不成对的代理项）`,
      `${field} contains a character that cannot be stored (NUL or an unpaired surrogate)`,
      400,
    );
  });
});
