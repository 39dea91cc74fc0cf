import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnitEntity, UserEntity, type Role, type User } from '../../core/db/entities';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors';
import { passwordMatches, passwordProblem, PASSWORD_MAX } from '../../core/passwords';
import { inGroup, ROLE_GROUPS } from '../../core/vocabulary';
import { oneAtATime } from '../../core/db/lock';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { setSessionCookies } from '../plugins/session-cookie';
import { Nullable, Pagination, ResponseObject, RoleSchema, Text, Type, type Static } from '../schemas';

/** An account as the API shows it (never its password hash). */
export const UserSchema = ResponseObject({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  unitId: Nullable(Type.String()),
  active: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
  passwordChangedAt: Nullable(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
});

const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX, description: '至少 12 个字符，不能是常见密码或包含用户名' });
const Roles = Type.Array(RoleSchema, { minItems: 1, uniqueItems: true });
const UnitId = Nullable(Type.String({ maxLength: 40 }));

const NewUserBody = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,59}$' }),
    password: Password,
    displayName: Text(100),
    roles: Roles,
    unitId: Type.Optional(UnitId),
  },
  { additionalProperties: false },
);
const UserQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 60 })), active: Type.Optional(Type.Boolean()), ...Pagination(50, 200) },
  { additionalProperties: false },
);
const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const UserPatch = Type.Object(
  {
    displayName: Type.Optional(Text(100)),
    roles: Type.Optional(Roles),
    unitId: Type.Optional(UnitId),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
const ResetBody = Type.Object({ password: Type.Optional(Password) }, { additionalProperties: false });
const OwnPasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: PASSWORD_MAX }), newPassword: Password },
  { additionalProperties: false },
);

const admin = { tags: ['用户'], security: [{ bearer: [] }] };

/** A password the rule accepts (core/passwords.ts), else 422 naming the field. */
function checkPassword(password: string, username: string, field: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new ValidationError(field, problem.zh, problem.en, 422, { code: 'weak_password' });
}

/**
 * Accounts (ASVS V2.1, V2.5, V4.1): an admin creates, lists, changes (name, roles, unit), deactivates and re-enables
 * them and resets their password — to one the admin sets, or to a generated one that works once, to set the user's
 * own. A user changes their own password with the current one. Every change ends the account's other sessions
 * (token version), and is audited by the audit plugin. Unit roles must name a unit below the hotline office.
 */
export default async function userRoutes(app: FastifyInstance, { ds }: AppDeps) {
  const users = ds.getRepository(UserEntity);
  const units = ds.getRepository(UnitEntity);

  /** Unit roles need a unit, and a unit of level 2 or 3: the level-1 office is no unit's workplace. */
  async function checkBinding(roles: Role[], unitId: string | null): Promise<void> {
    const unit = unitId ? await units.findOneBy({ id: unitId }) : null;
    if (unitId && !unit) throw new ValidationError('unitId', `单位 ${unitId} 不存在`, `unit ${unitId} does not exist`);
    if (inGroup(roles, 'unitStaff')) {
      if (!unit) throw new ValidationError('unitId', '单位经办人和单位领导必须指定所属单位', 'unit roles require unitId');
      if (unit.level === 1)
        throw new ValidationError('unitId', '单位经办人和单位领导不能隶属于市热线办（一级单位）', 'unit roles cannot be bound to the level-1 hotline office');
    }
  }

  async function userOf(id: string): Promise<User> {
    const user = await users.findOneBy({ id });
    if (!user) throw new NotFoundError('id', '用户不存在', 'user not found');
    return user;
  }

  /** Saves a change that must end the account's sessions, and makes every server forget the account now. */
  async function saveEndingSessions(user: User, change: Partial<User>): Promise<User> {
    const saved = await users.save({ ...user, ...change, tokenVersion: user.tokenVersion + 1 });
    app.accounts.forget(user.id);
    return saved;
  }

  app.get(
    '/api/me',
    { onRequest: app.authenticate, schema: { tags: ['认证'], summary: '当前用户', security: [{ bearer: [] }], response: { 200: UserSchema } } },
    async (req) => req.currentUser,
  );

  app.post<{ Body: Static<typeof OwnPasswordBody> }>(
    '/api/me/password',
    {
      onRequest: app.authenticate,
      // guessing the current password through this route is throttled like login
      config: { rateLimit: { max: app.loginRateLimit, timeWindow: '1 minute', keyGenerator: (req: FastifyRequest) => `own-password|${req.currentUser.id}` } },
      schema: {
        tags: ['认证'],
        summary: '修改本人密码：须提供当前密码；本账号的其他会话随即失效',
        security: [{ bearer: [] }],
        body: OwnPasswordBody,
        response: { 200: ResponseObject({ token: Type.String(), expiresIn: Type.String() }) },
      },
    },
    async (req, reply) => {
      const user = await userOf(req.currentUser.id);
      req.auditNote = { action: 'user.change-own-password', resource: 'users', resourceId: user.id };
      if (!(await passwordMatches(req.body.currentPassword, user.passwordHash))) {
        // 422, not 401: the session is fine, and a 401 would sign the web apps out
        throw new ValidationError('currentPassword', '当前密码不正确', 'the current password is wrong', 422, { code: 'bad_credentials' });
      }
      checkPassword(req.body.newPassword, user.username, 'newPassword');
      if (req.body.newPassword === req.body.currentPassword)
        throw new ValidationError('newPassword', '新密码不能与当前密码相同', 'the new password must differ from the current one');
      const saved = await saveEndingSessions(user, {
        passwordHash: await bcrypt.hash(req.body.newPassword, 10),
        mustChangePassword: false,
        passwordChangedAt: new Date(),
      });
      // This session goes on with a token of the new version; every other one has ended.
      const token = app.jwt.sign({ sub: saved.id, ver: saved.tokenVersion });
      setSessionCookies(req, reply, { ...app.sessionCookie, token });
      return { token, expiresIn: app.tokenTtl };
    },
  );

  app.get<{ Querystring: Static<typeof UserQuery> }>(
    '/api/users',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        ...admin,
        summary: '用户列表（管理员）',
        querystring: UserQuery,
        response: { 200: ResponseObject({ items: Type.Array(UserSchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) },
      },
    },
    async (req) => {
      const { q, active, page, pageSize } = req.query;
      const qb = users.createQueryBuilder('u').orderBy('u.username', 'ASC');
      if (q?.trim())
        qb.andWhere('(u.username ILIKE :like OR u.display_name ILIKE :like OR u.unit_id ILIKE :like)', {
          like: `%${q.trim().replace(/[%_\\]/g, (m) => `\\${m}`)}%`,
        });
      if (active !== undefined) qb.andWhere('u.active = :active', { active });
      const [items, total] = await qb
        .skip((page - 1) * pageSize)
        .take(pageSize)
        .getManyAndCount();
      return { items, total, page, pageSize };
    },
  );

  app.post<{ Body: Static<typeof NewUserBody> }>(
    '/api/users',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: { ...admin, summary: '新建用户（管理员）', body: NewUserBody, response: { 201: UserSchema } },
    },
    async (req, reply) => {
      const { username, password, displayName, roles, unitId = null } = req.body;
      await checkBinding(roles, unitId);
      checkPassword(password, username, 'password');
      if (await users.existsBy({ username })) throw new ConflictError('username', `用户名 ${username} 已存在`, `username ${username} is taken`);
      const saved = await users.save({
        username,
        passwordHash: await bcrypt.hash(password, 10),
        displayName,
        roles,
        unitId,
        active: true,
        passwordChangedAt: new Date(),
      });
      return reply.code(201).send(saved);
    },
  );

  app.patch<{ Params: Static<typeof UserIdParams>; Body: Static<typeof UserPatch> }>(
    '/api/users/:id',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        ...admin,
        summary: '修改用户（管理员）：姓名、角色、所属单位、停用或启用；角色、单位或状态变化时其会话失效',
        params: UserIdParams,
        body: UserPatch,
        response: { 200: UserSchema },
      },
    },
    async (req) => {
      const user = await userOf(req.params.id);
      req.auditNote = { action: 'user.update', resource: 'users', detail: { ...req.body, username: user.username } };
      const roles = req.body.roles ?? user.roles;
      const unitId = req.body.unitId !== undefined ? req.body.unitId : user.unitId;
      const active = req.body.active ?? user.active;
      if (user.id === req.currentUser.id && (!active || !inGroup(roles, 'administration'))) {
        throw new ValidationError(
          req.body.active === false ? 'active' : 'roles',
          '不能停用自己的账号或取消自己的管理员角色',
          'an admin cannot deactivate their own account or drop their own admin role',
        );
      }
      await checkBinding(roles, unitId);
      const change = { displayName: req.body.displayName ?? user.displayName, roles, unitId, active };
      const access = roles.join() !== user.roles.join() || unitId !== user.unitId || active !== user.active;
      const save = () => (access ? saveEndingSessions(user, change) : users.save({ ...user, ...change }));
      const dropsAdmin = user.active && inGroup(user.roles, 'administration') && !(active && inGroup(roles, 'administration'));
      if (!dropsAdmin) return save();
      // Two admins removing each other at once must not leave none: the count and the change, one at a time.
      return oneAtATime(ds, 'users:administration', async () => {
        const [{ others }] = (await ds.query(`SELECT count(*)::int AS others FROM users WHERE active AND id <> $1 AND roles && $2::text[]`, [
          user.id,
          [...ROLE_GROUPS.administration],
        ])) as { others: number }[];
        if (others === 0)
          throw new ConflictError(
            req.body.active === false ? 'active' : 'roles',
            '这是最后一个启用的管理员账号，不能停用或取消其管理员角色',
            'this is the last active admin account: it cannot be deactivated or lose its admin role',
          );
        return save();
      });
    },
  );

  app.post<{ Params: Static<typeof UserIdParams>; Body: Static<typeof ResetBody> }>(
    '/api/users/:id/password',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        ...admin,
        summary: '重置密码（管理员）：设为指定密码，或生成一次性临时密码（用户登录后须先修改）；其会话随即失效',
        params: UserIdParams,
        body: ResetBody,
        response: { 200: ResponseObject({ temporaryPassword: Type.String() }), 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const user = await userOf(req.params.id);
      const set = req.body.password;
      req.auditNote = { action: 'user.reset-password', resource: 'users', detail: { username: user.username, temporary: set === undefined } };
      if (set !== undefined) checkPassword(set, user.username, 'password');
      // 18 random bytes in base64url: 24 characters, never common.
      const password = set ?? randomBytes(18).toString('base64url');
      await saveEndingSessions(user, { passwordHash: await bcrypt.hash(password, 10), mustChangePassword: set === undefined, passwordChangedAt: new Date() });
      return set === undefined ? { temporaryPassword: password } : reply.code(204).send();
    },
  );
}
