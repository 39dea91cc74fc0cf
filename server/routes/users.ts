import bcrypt from 'bcryptjs';
import type { FastifyInstance } from 'fastify';
import { UnitEntity, UserEntity } from '../../core/db/entities';
import { ConflictError, ValidationError } from '../../core/errors';
import { inGroup } from '../../core/vocabulary';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { Nullable, ResponseObject, RoleSchema, Type, type Static } from '../schemas';

/** An account as the API shows it (never its password hash). */
export const UserSchema = ResponseObject({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  unitId: Nullable(Type.String()),
});

const NewUserBody = Type.Object(
  {
    username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,59}$' }),
    password: Type.String({ minLength: 8, maxLength: 200 }),
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
    unitId: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  },
  { additionalProperties: false },
);

/** Accounts. Only an admin creates them; unit roles must name the unit the person works for. */
export default async function userRoutes(app: FastifyInstance, { ds }: AppDeps) {
  const users = ds.getRepository(UserEntity);
  const units = ds.getRepository(UnitEntity);

  app.get('/api/me', { onRequest: app.authenticate, schema: { tags: ['认证'], summary: '当前用户', security: [{ bearer: [] }], response: { 200: UserSchema } } }, async (req) => req.currentUser);

  app.post<{ Body: Static<typeof NewUserBody> }>(
    '/api/users',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        tags: ['用户'],
        summary: '新建用户（管理员）',
        security: [{ bearer: [] }],
        body: NewUserBody,
        response: { 201: UserSchema },
      },
    },
    async (req, reply) => {
      const { username, password, displayName, roles, unitId = null } = req.body;
      if (unitId && !(await units.existsBy({ id: unitId }))) throw new ValidationError('unitId', `单位 ${unitId} 不存在`, `unit ${unitId} does not exist`);
      if (inGroup(roles, 'unitStaff') && !unitId) {
        throw new ValidationError('unitId', '单位经办人和单位领导必须指定所属单位', 'unit roles require unitId');
      }
      if (await users.existsBy({ username })) throw new ConflictError('username', `用户名 ${username} 已存在`, `username ${username} is taken`);
      const saved = await users.save({ username, passwordHash: await bcrypt.hash(password, 10), displayName, roles, unitId, active: true });
      return reply.code(201).send(saved);
    },
  );
}
