import type { FastifyInstance } from 'fastify';
import { dashboard } from '../../core/dashboard';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { visibleUnitIds } from '../visibility';

const count = { type: 'integer' } as const;
const deadlineItem = {
  type: 'object',
  properties: { id: { type: 'string' }, code: { type: 'string' }, status: { type: 'string' }, category: { type: ['string', 'null'] }, dueAt: { type: 'string', format: 'date-time' } },
} as const;

const dashboardSchema = {
  type: 'object',
  properties: {
    scope: { type: 'string', enum: ['city', 'unit'] },
    generatedAt: { type: 'string', format: 'date-time' },
    dayStart: { type: 'string', format: 'date-time' },
    monthStart: { type: 'string', format: 'date-time' },
    todayIntake: { type: 'object', properties: { total: count, byChannel: { type: 'object', additionalProperties: count } } },
    openByCategory: { type: 'array', items: { type: 'object', properties: { category: { type: ['string', 'null'] }, count } } },
    deadlines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { unitId: { type: 'string' }, unitName: { type: 'string' }, overdueCount: count, dueSoonCount: count, overdue: { type: 'array', items: deadlineItem }, dueSoon: { type: 'array', items: deadlineItem } },
      },
    },
    supervisionByLevel: { type: 'array', items: { type: 'object', properties: { level: { type: 'string' }, count } } },
    onTimeRanking: { type: 'array', items: { type: 'object', properties: { unitId: { type: 'string' }, unitName: { type: 'string' }, closed: count, onTime: count, rate: { type: 'number' } } } },
  },
} as const;

/** 工作台统计: city-wide for the office and admins, a unit and its level-3 units for unit users. */
export default async function dashboardRoutes(app: FastifyInstance, { ds }: AppDeps) {
  app.get(
    '/api/dashboard',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('reportReaders'),
      schema: {
        tags: ['统计'],
        summary: '工作台统计：今日受理、未办结分类、超期与 24 小时内到期、本月督办、按期办结率排名',
        security: [{ bearer: [] }],
        response: { 200: dashboardSchema },
      },
    },
    async (req) => dashboard(ds, await visibleUnitIds(ds, req.currentUser)),
  );
}
