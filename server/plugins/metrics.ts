/**
 * Prometheus metrics at /metrics (text format, prom-client): requests by route and status, requests refused
 * before anyone signed in (counted here instead of written to the audit log, so anonymous junk cannot fill it),
 * and failed or throttled logins. Served to loopback clients, or to anyone presenting `METRICS_TOKEN` as a bearer.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { ForbiddenError } from '../../core/errors';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { loginFailures: Counter<'reason'> };
  }
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** The route pattern (`/api/cases/:id`), never the raw URL, so junk paths do not grow the label set. */
const routeOf = (req: FastifyRequest) => req.routeOptions.url ?? 'unmatched';

function bearerMatches(req: FastifyRequest, token: string | undefined): boolean {
  const sent = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!token || !sent) return false;
  const [a, b] = [Buffer.from(sent), Buffer.from(token)];
  return a.length === b.length && timingSafeEqual(a, b);
}

export default fp(async function metrics(app: FastifyInstance, opts: { token?: string }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hotline_' });
  const requests = new Counter({
    name: 'hotline_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const refusedAnonymous = new Counter({
    name: 'hotline_refused_anonymous_total',
    help: 'API requests refused (4xx) before anyone was signed in, by route pattern',
    labelNames: ['route'],
    registers: [registry],
  });
  const loginFailures = new Counter({
    name: 'hotline_login_failures_total',
    help: 'Failed logins: bad_credentials or rate_limited',
    labelNames: ['reason'],
    registers: [registry],
  });
  app.decorate('metrics', { loginFailures });

  app.addHook('onResponse', async (req, reply) => {
    const route = routeOf(req);
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    if (req.url.startsWith('/api/') && !req.currentUser && reply.statusCode >= 400 && reply.statusCode < 500) refusedAnonymous.inc({ route });
  });

  app.get('/metrics', { schema: { hide: true } }, async (req, reply) => {
    if (!LOOPBACK.has(req.ip) && !bearerMatches(req, opts.token))
      throw new ForbiddenError('指标仅对本机或持有 METRICS_TOKEN 的请求开放', '/metrics is served to loopback clients or with the METRICS_TOKEN bearer');
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
});
