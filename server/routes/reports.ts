import type { FastifyInstance } from 'fastify';
import { compileReport, type Report } from '../../core/reports/compile';
import { parsePeriod, PERIOD_EXAMPLES, REPORT_KINDS, type Period, type ReportKind } from '../../core/reports/period';
import { ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireRole } from '../plugins/auth';
import { KIND_LABELS, reportWorkbook } from '../reports/xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const OFFICE_ROLES = ['office', 'admin'];

const kindParam = { type: 'string', enum: [...REPORT_KINDS] } as const;
const common = { tags: ['考核通报'], security: [{ bearer: [] }] };

function periodOf(kind: ReportKind, label: string): Period {
  const period = parsePeriod(kind, label);
  if (!period) throw new ValidationError('period', `统计期“${label}”与报表类型不符，${KIND_LABELS[kind]}的格式如 ${PERIOD_EXAMPLES[kind]}`, `period "${label}" is not a ${kind} period, e.g. ${PERIOD_EXAMPLES[kind]}`, 400);
  return period;
}

/**
 * Assessment reports (R7.4): 周分析, 月通报 and 年终考核 as JSON or an Excel workbook, and the office's review
 * that publishes a scheduled report. A published report is served as published; any other period is compiled live.
 * Units may read the report with their own row only.
 */
export default async function reportRoutes(app: FastifyInstance, { ds, engine, reports }: AppDeps) {
  app.get<{ Params: { kind: ReportKind }; Querystring: { period: string; format: 'json' | 'xlsx' } }>(
    '/api/reports/:kind',
    {
      onRequest: app.authenticate,
      preHandler: requireRole('office', 'admin', 'unit_handler', 'unit_leader'),
      schema: {
        ...common,
        summary: '周分析、月通报、年终考核：各项指标、单位得分排名、表扬批评、热点难点（R7.4）',
        params: { type: 'object', required: ['kind'], properties: { kind: kindParam } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['period'],
          properties: { period: { type: 'string', maxLength: 10 }, format: { type: 'string', enum: ['json', 'xlsx'], default: 'json' } },
        },
      },
    },
    async (req, reply) => {
      const { kind } = req.params;
      const period = periodOf(kind, req.query.period);
      const stored = await reports.get(kind, period.label);
      const published = stored?.status === 'published';
      let report: Report = published ? stored.data : await compileReport(ds, engine, period);
      const user = req.currentUser;
      if (!user.roles.some((r) => OFFICE_ROLES.includes(r))) {
        report = { ...report, units: report.units.filter((u) => u.unitId === user.unitId) };
      }
      if (req.query.format === 'xlsx') {
        const filename = `平顶山市长热线${KIND_LABELS[kind]}-${period.label}.xlsx`;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename="report-${kind}-${period.label}.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`)
          .send(await reportWorkbook(report));
      }
      return { ...report, status: stored?.status ?? 'live', publishedAt: stored?.publishedAt ?? null, publishedBy: stored?.publishedBy ?? null };
    },
  );

  app.post<{ Params: { kind: ReportKind; period: string }; Body: { publish: boolean; comment?: string } }>(
    '/api/reports/:kind/:period/review',
    {
      onRequest: app.authenticate,
      preHandler: requireRole('office'),
      schema: {
        ...common,
        summary: '热线办审核定时编制的报表，决定是否发布（R7.4）',
        params: { type: 'object', required: ['kind', 'period'], properties: { kind: kindParam, period: { type: 'string', maxLength: 10 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['publish'],
          properties: { publish: { type: 'boolean' }, comment: { type: 'string', maxLength: 2000 } },
        },
      },
    },
    async (req, reply) => {
      const { kind } = req.params;
      const period = periodOf(kind, req.params.period);
      const [task] = await engine.tasks({
        taskDefinitionKey: 'reviewReport',
        processVariables: [
          { name: 'reportKind', operator: 'eq', value: kind },
          { name: 'period', operator: 'eq', value: period.label },
        ],
      });
      if (!task) throw new ValidationError('period', `${KIND_LABELS[kind]} ${period.label} 没有待审核的报表`, `no ${kind} report of ${period.label} awaits review`, 404);
      await engine.complete(task.id, { publish: req.body.publish, comment: req.body.comment ?? '', reviewedBy: req.currentUser.username });
      return reply.code(204).send();
    },
  );
}
