/**
 * A token is a session only when it names an account as this server's tokens do: a user id (UUID) and an integer
 * version. A token signed with the right secret but naming nothing, or something else, is 401 — never the first
 * account the database finds, never a 500.
 */
import { createHmac } from 'node:crypto';
import { loadConfig } from '../../core/config';
import { http } from './helpers';

/** An HS256 JWT with the server's secret and the given claims. */
function signed(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600, ...claims })}`;
  return `${body}.${createHmac('sha256', loadConfig().auth.secret).update(body).digest('base64url')}`;
}

describe('token claims', () => {
  it.each([
    ['no sub', {}],
    ['a sub that is no id', { sub: "' OR 1=1--" }],
    ['a sub that is an object', { sub: {} }],
    ['a version that is no integer', { sub: '00000000-0000-4000-8000-000000000000', ver: 'x' }],
  ])('given a well-signed token with %s, when used, then 401 in the one error shape', async (_what, claims) => {
    const res = await http('GET', '/api/dispatch-model', { token: signed(claims) });
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'unauthenticated', message: { zh: expect.any(String), en: expect.any(String) } });
  });
});
