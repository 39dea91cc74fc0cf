import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app';

/** Liveness of the system and its two dependencies; open to monitoring without a token. */
export default async function healthRoutes(app: FastifyInstance, { ds, engine }: AppDeps) {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['系统'],
        summary: '健康检查',
        response: {
          200: { type: 'object', properties: { status: { type: 'string', enum: ['ok', 'degraded'] }, engine: { type: 'string' }, db: { type: 'string' } }, required: ['status', 'engine', 'db'] },
        },
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
