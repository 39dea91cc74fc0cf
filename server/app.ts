/**
 * The HTTP API: fastify with JSON-schema-validated routes, OpenAPI at /docs, one error handler.
 * Infrastructure comes in as plugins, routes are grouped by resource, schemas sit next to their routes.
 */
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';
import type { TaskList } from '../core/engine/task-list';
import type { CalendarRepository } from '../core/calendar/repository';
import type { CaseRepository } from '../core/cases/repository';
import type { Config } from '../core/config';
import type { EngineClient } from '../core/engine/client';
import { createOperations, type Operations } from '../core/operations';
import type { ReportRepository } from '../core/reports/repository';
import audit from './plugins/audit';
import auth from './plugins/auth';
import errors, { apiError } from './plugins/errors';
import storableText from './plugins/storable-text';
import { buildValidator } from './validation';
import { pgRateLimitStore } from './plugins/rate-limit-store';
import metrics from './plugins/metrics';
import web from './plugins/web';
import attachmentRoutes from './routes/attachments';
import auditRoutes from './routes/audit';
import authRoutes from './routes/auth';
import calendarRoutes from './routes/calendar';
import caseExportRoutes from './routes/case-export';
import caseRoutes from './routes/cases';
import conductRoutes from './routes/conduct';
import supervisionRoutes from './routes/supervision';
import dashboardRoutes from './routes/dashboard';
import definitionRoutes from './routes/definitions';
import deploymentRoutes, { UPLOAD_LIMITS } from './routes/deployments';
import diagramRoutes from './routes/diagram';
import formRoutes from './routes/forms';
import healthRoutes from './routes/health';
import importRoutes from './routes/imports';
import reportRoutes from './routes/reports';
import revealRoutes from './routes/reveal';
import similarRoutes from './routes/similar';
import suggestionRoutes from './routes/suggestion';
import dispatchModelRoutes from './routes/dispatch-model';
import taskRoutes from './routes/tasks';
import unitRoutes from './routes/units';
import userRoutes from './routes/users';

export interface AppDeps {
  ds: DataSource;
  engine: EngineClient;
  cases: CaseRepository;
  calendar: CalendarRepository;
  reports: ReportRepository;
  taskList: TaskList;
  /** The application layer; built (and its relay run) by buildApp unless given. */
  operations: Operations;
}

declare module 'fastify' {
  interface FastifyInstance {
    tokenTtl: string;
    loginRateLimit: number;
    privacy: Config['privacy'];
  }
}

/**
 * Security headers on every answer (helmet): a Content-Security-Policy with no inline or foreign script and no
 * framing; inline styles are allowed because bpmn-js, form-js and ECharts write `style` attributes (with `style-src 'self'`
 * alone both apps log dozens of violations, tests/e2e/csp.e2e.ts).
 * HSTS only when the site is served over TLS (the request came over https, or COOKIE_SECURE says TLS ends at a proxy).
 */
const securityHeaders = fp(async (app: FastifyInstance, opts: { tls: boolean }) => {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (req, reply, payload) => {
    if (opts.tls || req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    return payload;
  });
});

/** A request Node could not parse (headers too large, malformed HTTP), answered on the socket in the one error shape. */
function rawRefusal(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    tooLarge
      ? apiError('headers_too_large', '请求地址或请求头过长（长文本请用 POST 提交）', 'the URL or headers are too large (send long text with POST)', 'url')
      : apiError('bad_request', '请求格式不正确', 'the request is malformed'),
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Room for a 5,000-character call in a URL, beside the usual headers (Node's default is 16 KiB). */
const MAX_HEADER_BYTES = 64 * 1024;

export async function buildApp(
  given: Omit<AppDeps, 'operations'> & { operations?: Operations },
  config: Config,
  logger: boolean | object = false,
): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: config.server.bodyLimit,
    // GET /api/suggestions carries the call's text (up to 5,000 characters, ~45 KB URL-encoded) in the query string.
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    // The client's address (rate limits, audit) comes from X-Forwarded-For only through a trusted proxy (TRUST_PROXY).
    trustProxy: config.server.trustProxy,
    // Query and params are read from text; JSON bodies are validated as sent (server/validation.ts).
    schemaController: { compilersFactory: { buildValidator } },
    // Refusals fastify and Node make before any route runs, in the one error shape too.
    frameworkErrors: (error, _req, reply) =>
      void (reply as FastifyReply).code(400).send(apiError('bad_url', '请求地址格式不正确', `the request URL is malformed (${error.code})`, 'url')),
    clientErrorHandler: rawRefusal,
  });
  // Every server runs the outbox relay: intake and task completion are carried out even if this process dies.
  const owned = given.operations === undefined;
  const operations =
    given.operations ?? createOperations({ ...given, rootDir: config.rootDir, options: config.operations, log: (level, msg) => app.log[level](msg) });
  const deps: AppDeps = { ...given, operations };
  if (owned) {
    operations.start();
    app.addHook('onClose', () => operations.stop());
  }
  app.decorate('tokenTtl', config.auth.tokenTtl);
  app.decorate('loginRateLimit', config.auth.loginRateLimit);
  app.decorate('privacy', config.privacy);

  await app.register(errors);
  await app.register(storableText);
  // Bodies are JSON (or multipart uploads): text/plain is refused with 415 rather than read as a string.
  app.removeContentTypeParser('text/plain');
  await app.register(securityHeaders, { tls: config.auth.cookieSecure });
  await app.register(metrics, { token: config.server.metricsToken });
  // Counters in PostgreSQL: a limit holds across every server of the deployment.
  await app.register(rateLimit, { global: false, hook: 'preHandler', store: pgRateLimitStore(deps.ds) });
  await app.register(multipart, { limits: UPLOAD_LIMITS });
  await app.register(swagger, {
    openapi: {
      info: { title: '平顶山市12345市长热线 工单系统 API', version: '0.1.0', description: '受理、交办、办理、审核、回访（平政〔2018〕15号）' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'hotline_session' } } },
    },
    // Shared schemas keep their $id as their name under components.schemas (ApiError, unitNode).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(auth, { ds: deps.ds, secret: config.auth.secret, ttl: config.auth.tokenTtl, cookieSecure: config.auth.cookieSecure });
  // The API's map is for signed-in staff in production; the demo shows it to anyone on the machine.
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiHooks: config.mode === 'production' ? { onRequest: (req, reply) => app.authenticate(req, reply) } : {},
  });
  await app.register(audit, { ds: deps.ds });

  for (const routes of [
    healthRoutes,
    authRoutes,
    userRoutes,
    unitRoutes,
    caseRoutes,
    caseExportRoutes,
    taskRoutes,
    calendarRoutes,
    deploymentRoutes,
    definitionRoutes,
    formRoutes,
    diagramRoutes,
    attachmentRoutes,
    reportRoutes,
    auditRoutes,
    revealRoutes,
    similarRoutes,
    dashboardRoutes,
    suggestionRoutes,
    dispatchModelRoutes,
    conductRoutes,
    supervisionRoutes,
    importRoutes,
  ]) {
    await app.register(routes, deps);
  }
  await app.register(web, { rootDir: config.rootDir });
  return app;
}
