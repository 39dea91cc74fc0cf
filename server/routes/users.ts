import bcrypt from 'bcryptjs';
import type { FastifyInstance } from 'fastify';
import { ROLES, UnitEntity, UserEntity, type Role } from '../../core/db/entities';
import { ConflictError, ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireRole } from '../plugins/auth';

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: 'string' },
    roles: { type: 'array', items: { type: 'string' } },
    unitId: { type: ['string', 'null'] },
  },
} as const;

interface NewUser {
  username: string;
  password: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
}

/** Accounts. Only an admin creates them; unit roles must name the unit the person works for. */
export default async function userRoutes(app: FastifyInstance, { ds }: AppDeps) {
  const users = ds.getRepository(UserEntity);
  const units = ds.getRepository(UnitEntity);

  app.get('/api/me', { onRequest: app.authenticate, schema: { tags: ['认证'], summary: '当前用户', security: [{ bearer: [] }], response: { 200: userSchema } } }, async (req) => req.currentUser);

  app.post<{ Body: NewUser }>(
    '/api/users',
    {
      onRequest: app.authenticate,
      preHandler: requireRole('admin'),
      schema: {
        tags: ['用户'],
        summary: '新建用户（管理员）',
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'password', 'displayName', 'roles'],
          properties: {
            username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{1,59}$' },
            password: { type: 'string', minLength: 8, maxLength: 200 },
            displayName: { type: 'string', minLength: 1, maxLength: 100 },
            roles: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', enum: [...ROLES] } },
            unitId: { type: ['string', 'null'], maxLength: 40 },
          },
        },
        response: { 201: userSchema },
      },
    },
    async (req, reply) => {
      const { username, password, displayName, roles, unitId = null } = req.body;
      if (unitId && !(await units.existsBy({ id: unitId }))) throw new ValidationError('unitId', `单位 ${unitId} 不存在`, `unit ${unitId} does not exist`);
      if (roles.some((r) => r === 'unit_handler' || r === 'unit_leader') && !unitId) {
        throw new ValidationError('unitId', '单位经办人和单位领导必须指定所属单位', 'unit roles require unitId');
      }
      if (await users.existsBy({ username })) throw new ConflictError('username', `用户名 ${username} 已存在`, `username ${username} is taken`);
      const saved = await users.save({ username, passwordHash: await bcrypt.hash(password, 10), displayName, roles, unitId, active: true });
      return reply.code(201).send(saved);
    },
  );
}
