/**
 * Authentication: bearer tokens signed with AUTH_SECRET, expiring after TOKEN_TTL. Each request checks
 * the account as the database has it now (kept in memory until the database announces a change, see
 * accounts.ts), so a deactivated account or a changed role takes effect at once; a token carries the
 * user's token version, which logging out increments, so a token is revoked server-side.
 * `app.authenticate` guards every /api route except health and login; `requireRole` narrows further.
 */
import jwt from '@fastify/jwt';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';
import { ForbiddenError, UnauthenticatedError } from '../../core/errors';
import { UserEntity, type Role, type User } from '../../core/db/entities';
import { AccountCache } from './accounts';

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
}

declare module 'fastify' {
  interface FastifyInstance {
    authenticate(req: FastifyRequest): Promise<void>;
    accounts: AccountCache<User>;
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

const OFFICE_ROLES: Role[] = ['admin', 'operator', 'office'];

export function groupsOf(roles: Role[], unitId: string | null): string[] {
  const groups: string[] = roles.filter((r) => OFFICE_ROLES.includes(r));
  if (unitId && roles.some((r) => r === 'unit_handler' || r === 'unit_leader')) groups.push(unitId);
  // A unit leader also signs off what the diagram reserves for the unit's leadership (group `leader:<unit>`).
  if (unitId && roles.includes('unit_leader')) groups.push(`leader:${unitId}`);
  return groups;
}

export function requireRole(...roles: Role[]) {
  return async (req: FastifyRequest) => {
    if (!req.currentUser.roles.some((r) => roles.includes(r))) throw new ForbiddenError(`需要以下角色之一：${roles.join('、')}`, `requires one of the roles: ${roles.join(', ')}`);
  };
}

export default fp(async function auth(app: FastifyInstance, opts: { ds: DataSource; secret: string; ttl: string }) {
  await app.register(jwt, { secret: opts.secret, sign: { expiresIn: opts.ttl } });
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

  app.decorate('authenticate', async (req: FastifyRequest) => {
    let claims: { sub: string; ver?: number };
    try {
      claims = await req.jwtVerify<{ sub: string; ver?: number }>();
    } catch {
      throw new UnauthenticatedError('未登录或登录已过期，请重新登录', 'missing, invalid or expired bearer token');
    }
    const user = await accounts.get(claims.sub);
    if (!user) throw new UnauthenticatedError('账号不存在或已停用', 'account not found or deactivated');
    if ((claims.ver ?? 0) !== user.tokenVersion) throw new UnauthenticatedError('已退出登录，请重新登录', 'token was revoked by logging out');
    req.currentUser = {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      unitId: user.unitId,
      groups: groupsOf(user.roles, user.unitId),
      cityWide: user.roles.some((r) => OFFICE_ROLES.includes(r)),
    };
  });
});
