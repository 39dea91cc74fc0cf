import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app';
import { Nullable, StringEnum, Type } from '../schemas';

const NullableInt = Nullable(Type.Integer());

const HealthSchema = Type.Object({
  status: StringEnum(['ok', 'degraded']),
  engine: StringEnum(['up', 'down']),
  engineLatencyMs: NullableInt,
  db: StringEnum(['up', 'down']),
  /** Engine work promised in the database and not yet carried out, and instances without their work order; null while the database is down. */
  backlog: Nullable(
    Type.Object({
      pendingStarts: Type.Integer(),
      oldestPendingStartSeconds: Nullable(Type.Number()),
      pendingCompletions: Type.Integer(),
      pendingDeadlineMoves: Type.Integer(),
      pendingRecomputes: Type.Integer(),
      pendingSupervisionRequests: Type.Integer(),
      orphanInstances: NullableInt,
      duplicateInstances: NullableInt,
      reconciledAt: Nullable(Type.String()),
    }),
  ),
});

/** Liveness of the system, its two dependencies and the outbox backlog; open to monitoring without a token. */
export default async function healthRoutes(app: FastifyInstance, { ds, operations }: AppDeps) {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['系统'],
        summary: '健康检查：引擎（可用性、延迟）、数据库、待启动流程和待提交任务的积压',
        response: { 200: HealthSchema },
      },
    },
    async () => {
      const [db, health] = await Promise.all([
        ds.query('SELECT 1').then(
          () => 'up' as const,
          () => 'down' as const,
        ),
        operations.health(),
      ]);
      const engine = health.engine.state;
      return { status: db === 'up' && engine === 'up' ? 'ok' : 'degraded', engine, engineLatencyMs: health.engine.latencyMs, db, backlog: health.backlog };
    },
  );
}
