import type { FastifyInstance } from 'fastify';
import { AttachmentEntity, CASE_STATUSES, CATEGORIES, CHANNELS, PHONE, type CaseStatus, type Category, type Channel } from '../../core/db/entities';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { caseIdParams, present, visibleCase, visibleUnitIds } from '../visibility';
import { taskView, taskViewSchema } from './tasks';

interface NewCaseBody {
  channel: Channel;
  citizen: { name: string; phone: string };
  address: string;
  content: string;
  category?: Category;
}

export const PROCESS_KEY = 'hotlineCase';

const caseSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    code: { type: 'string' },
    status: { type: 'string' },
    channel: { type: 'string' },
    citizenName: { type: 'string' },
    citizenPhone: { type: 'string' },
    address: { type: 'string' },
    content: { type: 'string' },
    category: { type: ['string', 'null'] },
    suggestedCategory: { type: ['string', 'null'] },
    leadUnitId: { type: ['string', 'null'] },
    processInstanceId: { type: ['string', 'null'] },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    dueBasis: { type: ['string', 'null'] },
    dueProvisional: { type: 'boolean' },
    supervisionLevel: { type: 'string' },
    overdue: { type: 'boolean' },
    dispatchCount: { type: 'integer' },
    coUnitIds: { type: 'array', items: { type: 'string' } },
    delegatedUnitId: { type: ['string', 'null'] },
    extensionCount: { type: 'integer' },
    closeReason: { type: ['string', 'null'] },
    dispatchedAt: { type: ['string', 'null'], format: 'date-time' },
    dueRule: { type: ['object', 'null'], additionalProperties: true },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    closedAt: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const noticeSchema = {
  type: 'object',
  properties: {
    number: { type: 'string' },
    level: { type: 'string' },
    trigger: { type: 'string' },
    reason: { type: 'string' },
    unitId: { type: ['string', 'null'] },
    replyDueAt: { type: ['string', 'null'], format: 'date-time' },
    issuedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const eventSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    actor: { type: 'string' },
    fromStatus: { type: ['string', 'null'] },
    toStatus: { type: ['string', 'null'] },
    data: { type: 'object', additionalProperties: true },
    occurredAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** Work orders: intake (R5.2), search, and one work order with its timeline and open tasks. */
export default async function caseRoutes(app: FastifyInstance, { ds, engine, cases }: AppDeps) {
  app.post<{ Body: NewCaseBody }>(
    '/api/cases',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('intake'),
      schema: {
        tags: ['工单'],
        summary: '受理登记工单（R5.2）',
        security: [{ bearer: [] }],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['channel', 'citizen', 'address', 'content'],
          properties: {
            channel: { type: 'string', enum: [...CHANNELS] },
            citizen: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'phone'],
              properties: {
                name: { type: 'string', minLength: 1, maxLength: 50, pattern: '\\S' },
                phone: { type: 'string', pattern: `^${PHONE}$` },
              },
            },
            address: { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' },
            content: { type: 'string', minLength: 1, maxLength: 5000, pattern: '\\S' },
            category: { type: 'string', enum: [...CATEGORIES] },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: { id: { type: 'string' }, code: { type: 'string' }, status: { type: 'string' }, suggestedCategory: { type: ['string', 'null'] }, suggestedUnitId: { type: ['string', 'null'] }, processInstanceId: { type: 'string' } },
          },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      let suggestedUnitId: string | null = null;
      let startedId: string | null = null;
      // The instance is started inside the case's transaction; if that transaction then fails, the instance goes too.
      const created = await cases.register(
        { channel: b.channel, citizenName: b.citizen.name.trim(), citizenPhone: b.citizen.phone, address: b.address.trim(), content: b.content.trim() },
        req.currentUser.username,
        async (c) => {
          const started = await engine.startProcess(PROCESS_KEY, c.code, {
            caseId: c.id,
            caseCode: c.code,
            channel: c.channel,
            address: c.address,
            content: c.content,
            ...(b.category ? { category: b.category } : {}),
            dispatchCount: 0,
            extensionCount: 0,
            revisitAttempts: 0,
            conductIssue: false,
            supervisionLevel: 'none',
            coUnitIds: [],
          });
          startedId = started.id;
          const suggested = started.variables?.suggestedCategory?.value;
          const unit = started.variables?.suggestedUnitId?.value;
          suggestedUnitId = typeof unit === 'string' && unit ? unit : null;
          return { processInstanceId: started.id, suggestedCategory: (CATEGORIES as readonly unknown[]).includes(suggested) ? (suggested as Category) : null };
        },
      ).catch(async (e: unknown) => {
        if (startedId) await engine.deleteProcessInstance(startedId, 'intake rolled back').catch((err: unknown) => req.log.error({ err, startedId }, 'orphan process instance'));
        throw e;
      });
      return reply.code(201).send({ id: created.id, code: created.code, status: created.status, suggestedCategory: created.suggestedCategory, suggestedUnitId, processInstanceId: created.processInstanceId });
    },
  );

  app.get<{ Querystring: { status?: CaseStatus; q?: string; page: number; pageSize: number } }>(
    '/api/cases',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['工单'],
        summary: '工单查询',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            status: { type: 'string', enum: [...CASE_STATUSES] },
            q: { type: 'string', maxLength: 100 },
            page: { type: 'integer', minimum: 1, default: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: caseSchema }, total: { type: 'integer' }, totalCapped: { type: 'boolean' }, page: { type: 'integer' }, pageSize: { type: 'integer' } } } },
      },
    },
    async (req) => {
      const { status, q, page, pageSize } = req.query;
      const unitIds = await visibleUnitIds(ds, req.currentUser);
      const { items, total, totalCapped } = await cases.list({ status, q: q?.trim() || undefined, page, pageSize, unitIds });
      return { items: items.map((c) => present(c, req.currentUser)), total, totalCapped, page, pageSize };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/cases/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['工单'],
        summary: '工单详情：字段、时间线、待办任务',
        security: [{ bearer: [] }],
        params: caseIdParams,
        response: {
          200: {
            type: 'object',
            properties: {
              ...caseSchema.properties,
              timeline: { type: 'array', items: eventSchema },
              tasks: { type: 'array', items: taskViewSchema },
              notices: { type: 'array', items: noticeSchema },
              attachments: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, filename: { type: 'string' }, mimeType: { type: 'string' }, sizeBytes: { type: 'integer' }, uploadedBy: { type: 'string' }, uploadedAt: { type: 'string' } } } },
            },
          },
        },
      },
    },
    async (req) => {
      const c = await visibleCase(ds, cases, req.params.id, req.currentUser);
      // The full personal record (unmasked phone) is disclosed only once its reading is audited.
      if (req.currentUser.cityWide) await app.audit(req, { action: 'case.view', resource: 'cases', resourceId: c.id, detail: { code: c.code } });
      const [timeline, tasks, notices, attachments] = await Promise.all([
        cases.timeline(c.id),
        c.processInstanceId ? engine.tasks({ processInstanceId: c.processInstanceId }) : Promise.resolve([]),
        cases.notices(c.id),
        ds.getRepository(AttachmentEntity).find({ where: { caseId: c.id }, order: { uploadedAt: 'ASC' } }),
      ]);
      return { ...present(c, req.currentUser), timeline, tasks: tasks.map((t) => taskView(t, c)), notices, attachments };
    },
  );
}
