import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { DateTime, Nullable, Pagination, ResponseObject, Type, type Static } from '../schemas';

const AuditQuery = Type.Object(
  {
    username: Type.Optional(Type.String({ maxLength: 60 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    resourceId: Type.Optional(Type.String({ maxLength: 64 })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    ...Pagination(50, 200),
  },
  { additionalProperties: false },
);

const EntrySchema = ResponseObject({
  id: Type.String(),
  at: DateTime,
  username: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  action: Type.String(),
  resource: Nullable(Type.String()),
  resourceId: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  detail: Type.Object({}, { additionalProperties: true }),
});

/** The audit log (PIPL), newest first, for administrators only. Filters combine with AND. */
export default async function auditRoutes(app: FastifyInstance, { ds }: AppDeps) {
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/api/audit',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        tags: ['审计'],
        summary: '审计日志查询（管理员）：登录、各项操作、个人信息查看与号码显示',
        security: [{ bearer: [] }],
        querystring: AuditQuery,
        response: { 200: ResponseObject({ items: Type.Array(EntrySchema), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }) },
      },
    },
    async (req) => {
      const { username, action, resourceId, from, to, page, pageSize } = req.query;
      if (from && to && Date.parse(from) > Date.parse(to)) throw new ValidationError('from', '开始时间不能晚于结束时间', 'from must not be after to', 400);
      const where: string[] = [];
      const params: unknown[] = [];
      const add = (clause: string, value: unknown) => (params.push(value), where.push(clause.replace('?', `$${params.length}`)));
      if (username) add('username = ?', username);
      if (action) add('action = ?', action);
      if (resourceId) add('resource_id = ?', resourceId);
      if (from) add('at >= ?', from);
      if (to) add('at <= ?', to);
      const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const [rows, [{ total }]] = await Promise.all([
        ds.query(
          `SELECT id::text, at, username, roles, action, resource, resource_id AS "resourceId", ip, detail FROM audit_log ${filter}
           ORDER BY at DESC, id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
          params,
        ),
        ds.query(`SELECT count(*)::int AS total FROM audit_log ${filter}`, params) as Promise<{ total: number }[]>,
      ]);
      return { items: rows, total, page, pageSize };
    },
  );
}
