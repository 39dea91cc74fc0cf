import type { FastifyInstance } from 'fastify';
import type { ClockRule } from '../../core/calendar/deadline';
import { ValidationError } from '../../core/errors';
import { isDay } from '../../core/instants';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { CategorySchema, DateTime, ResponseObject, Type, type Static } from '../schemas';

/** Days of a year's notice, each with its name: { "2027-10-01": "国庆节" }. */
const DayMap = Type.Unsafe<Record<string, string>>({
  type: 'object',
  propertyNames: { pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  additionalProperties: { type: 'string', minLength: 1, maxLength: 60 },
});

const DeadlineQuery = Type.Object({ from: DateTime, category: CategorySchema }, { additionalProperties: false });

const YearBody = Type.Object(
  { year: Type.Integer({ minimum: 2000, maximum: 2100 }), source: Type.String({ minLength: 1, maxLength: 100 }), holidays: DayMap, workdays: DayMap },
  { additionalProperties: false },
);

export default async function calendarRoutes(app: FastifyInstance, { engine, calendar, operations }: AppDeps) {
  /**
   * The handling deadline a category would get if dispatched at `from`: the clock rule comes from the
   * deployed decision table `caseClock` (the same one the process uses), the days from the holiday calendar.
   */
  app.get<{ Querystring: Static<typeof DeadlineQuery> }>(
    '/api/calendar/deadline',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['日历'],
        summary: '按分类计算办理期限（R4）',
        security: [{ bearer: [] }],
        querystring: DeadlineQuery,
        response: {
          200: ResponseObject({ dueAt: DateTime, basis: Type.String(), provisional: Type.Boolean(), clockUnit: Type.String(), clockAmount: Type.Integer() }),
        },
      },
    },
    async (req) => {
      const [result] = await engine.evaluateDecision('caseClock', { category: req.query.category });
      const rule: ClockRule = {
        clockUnit: result.clockUnit.value as ClockRule['clockUnit'],
        clockAmount: Number(result.clockAmount.value),
        clockLabel: result.clockLabel ? String(result.clockLabel.value) : undefined,
      };
      const d = await calendar.deadline(new Date(req.query.from), rule);
      return { dueAt: d.dueAt.toISOString(), basis: d.basis, provisional: d.provisional, clockUnit: rule.clockUnit, clockAmount: rule.clockAmount };
    },
  );

  app.get(
    '/api/calendar/years',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['日历'],
        summary: '已载入的节假日年份',
        security: [{ bearer: [] }],
        response: { 200: ResponseObject({ years: Type.Array(Type.Integer()) }) },
      },
    },
    async () => ({ years: await calendar.loadedYears() }),
  );

  /**
   * Loads a year's holiday notice (published by the State Council each November), then recomputes the
   * provisional deadlines that reach into it and moves their timers.
   */
  app.post<{ Body: Static<typeof YearBody> }>(
    '/api/calendar/years',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        tags: ['日历'],
        summary: '载入一年的节假日安排（管理员），并重新计算暂定期限',
        security: [{ bearer: [] }],
        body: YearBody,
        response: { 201: ResponseObject({ year: Type.Integer(), recomputed: Type.Integer() }) },
      },
    },
    async (req, reply) => {
      const { year } = req.body;
      for (const field of ['holidays', 'workdays'] as const) {
        const outside = Object.keys(req.body[field]).find((d) => Number(d.slice(0, 4)) !== year || !isDay(d));
        if (outside) throw new ValidationError(field, `日期 ${outside} 不属于 ${year} 年或无效`, `${outside} is not a valid day of ${year}`, 400);
      }
      const both = Object.keys(req.body.workdays).find((d) => Object.hasOwn(req.body.holidays, d));
      if (both) throw new ValidationError('workdays', `日期 ${both} 不能既是假日又是调休工作日`, `${both} cannot be both a holiday and a workday`, 422);
      const { recomputed } = await operations.loadCalendarYear(req.body);
      return reply.code(201).send({ year, recomputed });
    },
  );
}
