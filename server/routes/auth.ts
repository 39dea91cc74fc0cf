import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UserEntity } from '../../core/db/entities';
import { UnauthenticatedError } from '../../core/errors';
import { passwordMatches } from '../../core/passwords';
import type { AppDeps } from '../app';
import { clearSessionCookies, setSessionCookies } from '../plugins/session-cookie';
import { ResponseObject, Type, type Static } from '../schemas';
import { UserSchema } from './users';

/**
 * Login: username + password → a token, returned in JSON for API clients and set as the HttpOnly session cookie
 * (with its CSRF cookie) for the web apps. Each attempt is audited with the username tried. Logout revokes the
 * token (and every other token of the account) by incrementing the user's token version, and clears the cookies.
 *
 * Throttled three ways, each per minute: LOGIN_RATE_LIMIT per address and account; ACCOUNT_FACTOR times that per
 * account across addresses (guessing one password from many addresses); ADDRESS_FACTOR times that per address
 * across accounts (spraying one password over many accounts). The address is the client's as a trusted proxy
 * reports it (TRUST_PROXY). An unknown or deactivated username costs a bcrypt comparison too (against a dummy
 * hash), so the answer's timing does not tell which usernames exist.
 */
export const ACCOUNT_FACTOR = 5;
export const ADDRESS_FACTOR = 10;

const usernameOf = (req: FastifyRequest) => String((req.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase();
const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 60 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** How long a temporary password from an admin's reset opens the account (only to set one's own). */
export const TEMPORARY_PASSWORD_TTL_MS = 24 * 3600_000;

export default async function authRoutes(app: FastifyInstance, { ds }: AppDeps) {
  const users = ds.getRepository(UserEntity);
  // The same cost as the accounts' hashes (bcrypt, 10 rounds); its password is never known to anyone.
  const dummyHash = await bcrypt.hash(randomBytes(24).toString('hex'), 10);
  // Three counters per attempt; any one over its limit refuses it (429, the common shape, with Retry-After).
  const limiters = [
    { max: app.loginRateLimit, key: (req: FastifyRequest) => `login-address-account|${req.ip}|${usernameOf(req)}` },
    { max: app.loginRateLimit * ACCOUNT_FACTOR, key: (req: FastifyRequest) => `login-account|${usernameOf(req)}` },
    { max: app.loginRateLimit * ADDRESS_FACTOR, key: (req: FastifyRequest) => `login-address|${req.ip}` },
  ].map(({ max, key }) => app.createRateLimit({ max, timeWindow: '1 minute', keyGenerator: key }));
  async function throttle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const results = await Promise.all(limiters.map((check) => check(req)));
    const exceeded = results.flatMap((r) => (!r.isAllowed && r.isExceeded ? [r.ttlInSeconds] : []));
    if (exceeded.length === 0) return;
    app.metrics.loginFailures.inc({ reason: 'rate_limited' });
    reply.header('retry-after', String(Math.max(...exceeded)));
    throw Object.assign(new Error('too many login attempts'), { statusCode: 429 });
  }
  app.post<{ Body: Static<typeof LoginBody> }>(
    '/api/auth/login',
    {
      preHandler: throttle,
      schema: {
        tags: ['认证'],
        summary: '登录',
        body: LoginBody,
        response: { 200: ResponseObject({ token: Type.String(), expiresIn: Type.String(), user: UserSchema }) },
      },
    },
    async (req, reply) => {
      const user = await users.findOneBy({ username: req.body.username, active: true });
      const matches = await passwordMatches(req.body.password, user?.passwordHash ?? dummyHash);
      if (!user || !matches) {
        app.metrics.loginFailures.inc({ reason: 'bad_credentials' });
        await app.auditOrLog(req, { action: 'login-failed', resource: 'auth', username: req.body.username, roles: [], detail: { status: 401 } });
        throw new UnauthenticatedError('用户名或密码错误', 'wrong username or password', { code: 'bad_credentials', field: 'password' });
      }
      // ASVS V2.3.1: a temporary password an admin handed out works for a short time only.
      if (user.mustChangePassword && Date.now() - (user.passwordChangedAt?.getTime() ?? 0) > TEMPORARY_PASSWORD_TTL_MS) {
        app.metrics.loginFailures.inc({ reason: 'temporary_password_expired' });
        await app.auditOrLog(req, {
          action: 'login-failed',
          resource: 'auth',
          username: user.username,
          roles: [],
          detail: { status: 401, reason: 'temporary password expired' },
        });
        throw new UnauthenticatedError('临时密码已过期，请联系管理员重新重置', 'the temporary password has expired; ask an administrator to reset it again', {
          code: 'temporary_password_expired',
          field: 'password',
        });
      }
      await app.auditOrLog(req, {
        action: 'login',
        resource: 'auth',
        resourceId: user.id,
        username: user.username,
        roles: user.roles,
        detail: { status: 200 },
      });
      const token = app.jwt.sign({ sub: user.id, ver: user.tokenVersion });
      setSessionCookies(req, reply, { ...app.sessionCookie, token });
      return { token, expiresIn: app.tokenTtl, user };
    },
  );

  app.post(
    '/api/auth/logout',
    { onRequest: app.authenticate, schema: { tags: ['认证'], summary: '退出登录：本账号已签发的令牌全部作废', security: [{ bearer: [] }] } },
    async (req, reply) => {
      await users.increment({ id: req.currentUser.id }, 'tokenVersion', 1);
      app.accounts.forget(req.currentUser.id);
      req.auditNote = { action: 'logout', resource: 'auth', resourceId: req.currentUser.id };
      clearSessionCookies(req, reply, app.sessionCookie.secure);
      return reply.code(204).send();
    },
  );
}
