import type { FastifyInstance } from 'fastify';
import { CATEGORIES, type Category } from '../../core/db/entities';
import type { ClockRule } from '../../core/calendar/deadline';
import type { AppDeps } from '../app';

/**
 * The handling deadline a category would get if dispatched at `from`: the clock rule comes from the
 * deployed decision table `caseClock` (the same one the process uses), the days from the holiday calendar.
 */
export default async function calendarRoutes(app: FastifyInstance, { engine, calendar }: AppDeps) {
  app.get<{ Querystring: { from: string; category: Category } }>(
    '/api/calendar/deadline',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['日历'],
        summary: '按分类计算办理期限（R4）',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'category'],
          properties: { from: { type: 'string', format: 'date-time' }, category: { type: 'string', enum: [...CATEGORIES] } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              dueAt: { type: 'string', format: 'date-time' },
              basis: { type: 'string' },
              provisional: { type: 'boolean' },
              clockUnit: { type: 'string' },
              clockAmount: { type: 'integer' },
            },
          },
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
}
