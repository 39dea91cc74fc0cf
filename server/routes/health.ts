import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app';
import { StringEnum, Type } from '../schemas';

const HealthSchema = Type.Object({ status: StringEnum(['ok', 'degraded']), engine: StringEnum(['up', 'down']), db: StringEnum(['up', 'down']) });

/** Liveness of the system and its two dependencies; open to monitoring without a token. */
export default async function healthRoutes(app: FastifyInstance, { ds, engine }: AppDeps) {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['系统'],
        summary: '健康检查',
        response: { 200: HealthSchema },
      },
    },
    async () => {
      const [db, eng] = await Promise.all([
        ds.query('SELECT 1').then(() => 'up', () => 'down'),
        engine.engines().then(() => 'up', () => 'down'),
      ]);
      return { status: db === 'up' && eng === 'up' ? 'ok' : 'degraded', engine: eng, db };
    },
  );
}
