import type { FastifyInstance } from 'fastify';
import { compileReport, type Report } from '../../core/reports/compile';
import { segmenter } from '../../core/reports/hotspots';
import { MAX_ADHOC_DAYS, parsePeriod, PERIOD_EXAMPLES, type Period, type ReportKind } from '../../core/reports/period';
import { REPORT_KINDS } from '../../core/vocabulary';
import { NotFoundError, ValidationError } from '../../core/errors';
import { inGroup } from '../../core/vocabulary';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import type { CurrentUser } from '../plugins/auth';
import { StringEnum, Type, type Static } from '../schemas';
import { visibleUnitIds } from '../visibility';
import { KIND_LABELS, reportWorkbook } from '../reports/xlsx';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const common = { tags: ['考核通报'], security: [{ bearer: [] }] };

const ReportKindSchema = StringEnum(REPORT_KINDS);
const PeriodLabel = Type.String({ maxLength: 21 });
const KindParams = Type.Object({ kind: ReportKindSchema });
const ReportQuery = Type.Object(
  { period: PeriodLabel, format: Type.Optional(StringEnum(['json', 'xlsx'], { default: 'json' })) },
  { additionalProperties: false },
);
const AdhocBody = Type.Object({ from: Type.String({ format: 'date' }), to: Type.String({ format: 'date' }) }, { additionalProperties: false });
const ReviewParams = Type.Object({ kind: ReportKindSchema, period: PeriodLabel });
const ReviewBody = Type.Object({ publish: Type.Boolean(), comment: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

/**
 * What a unit may read of a report: its own row, the typical cases its units lead, and the repeat addresses of
 * its own work orders (their codes only). 七(三): a level-2 unit also reads its own level-3 units' rows and their
 * ranking among themselves, never another unit's; a level-3 unit reads its own row only. The city-wide figures (indicators, category and place counts, frequent
 * terms) stay; no other unit's work order, address or content does.
 */
async function scopedToUnit(ds: AppDeps['ds'], report: Report, user: CurrentUser): Promise<Report> {
  const unitIds = (await visibleUnitIds(ds, user)) ?? [];
  const codes = report.hotspots.repeatAddresses.flatMap((a) => a.codes);
  const own = new Set(
    codes.length === 0
      ? []
      : (
          (await ds.query(
            `SELECT code FROM work_orders WHERE code = ANY($1) AND (lead_unit_id = ANY($2) OR delegated_unit_id = ANY($2) OR co_unit_ids && $2::varchar[])`,
            [codes, unitIds],
          )) as { code: string }[]
        ).map((r) => r.code),
  );
  return {
    ...report,
    units: report.units.filter((u) => u.unitId === user.unitId),
    // a report published before 七(三) has no level-3 rows
    subUnits: (report.subUnits ?? []).flatMap((g) => {
      const units = g.parentId === user.unitId ? g.units : g.units.filter((u) => u.unitId === user.unitId);
      return units.length > 0 ? [{ ...g, units }] : [];
    }),
    hotspots: {
      ...report.hotspots,
      repeatAddresses: report.hotspots.repeatAddresses.flatMap((a) => {
        const mine = a.codes.filter((c) => own.has(c));
        return mine.length > 0 ? [{ ...a, codes: mine }] : [];
      }),
    },
    // a report published before typical cases were listed has none
    typicalCases: Object.fromEntries(
      Object.entries(report.typicalCases ?? {}).map(([kind, list]) => [kind, list.filter((c) => c.unitId !== null && unitIds.includes(c.unitId))]),
    ) as Report['typicalCases'],
  };
}

function periodOf(kind: ReportKind, label: string): Period {
  const period = parsePeriod(kind, label);
  if (!period)
    throw new ValidationError(
      'period',
      `统计期“${label}”与报表类型不符，${KIND_LABELS[kind]}的格式如 ${PERIOD_EXAMPLES[kind]}`,
      `period "${label}" is not a ${kind} period, e.g. ${PERIOD_EXAMPLES[kind]}`,
      400,
    );
  return period;
}

/**
 * Assessment reports (R7.4): 周分析, 月通报, 年终考核 and 不定期点评 as JSON or an Excel workbook, the office's
 * start of a 不定期点评 over days it chooses, and the review that publishes a compiled report. A published report
 * is served as published; any other period is compiled live. Units read it scoped to their own work (scopedToUnit),
 * in JSON, in the workbook and so in the printable bulletin, which is drawn from the JSON.
 */
export default async function reportRoutes(app: FastifyInstance, { ds, engine, reports, operations }: AppDeps) {
  segmenter();
  app.get<{ Params: Static<typeof KindParams>; Querystring: Static<typeof ReportQuery> }>(
    '/api/reports/:kind',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('reportReaders'),
      schema: {
        ...common,
        summary: '周分析、月通报、年终考核：各项指标、单位得分排名、表扬批评、热点难点（R7.4）',
        params: KindParams,
        querystring: ReportQuery,
      },
    },
    async (req, reply) => {
      const { kind } = req.params;
      const period = periodOf(kind, req.query.period);
      const stored = await reports.get(kind, period.label);
      const published = stored?.status === 'published';
      let report: Report = published ? stored.data : await compileReport(ds, engine, period);
      const user = req.currentUser;
      if (!inGroup(user.roles, 'assessment')) report = await scopedToUnit(ds, report, user);
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

  app.post<{ Body: Static<typeof AdhocBody> }>(
    '/api/reports/adhoc',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('reportReview'),
      schema: {
        ...common,
        summary: '热线办发起不定期点评：按选定的起止日期（北京时间，均含）编制点评报告，审核后发布（R7.4）',
        body: AdhocBody,
        response: { 202: Type.Object({ kind: Type.String(), period: Type.String(), processInstanceId: Type.String() }) },
      },
    },
    async (req, reply) => {
      const { from, to } = req.body;
      if (to < from) throw new ValidationError('to', `截止日期 ${to} 早于起始日期 ${from}`, `"to" ${to} is before "from" ${from}`);
      const period = parsePeriod('adhoc', `${from}~${to}`);
      if (!period)
        throw new ValidationError(
          'to',
          `点评期间最长 ${MAX_ADHOC_DAYS} 天，且须在 2000—2100 年之间`,
          `an adhoc period spans at most ${MAX_ADHOC_DAYS} days within 2000–2100`,
        );
      const { processInstanceId } = await operations.startAdhocReport(period, req.currentUser.username);
      req.auditNote = { resourceId: period.label };
      return reply.code(202).send({ kind: 'adhoc', period: period.label, processInstanceId });
    },
  );

  app.post<{ Params: Static<typeof ReviewParams>; Body: Static<typeof ReviewBody> }>(
    '/api/reports/:kind/:period/review',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('reportReview'),
      schema: {
        ...common,
        summary: '热线办审核定时编制的报表，决定是否发布（R7.4）',
        params: ReviewParams,
        body: ReviewBody,
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
      if (!task)
        throw new NotFoundError('period', `${KIND_LABELS[kind]} ${period.label} 没有待审核的报表`, `no ${kind} report of ${period.label} awaits review`);
      await engine.complete(task.id, { publish: req.body.publish, comment: req.body.comment ?? '', reviewedBy: req.currentUser.username });
      return reply.code(204).send();
    },
  );
}
