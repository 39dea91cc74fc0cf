import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';

interface AuditQuery {
  username?: string;
  action?: string;
  resourceId?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    username: { type: ['string', 'null'] },
    roles: { type: 'array', items: { type: 'string' } },
    action: { type: 'string' },
    resource: { type: ['string', 'null'] },
    resourceId: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
    detail: { type: 'object', additionalProperties: true },
  },
} as const;

/** The audit log (PIPL), newest first, for administrators only. Filters combine with AND. */
export default async function auditRoutes(app: FastifyInstance, { ds }: AppDeps) {
  app.get<{ Querystring: AuditQuery }>(
    '/api/audit',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        tags: ['审计'],
        summary: '审计日志查询（管理员）：登录、各项操作、个人信息查看与号码显示',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            username: { type: 'string', maxLength: 60 },
            action: { type: 'string', maxLength: 100 },
            resourceId: { type: 'string', maxLength: 64 },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            page: { type: 'integer', minimum: 1, default: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: entrySchema }, total: { type: 'integer' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } } },
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
