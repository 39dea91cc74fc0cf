/**
 * The browser's session (OWASP ASVS V3): the signed token rides in an HttpOnly, SameSite=Strict cookie that
 * scripts cannot read, and a readable `hotline_csrf` cookie holds the token's HMAC, which the web apps send back
 * in X-CSRF-Token on every unsafe request (double submit bound to the session). API clients keep using
 * `Authorization: Bearer`, which a browser never sends by itself, so they need no CSRF token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'hotline_session';
export const CSRF_COOKIE = 'hotline_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The CSRF token of a session: an HMAC of its token, so it cannot be forged without the server's secret. */
export function csrfToken(secret: string, sessionToken: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionToken}`).digest('base64url');
}

/** Whether an unsafe request authenticated by the cookie carries the session's CSRF token. */
export function csrfPasses(req: FastifyRequest, secret: string, sessionToken: string): boolean {
  if (SAFE_METHODS.has(req.method)) return true;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string') return false;
  const expected = Buffer.from(csrfToken(secret, sessionToken));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Secure when configured (TLS ended before us) or when this request itself came over TLS. */
const options = (req: FastifyRequest, secureConfigured: boolean) => ({
  path: '/',
  sameSite: 'strict' as const,
  secure: secureConfigured || req.protocol === 'https',
});

export function setSessionCookies(req: FastifyRequest, reply: FastifyReply, opts: { secret: string; secure: boolean; token: string }): void {
  reply.setCookie(SESSION_COOKIE, opts.token, { ...options(req, opts.secure), httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfToken(opts.secret, opts.token), { ...options(req, opts.secure), httpOnly: false });
}

export function clearSessionCookies(req: FastifyRequest, reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { ...options(req, secure), httpOnly: true });
  reply.clearCookie(CSRF_COOKIE, options(req, secure));
}
