/**
 * The HTTP API: fastify with JSON-schema-validated routes, OpenAPI at /docs, one error handler.
 * Infrastructure comes in as plugins, routes are grouped by resource, schemas sit next to their routes.
 */
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import type { TaskList } from '../core/engine/task-list';
import type { CalendarRepository } from '../core/calendar/repository';
import type { CaseRepository } from '../core/cases/repository';
import type { Config } from '../core/config';
import type { EngineClient } from '../core/engine/client';
import type { ReportRepository } from '../core/reports/repository';
import audit from './plugins/audit';
import auth from './plugins/auth';
import errors from './plugins/errors';
import web from './plugins/web';
import attachmentRoutes from './routes/attachments';
import auditRoutes from './routes/audit';
import authRoutes from './routes/auth';
import calendarRoutes from './routes/calendar';
import caseRoutes from './routes/cases';
import conductRoutes from './routes/conduct';
import dashboardRoutes from './routes/dashboard';
import definitionRoutes from './routes/definitions';
import deploymentRoutes, { UPLOAD_LIMITS } from './routes/deployments';
import diagramRoutes from './routes/diagram';
import formRoutes from './routes/forms';
import healthRoutes from './routes/health';
import reportRoutes from './routes/reports';
import revealRoutes from './routes/reveal';
import similarRoutes from './routes/similar';
import suggestionRoutes from './routes/suggestion';
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
}

declare module 'fastify' {
  interface FastifyInstance {
    tokenTtl: string;
    loginRateLimit: number;
  }
}

export async function buildApp(deps: AppDeps, config: Config, logger: boolean | object = false): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: config.server.bodyLimit,
    ajv: { customOptions: { removeAdditional: false, allErrors: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.decorate('tokenTtl', config.auth.tokenTtl);
  app.decorate('loginRateLimit', config.auth.loginRateLimit);

  await app.register(errors);
  await app.register(rateLimit, { global: false, hook: 'preHandler' });
  await app.register(multipart, { limits: UPLOAD_LIMITS });
  await app.register(swagger, {
    openapi: {
      info: { title: '平顶山市12345市长热线 工单系统 API', version: '0.1.0', description: '受理、交办、办理、审核、回访（平政〔2018〕15号）' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, session: { type: 'apiKey', in: 'cookie', name: 'hotline_session' } } },
    },
    // Shared schemas keep their $id as their name under components.schemas (ApiError, unitNode).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(auth, { ds: deps.ds, secret: config.auth.secret, ttl: config.auth.tokenTtl, cookieSecure: config.auth.cookieSecure });
  await app.register(audit, { ds: deps.ds });

  for (const routes of [healthRoutes, authRoutes, userRoutes, unitRoutes, caseRoutes, taskRoutes, calendarRoutes, deploymentRoutes, definitionRoutes, formRoutes, diagramRoutes, attachmentRoutes, reportRoutes, auditRoutes, revealRoutes, similarRoutes, dashboardRoutes, suggestionRoutes, conductRoutes]) {
    await app.register(routes, deps);
  }
  await app.register(web, { rootDir: config.rootDir });
  return app;
}
