import type { FastifyInstance } from 'fastify';
import { dashboard } from '../../core/dashboard';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { DateTime, Nullable, ResponseObject, StringEnum, Type } from '../schemas';
import { visibleUnitIds } from '../visibility';

const count = Type.Integer();
const DeadlineItem = ResponseObject({ id: Type.String(), code: Type.String(), status: Type.String(), category: Nullable(Type.String()), dueAt: DateTime });

const DashboardSchema = ResponseObject({
  scope: StringEnum(['city', 'unit']),
  generatedAt: DateTime,
  dayStart: DateTime,
  monthStart: DateTime,
  todayIntake: ResponseObject({ total: count, byChannel: Type.Record(Type.String(), count) }),
  openByCategory: Type.Array(ResponseObject({ category: Nullable(Type.String()), count })),
  deadlines: Type.Array(
    ResponseObject({
      unitId: Type.String(),
      unitName: Type.String(),
      overdueCount: count,
      dueSoonCount: count,
      overdue: Type.Array(DeadlineItem),
      dueSoon: Type.Array(DeadlineItem),
    }),
  ),
  supervisionByLevel: Type.Array(ResponseObject({ level: Type.String(), count })),
  onTimeRanking: Type.Array(ResponseObject({ unitId: Type.String(), unitName: Type.String(), closed: count, onTime: count, rate: Type.Number() })),
  dispatchQuality: Type.Array(
    ResponseObject({
      unitId: Nullable(Type.String()),
      unitName: Type.String(),
      firstDispatched: count,
      dispatchAccuracy: Nullable(Type.Number()),
      suggestionAdoption: Nullable(Type.Number()),
    }),
  ),
});

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
        response: { 200: DashboardSchema },
      },
    },
    async (req) => dashboard(ds, await visibleUnitIds(ds, req.currentUser)),
  );
}
