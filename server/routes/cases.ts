import type { FastifyInstance } from 'fastify';
import { AttachmentEntity } from '../../core/db/entities';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import {
  CaseIdParams,
  CaseFlagSchema,
  CaseStatusSchema,
  CategorySchema,
  ChannelSchema,
  DateTime,
  Nullable,
  Pagination,
  Phone,
  ResponseObject,
  Text,
  Type,
  type Static,
} from '../schemas';
import { CASE_TEXT_LIMITS, INSTRUCTION_TEXT_LIMITS } from '../../core/cases/limits';
import { CASE_FLAGS } from '../../core/vocabulary';
import { feedbackSheet } from '../../core/cases/feedback-sheet';
import { NotFoundError } from '../../core/errors';
import { auditBulkRead, personalDataRateLimit, refusePhoneSearch } from '../personal-data';
import { present, visibleCase, visibleUnitIds } from '../visibility';
import { taskView, TaskViewSchema } from './tasks';

/** 一(四) 领导批示件: who instructed, what, and by when if the leader set a date. */
const InstructionSchema = Type.Object(
  {
    leaderName: Text(INSTRUCTION_TEXT_LIMITS.leaderName),
    text: Text(INSTRUCTION_TEXT_LIMITS.text),
    dueAt: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

/** The citizen and the address are required for calls; a leader's instruction (channel leader-instruction) may omit them. */
const NewCaseBody = Type.Object(
  {
    channel: ChannelSchema,
    citizen: Type.Optional(Type.Object({ name: Text(CASE_TEXT_LIMITS.citizenName), phone: Phone }, { additionalProperties: false })),
    address: Type.Optional(Text(CASE_TEXT_LIMITS.address)),
    instruction: Type.Optional(InstructionSchema),
    /** Required for calls; a 领导批示件 without it takes the instruction's text as its content. */
    content: Type.Optional(Text(CASE_TEXT_LIMITS.content)),
    category: Type.Optional(CategorySchema),
    /** 四 D 突发性、敏感性、群体性: a flagged case is reported at once to the office's leaders. */
    flags: Type.Optional(Type.Array(CaseFlagSchema, { maxItems: CASE_FLAGS.length, uniqueItems: true })),
  },
  { additionalProperties: false },
);

const CaseQuery = Type.Object(
  {
    status: Type.Optional(CaseStatusSchema),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    flag: Type.Optional(CaseFlagSchema),
    channel: Type.Optional(ChannelSchema),
    ...Pagination(20, 100),
  },
  { additionalProperties: false },
);

const NullableString = Nullable(Type.String());
const NullableDateTime = Nullable(DateTime);

/** A work order as the API shows it (the phone masked for units). */
const CaseSchema = ResponseObject({
  id: Type.String(),
  code: Type.String(),
  status: Type.String(),
  channel: Type.String(),
  citizenName: Type.String(),
  citizenPhone: Type.String(),
  address: Type.String(),
  content: Type.String(),
  category: NullableString,
  suggestedCategory: NullableString,
  leadUnitId: NullableString,
  processInstanceId: NullableString,
  dueAt: NullableDateTime,
  dueBasis: NullableString,
  dueProvisional: Type.Boolean(),
  supervisionLevel: Type.String(),
  overdue: Type.Boolean(),
  dispatchCount: Type.Integer(),
  coUnitIds: Type.Array(Type.String()),
  flags: Type.Array(Type.String()),
  delegatedUnitId: NullableString,
  extensionCount: Type.Integer(),
  closeReason: NullableString,
  dispatchedAt: NullableDateTime,
  dueRule: Nullable(Type.Object({}, { additionalProperties: true })),
  createdBy: Type.String(),
  createdAt: DateTime,
  updatedAt: DateTime,
  closedAt: NullableDateTime,
  imported: Type.Boolean(),
});

const NoticeSchema = ResponseObject({
  number: Type.String(),
  level: Type.String(),
  trigger: Type.String(),
  reason: Type.String(),
  unitId: NullableString,
  replyDueAt: NullableDateTime,
  issuedAt: DateTime,
});

const EventSchema = ResponseObject({
  id: Type.String(),
  type: Type.String(),
  actor: Type.String(),
  fromStatus: NullableString,
  toStatus: NullableString,
  data: Type.Object({}, { additionalProperties: true }),
  occurredAt: DateTime,
});

const AttachmentSchema = ResponseObject({
  id: Type.String(),
  filename: Type.String(),
  mimeType: Type.String(),
  sizeBytes: Type.Integer(),
  uploadedBy: Type.String(),
  uploadedAt: Type.String(),
});

const CaseDetailSchema = ResponseObject({
  ...CaseSchema.properties,
  timeline: Type.Array(EventSchema),
  tasks: Type.Array(TaskViewSchema),
  notices: Type.Array(NoticeSchema),
  attachments: Type.Array(AttachmentSchema),
  /** 一(四) 领导批示件: the leader's instruction; null for any other work order. */
  instruction: Nullable(ResponseObject({ leaderName: Type.String(), text: Type.String(), dueAt: NullableDateTime })),
});

/** 《领导批示件办理情况反馈单》: a part not done yet is null (the printed sheet leaves its line blank). */
const FeedbackSheetSchema = ResponseObject({
  code: Type.String(),
  leaderName: Type.String(),
  instruction: Type.String(),
  content: Type.String(),
  registeredAt: DateTime,
  leadUnitId: NullableString,
  dispatchedAt: NullableDateTime,
  dueAt: NullableDateTime,
  dueByInstruction: Type.Boolean(),
  notices: Type.Array(ResponseObject({ level: Type.String(), number: Type.String(), issuedAt: DateTime })),
  handling: Nullable(ResponseObject({ process: NullableString, result: NullableString, responsible: NullableString, at: DateTime })),
  signoff: Nullable(ResponseObject({ approved: Type.Boolean(), by: Type.String(), at: DateTime })),
  review: Nullable(ResponseObject({ at: DateTime })),
  report: Nullable(ResponseObject({ text: Type.String(), by: Type.String(), at: DateTime })),
});

const CreatedCaseSchema = ResponseObject({
  id: Type.String(),
  code: Type.String(),
  status: Type.String(),
  suggestedCategory: NullableString,
  suggestedUnitId: NullableString,
  /** Null while the process is still being started (the outbox relay records it on the work order). */
  processInstanceId: NullableString,
});

/** Work orders: intake (R5.2), search, and one work order with its timeline and open tasks. */
/**
 * An intake request may carry an Idempotency-Key (8–100 visible ASCII characters, e.g. a UUID the form made when
 * it opened): sent again with it — a retry after a lost answer — it answers 200 with the work order it made.
 */
const IntakeHeaders = Type.Object({ 'idempotency-key': Type.Optional(Type.String({ pattern: '^[\\x21-\\x7e]{8,100}$' })) });

export default async function caseRoutes(app: FastifyInstance, { ds, engine, cases, operations }: AppDeps) {
  app.post<{ Body: Static<typeof NewCaseBody>; Headers: Static<typeof IntakeHeaders> }>(
    '/api/cases',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('intake'),
      schema: {
        tags: ['工单'],
        summary: '受理登记工单（R5.2）及领导批示件（一(四)，channel leader-instruction）：立即应答，流程实例由发件箱随后启动（processInstanceId 可能为空）',
        security: [{ bearer: [] }],
        headers: IntakeHeaders,
        body: NewCaseBody,
        response: { 200: CreatedCaseSchema, 201: CreatedCaseSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const created = await operations.registerCase(
        {
          channel: b.channel,
          citizenName: b.citizen?.name.trim() ?? '',
          citizenPhone: b.citizen?.phone ?? '',
          address: b.address?.trim() ?? '',
          content: b.content?.trim() ?? '',
          category: b.category,
          flags: b.flags ?? [],
          ...(b.instruction
            ? {
                instruction: {
                  leaderName: b.instruction.leaderName.trim(),
                  text: b.instruction.text.trim(),
                  dueAt: b.instruction.dueAt ? new Date(b.instruction.dueAt) : null,
                },
              }
            : {}),
          ...(req.headers['idempotency-key'] ? { intakeKey: req.headers['idempotency-key'] } : {}),
        },
        req.currentUser.username,
      );
      // The same request again (same Idempotency-Key): the work order it made, not a second one.
      if (created.replayed) return reply.code(200).header('idempotent-replayed', 'true').send(created);
      return reply.code(201).send(created);
    },
  );

  app.get<{ Querystring: Static<typeof CaseQuery> }>(
    '/api/cases',
    {
      onRequest: app.authenticate,
      config: { rateLimit: personalDataRateLimit(app, 'cases-list') },
      schema: {
        tags: ['工单'],
        summary: '工单查询（含个人信息的页面按用户限速；热线办等一级用户的每页、任何人的检索记入审计日志）',
        security: [{ bearer: [] }],
        querystring: CaseQuery,
        response: {
          200: ResponseObject({
            items: Type.Array(CaseSchema),
            total: Type.Integer(),
            totalCapped: Type.Boolean(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
        },
      },
    },
    async (req) => {
      const { status, flag, channel, page, pageSize } = req.query;
      const q = req.query.q?.trim() || undefined;
      await refusePhoneSearch(app, req, 'cases.list', q);
      const unitIds = await visibleUnitIds(ds, req.currentUser);
      const { items, total, totalCapped } = await cases.list({ status, q, flag, channel, page, pageSize, unitIds });
      // Level-1 users get the phones unmasked: every such page is audited; a search is audited for anyone.
      if (q || (req.currentUser.cityWide && items.length > 0))
        await auditBulkRead(
          app,
          req,
          'cases.list',
          items.map((c) => c.id),
          { status, q, flag, channel, page },
        );
      return { items: items.map((c) => present(c, req.currentUser)), total, totalCapped, page, pageSize };
    },
  );

  app.get<{ Params: Static<typeof CaseIdParams> }>(
    '/api/cases/:id',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['工单'],
        summary: '工单详情：字段、时间线、待办任务',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: { 200: CaseDetailSchema },
      },
    },
    async (req) => {
      const c = await visibleCase(ds, cases, req.params.id, req.currentUser);
      // The full personal record (unmasked phone) is disclosed only once its reading is audited.
      if (req.currentUser.cityWide) await app.audit(req, { action: 'case.view', resource: 'cases', resourceId: c.id, detail: { code: c.code } });
      const [timeline, tasks, notices, attachments, instruction] = await Promise.all([
        cases.timeline(c.id),
        c.processInstanceId ? engine.tasks({ processInstanceId: c.processInstanceId }) : Promise.resolve([]),
        cases.notices(c.id),
        ds.getRepository(AttachmentEntity).find({ where: { caseId: c.id }, order: { uploadedAt: 'ASC' } }),
        cases.instruction(c.id),
      ]);
      return { ...present(c, req.currentUser), timeline, tasks: tasks.map((t) => taskView(t, c)), notices, attachments, instruction };
    },
  );

  app.get<{ Params: Static<typeof CaseIdParams> }>(
    '/api/cases/:id/feedback-sheet',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['工单'],
        summary: '领导批示件办理情况反馈单（一(四)）：批示、交办、督办、办理结果、签发、审核和向批示领导的反馈；非领导批示件 404',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: { 200: FeedbackSheetSchema },
      },
    },
    async (req) => {
      const c = await visibleCase(ds, cases, req.params.id, req.currentUser);
      const instruction = await cases.instruction(c.id);
      if (!instruction)
        throw new NotFoundError('id', '该工单不是领导批示件，没有反馈单', 'this work order is not a leader instruction: it has no feedback sheet');
      const [timeline, notices] = await Promise.all([cases.timeline(c.id), cases.notices(c.id)]);
      return feedbackSheet(c, instruction, timeline, notices);
    },
  );
}
