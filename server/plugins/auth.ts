/**
 * Authentication: tokens signed with AUTH_SECRET, expiring after TOKEN_TTL, sent as `Authorization: Bearer` by
 * API clients or as the HttpOnly session cookie by the web apps (see session-cookie.ts: a cookie-authenticated
 * unsafe request also needs its CSRF token). Each request checks
 * the account as the database has it now (kept in memory until the database announces a change, see
 * accounts.ts), so a deactivated account or a changed role takes effect at once; a token carries the
 * user's token version, which logging out increments, so a token is revoked server-side.
 * `app.authenticate` guards every /api route except health and login; `requireGroup` narrows further to a named role group.
 */
import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';
import { ForbiddenError, UnauthenticatedError } from '../../core/errors';
import { UserEntity, type Role, type User } from '../../core/db/entities';
import { inGroup, leaderGroup, ROLE_GROUPS, type RoleGroup } from '../../core/vocabulary';
import { AccountCache } from './accounts';
import { clearSessionCookies, csrfPasses, SESSION_COOKIE } from './session-cookie';
import { UUID } from '../schemas';

export interface CurrentUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
  /** Candidate groups this user works for: office roles and the user's own unit. */
  groups: string[];
  /** Level-1 users (hotline office, operators, admins) see every work order. */
  cityWide: boolean;
  /** Signed in with a password an admin generated: only setting their own is allowed (PASSWORD_CHANGE_ROUTES). */
  mustChangePassword: boolean;
}

/** What a user whose password must change may still do: see who they are, set their password, sign out. */
const PASSWORD_CHANGE_ROUTES = new Set(['GET /api/me', 'POST /api/me/password', 'POST /api/auth/logout']);

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void>;
    accounts: AccountCache<User>;
    /** What the session cookies need: the secret their CSRF token is derived with, and whether they are Secure. */
    sessionCookie: { secret: string; secure: boolean };
  }
  interface FastifyRequest {
    currentUser: CurrentUser;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; ver: number };
    user: { sub: string; ver?: number };
  }
}

export function groupsOf(roles: Role[], unitId: string | null): string[] {
  const groups: string[] = roles.filter((r) => inGroup([r], 'cityWide'));
  if (unitId && inGroup(roles, 'unitStaff')) groups.push(unitId);
  // A unit leader also signs off what the diagram reserves for the unit's leadership (group `leader:<unit>`).
  if (unitId && roles.includes('unit_leader')) groups.push(leaderGroup(unitId));
  return groups;
}

/** Lets a request through when one of the user's roles is in the named group (core/vocabulary.ts ROLE_GROUPS). */
export function requireGroup(group: RoleGroup) {
  const roles: readonly string[] = ROLE_GROUPS[group];
  return async (req: FastifyRequest) => {
    if (!inGroup(req.currentUser.roles, group))
      throw new ForbiddenError(`需要以下角色之一：${roles.join('、')}`, `requires one of the roles: ${roles.join(', ')}`);
  };
}

export default fp(async function auth(app: FastifyInstance, opts: { ds: DataSource; secret: string; ttl: string; cookieSecure: boolean }) {
  await app.register(cookie);
  await app.register(jwt, { secret: opts.secret, sign: { expiresIn: opts.ttl } });
  app.decorate('sessionCookie', { secret: opts.secret, secure: opts.cookieSecure });
  const users = opts.ds.getRepository(UserEntity);
  const accounts = new AccountCache<User>(
    (opts.ds.options as { url: string }).url,
    (id) => users.findOneBy({ id, active: true }),
    (message) => app.log.warn(message),
  );
  await accounts.start();
  app.decorate('accounts', accounts);
  app.addHook('onClose', () => accounts.stop());
  app.decorateRequest('currentUser', null as unknown as CurrentUser);

  app.decorate('authenticate', async (req: FastifyRequest, reply: FastifyReply) => {
    // The bearer header first (API clients), else the session cookie (the web apps).
    const fromCookie = req.headers.authorization === undefined ? req.cookies[SESSION_COOKIE] : undefined;
    // A refused session cookie is cleared too, so the browser stops sending it.
    const refuse = (zh: string, en: string): never => {
      if (fromCookie !== undefined) clearSessionCookies(req, reply, opts.cookieSecure);
      throw new UnauthenticatedError(zh, en);
    };
    let claims: { sub: string; ver?: number };
    try {
      claims = fromCookie === undefined ? await req.jwtVerify<{ sub: string; ver?: number }>() : app.jwt.verify<{ sub: string; ver?: number }>(fromCookie);
    } catch {
      return refuse('未登录或登录已过期，请重新登录', 'missing, invalid or expired bearer token or session cookie');
    }
    // Only a token this server issued names an account: a user id (a uuid), a version. Anything else is no session.
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub) || (claims.ver !== undefined && !Number.isInteger(claims.ver)))
      return refuse('登录凭据无效，请重新登录', 'the token names no account');
    if (fromCookie !== undefined && !csrfPasses(req, opts.secret, fromCookie)) {
      throw new ForbiddenError(
        '请求缺少有效的 CSRF 令牌，请刷新页面后重试',
        'a cookie-authenticated request must carry the X-CSRF-Token header of its session',
        { code: 'csrf', field: 'X-CSRF-Token' },
      );
    }
    const user = await accounts.get(claims.sub);
    if (!user) return refuse('账号不存在或已停用', 'account not found or deactivated');
    if ((claims.ver ?? 0) !== user.tokenVersion) return refuse('已退出登录，请重新登录', 'token was revoked by logging out');
    req.currentUser = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      unitId: user.unitId,
      groups: groupsOf(user.roles, user.unitId),
      cityWide: inGroup(user.roles, 'cityWide'),
      mustChangePassword: user.mustChangePassword,
    };
    if (user.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${req.method} ${req.routeOptions.url ?? ''}`)) {
      throw new ForbiddenError('请先修改管理员重置的临时密码', 'set your own password first (the temporary one works only for that)', {
        code: 'password_change_required',
      });
    }
  });
});
