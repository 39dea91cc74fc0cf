import type { FastifyInstance } from 'fastify';
import type { WorkOrder } from '../../core/db/entities';
import { ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { auditBulkRead, personalDataRateLimit } from '../personal-data';
import { CaseStatusSchema, Type, type Static } from '../schemas';

const ExportQuery = Type.Object(
  { status: Type.Optional(CaseStatusSchema), q: Type.Optional(Type.String({ maxLength: 100 })) },
  { additionalProperties: false },
);

const COLUMNS: [string, (c: WorkOrder) => unknown][] = [
  ['工单编号', (c) => c.code],
  ['状态', (c) => c.status],
  ['渠道', (c) => c.channel],
  ['反映人', (c) => c.citizenName],
  ['联系电话', (c) => c.citizenPhone],
  ['地址', (c) => c.address],
  ['诉求内容', (c) => c.content],
  ['分类', (c) => c.category],
  ['承办单位', (c) => c.leadUnitId],
  ['受理时间', (c) => c.createdAt.toISOString()],
  ['办理时限', (c) => c.dueAt?.toISOString()],
  ['办结时间', (c) => c.closedAt?.toISOString()],
];

/** One CSV cell: quoted, and a leading = + - @ (a spreadsheet formula) defused with an apostrophe. */
function cell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * 导出工单 (CSV with the citizens' personal data) for the hotline office and admins: one audited action
 * (`cases-export`, with the filter, the count and the work orders' ids), at most CASE_EXPORT_MAX_ROWS rows
 * (more matches are refused: narrow the filter), rate-limited per user like the list's pages.
 */
export default async function caseExportRoutes(app: FastifyInstance, { cases }: AppDeps) {
  app.get<{ Querystring: Static<typeof ExportQuery> }>(
    '/api/cases/export',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('caseExport'),
      config: { rateLimit: personalDataRateLimit(app, 'cases-export') },
      schema: {
        tags: ['工单'],
        summary: '导出工单（CSV，含个人信息；热线办、管理员；记入审计日志）',
        security: [{ bearer: [] }],
        querystring: ExportQuery,
        produces: ['text/csv'],
      },
    },
    async (req, reply) => {
      const { status } = req.query;
      const q = req.query.q?.trim() || undefined;
      const max = app.privacy.exportMaxRows;
      const { items } = await cases.list({ status, q, page: 1, pageSize: max + 1 });
      if (items.length > max)
        throw new ValidationError(
          'querystring.q',
          `符合条件的工单超过 ${max} 件，请缩小查询范围后再导出`,
          `more than ${max} work orders match; narrow the filter`,
        );
      await auditBulkRead(
        app,
        req,
        'cases-export',
        items.map((c) => c.id),
        { status: status ?? null, q: q ?? null },
      );
      const csv = [COLUMNS.map(([h]) => cell(h)).join(','), ...items.map((c) => COLUMNS.map(([, v]) => cell(v(c))).join(','))].join('\r\n');
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="cases-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(`\uFEFF${csv}\r\n`);
    },
  );
}
