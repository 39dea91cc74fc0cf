/**
 * Work orders and their timeline. Every change to a work order is written together with its
 * timeline event in one transaction; at-least-once writers pass a dedupe key, and a change whose
 * key was already written is skipped, so a redelivered task or a retried request changes nothing twice.
 */
import { In, type DataSource, type EntityManager } from 'typeorm';
import {
  CaseEventEntity,
  PHONE,
  SupervisionNoticeEntity,
  WorkOrderEntity,
  type CaseEvent,
  type CaseStatus,
  type Category,
  type Channel,
  type SupervisionNotice,
  type WorkOrder,
} from '../db/entities';
import { lockNamed } from '../db/lock';
import type { Deadline } from '../calendar/deadline';
import { beijingDay, CLOSING_STATUSES, type CaseFlag } from '../vocabulary';

export interface NewCase {
  channel: Channel;
  citizenName: string;
  citizenPhone: string;
  address: string;
  content: string;
  /** 四 D: 突发性、敏感性、群体性 (CASE_FLAG); none when absent. */
  flags?: CaseFlag[];
  /** 一(四) 领导批示件: the leader's instruction (channel `leader-instruction` only). */
  instruction?: LeaderInstruction;
  /** The request's Idempotency-Key: the same key from the same account registers one work order. */
  intakeKey?: string;
  /** With `intakeKey`: the fingerprint of the whole request, to tell a retry from another request under the same key. */
  intakeDigest?: string;
}

/** 一(四) A leader's written instruction (批示) registered as a work order: who, what, and by when if the leader said. */
export interface LeaderInstruction {
  leaderName: string;
  text: string;
  dueAt: Date | null;
}

export interface EventInput {
  type: string;
  actor: string;
  data?: Record<string, unknown>;
  toStatus?: CaseStatus;
  dedupeKey?: string;
  /**
   * An id and instant taken when the change was decided (`reserveEventId`), for an event written after the engine
   * acted on it: the timeline (ordered by id) then shows it before what the engine did next.
   */
  reserved?: { id: string; at: Date };
}

export interface CaseListQuery {
  status?: CaseStatus;
  q?: string;
  /** Only cases carrying this flag (四 D). */
  flag?: CaseFlag;
  /** Only cases of this channel (e.g. 领导批示件, 一(四)). */
  channel?: Channel;
  page: number;
  pageSize: number;
  /** Only cases led by these units (unit-scoped users); undefined = all. */
  unitIds?: string[];
}

/** What was suggested at intake, recorded with the case: the office's dispatch is later compared with it. */
export interface IntakeSuggestion {
  category: Category | null;
  unitId: string | null;
  /** `model:<version>` or `catalogue` */
  source: string | null;
}

export interface CaseRepository {
  /**
   * Inserts the case, its first event and its suggested category in one transaction; `inside` adds what must
   * commit with it (the outbox row that will start its process). Never waits for the engine. With an intake key
   * the account used before, writes nothing and answers that work order (`replayed`); requests with one key
   * queue on a named lock, so sent twice at once they still make one work order.
   */
  register(
    input: NewCase,
    actor: string,
    suggestion: IntakeSuggestion,
    inside: (tx: EntityManager, c: WorkOrder) => Promise<void>,
  ): Promise<{ workOrder: WorkOrder; replayed: boolean }>;
  get(id: string): Promise<WorkOrder | null>;
  /**
   * Records a suggestion computed after intake for a case with no suggested lead unit (registered before the column
   * existed, or nothing was suggested then), with its `category-suggested` event; a category recorded at intake is
   * kept. Holds the work order's row: returns what is recorded afterwards, so a case that got its unit meanwhile
   * (a redelivered or concurrent task) keeps the first one, and nothing is written twice.
   */
  recordSuggestion(caseId: string, computed: IntakeSuggestion): Promise<IntakeSuggestion>;
  byProcessInstance(processInstanceId: string): Promise<WorkOrder | null>;
  /** One page, newest first; `total` counts matches up to COUNT_CAP (`totalCapped` says there are more). */
  list(query: CaseListQuery): Promise<{ items: WorkOrder[]; total: number; totalCapped: boolean }>;
  timeline(caseId: string): Promise<CaseEvent[]>;
  /**
   * Records an event and applies `patch` once per dedupe key; returns false when it had already been applied.
   * `inside` runs before commit (e.g. the engine call the change stands for): if it throws, nothing is written.
   */
  apply(caseId: string, event: EventInput, patch?: Partial<WorkOrder>, inside?: (tx: EntityManager) => Promise<void>): Promise<boolean>;
  /** Records a deadline once per dedupe key and returns the one recorded (a redelivery gets the first answer). */
  setDeadline(
    caseId: string,
    deadline: Deadline,
    rule: DeadlineRule | null,
    actor: string,
    dedupeKey: string,
    extra?: Partial<WorkOrder>,
    inside?: (tx: EntityManager) => Promise<void>,
  ): Promise<Deadline>;
  /** Issues a supervision notice (督办通知 / 移交记录) with its number, once per dedupe key; returns the recorded one. */
  issueNotice(caseId: string, notice: NewNotice, patch?: Partial<WorkOrder>): Promise<SupervisionNotice>;
  notices(caseId: string): Promise<SupervisionNotice[]>;
  /** The leader's instruction of a 领导批示件 work order; null for any other. */
  instruction(caseId: string): Promise<LeaderInstruction | null>;
}

export type DeadlineRule = NonNullable<WorkOrder['dueRule']>;

export interface NewNotice {
  level: SupervisionNotice['level'];
  trigger: string;
  reason: string;
  unitId: string | null;
  replyDueAt: Date | null;
  dedupeKey: string;
}

export const COUNT_CAP = 200;

/** A work-order number or a phone number is looked up exactly (b-tree), anything else as text (trigram indexes). */
const EXACT_QUERY = new RegExp(`^(12345-\\d{8}-\\d{6}|${PHONE})$`);

/** Work-order numbers read like the paper form's: 12345-yyyymmdd-nnnnnn (Beijing date). */
function caseCode(seq: number, at: Date): string {
  const day = beijingDay(at).replace(/-/g, '');
  return `12345-${day}-${String(seq).padStart(6, '0')}`;
}

export function createCaseRepository(ds: DataSource): CaseRepository {
  const cases = ds.getRepository(WorkOrderEntity);
  const events = ds.getRepository(CaseEventEntity);

  async function insertEvent(tx: EntityManager, caseId: string, e: EventInput, fromStatus: CaseStatus | null): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO case_events(id, case_id, type, actor, from_status, to_status, data, dedupe_key, occurred_at)
       VALUES (COALESCE($8::bigint, nextval(pg_get_serial_sequence('case_events', 'id'))), $1, $2, $3, $4, $5, $6, $7, COALESCE($9::timestamptz, now()))
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        caseId,
        e.type,
        e.actor,
        e.toStatus ? fromStatus : null,
        e.toStatus ?? null,
        JSON.stringify(e.data ?? {}),
        e.dedupeKey ?? null,
        e.reserved?.id ?? null,
        e.reserved?.at ?? null,
      ],
    );
    return rows.length > 0;
  }

  const repo: CaseRepository = {
    async register(input, actor, suggestion, inside) {
      const suggestedCategory = suggestion.category;
      return ds.transaction(async (tx) => {
        if (input.intakeKey) {
          await lockNamed(tx, `intake:${actor}:${input.intakeKey}`);
          const before = await tx.getRepository(WorkOrderEntity).findOneBy({ createdBy: actor, intakeKey: input.intakeKey });
          if (before) return { workOrder: before, replayed: true };
        }
        const [{ seq }] = (await tx.query(`SELECT nextval('work_order_code_seq')::int AS seq`)) as { seq: number }[];
        const now = new Date();
        const { instruction, ...fields } = input;
        const created = await tx.getRepository(WorkOrderEntity).save({
          ...fields,
          flags: input.flags ?? [],
          code: caseCode(seq, now),
          status: 'registered' as const,
          suggestedCategory,
          suggestedUnitId: suggestion.unitId,
          suggestionSource: suggestion.source,
          dueProvisional: false,
          supervisionLevel: 'none' as const,
          overdue: false,
          dispatchCount: 0,
          createdBy: actor,
        });
        // Both first events in one statement: intake is the hot path.
        await tx.query(
          `INSERT INTO case_events(case_id, type, actor, to_status, data) VALUES ($1, 'registered', $2, 'registered', $3)${suggestedCategory ? `, ($1, 'category-suggested', 'system', NULL, $4)` : ''}`,
          [
            created.id,
            actor,
            JSON.stringify({ channel: input.channel, ...(input.flags?.length ? { flags: input.flags } : {}) }),
            ...(suggestedCategory ? [JSON.stringify({ suggestedCategory, suggestedUnitId: suggestion.unitId, source: suggestion.source })] : []),
          ],
        );
        if (instruction)
          await tx.query(`INSERT INTO leader_instructions(case_id, leader_name, text, due_at) VALUES ($1, $2, $3, $4)`, [
            created.id,
            instruction.leaderName,
            instruction.text,
            instruction.dueAt,
          ]);
        await inside(tx, created);
        return { workOrder: created, replayed: false };
      });
    },

    get: (id) => cases.findOneBy({ id }),

    async recordSuggestion(caseId, computed) {
      return ds.transaction(async (tx) => {
        const rows = (await tx.query(
          `SELECT suggested_category AS category, suggested_unit_id AS "unitId", suggestion_source AS source FROM work_orders WHERE id = $1 FOR UPDATE`,
          [caseId],
        )) as IntakeSuggestion[];
        if (rows.length === 0) throw new Error(`work order ${caseId} does not exist`);
        const [recorded] = rows;
        if (recorded.unitId || (!computed.unitId && recorded.category)) return recorded;
        const next: IntakeSuggestion = { category: recorded.category ?? computed.category, unitId: computed.unitId, source: computed.source };
        await tx
          .getRepository(WorkOrderEntity)
          .update(caseId, { suggestedCategory: next.category, suggestedUnitId: next.unitId, suggestionSource: next.source });
        await insertEvent(
          tx,
          caseId,
          { type: 'category-suggested', actor: 'system', data: { suggestedCategory: next.category, suggestedUnitId: next.unitId, source: next.source } },
          null,
        );
        return next;
      });
    },

    byProcessInstance: (processInstanceId) => cases.findOneBy({ processInstanceId }),

    async list({ status, q, flag, channel, page, pageSize, unitIds }) {
      const qb = cases.createQueryBuilder('c').orderBy('c.created_at', 'DESC').addOrderBy('c.id', 'DESC');
      if (status) qb.andWhere('c.status = :status', { status });
      if (flag) qb.andWhere('c.flags @> ARRAY[:flag]::varchar[]', { flag });
      if (channel) qb.andWhere('c.channel = :channel', { channel });
      if (unitIds) qb.andWhere('(c.lead_unit_id = ANY(:unitIds) OR c.delegated_unit_id = ANY(:unitIds) OR c.co_unit_ids && :unitIds::varchar[])', { unitIds });
      if (q && EXACT_QUERY.test(q)) qb.andWhere('(c.code = :q OR c.citizen_phone = :q)', { q });
      else if (q) {
        // Case folding costs more than the match itself; a query without cased letters (Chinese) needs none.
        const op = q.toLowerCase() === q.toUpperCase() ? 'LIKE' : 'ILIKE';
        qb.andWhere(`(c.content ${op} :like OR c.address ${op} :like OR c.citizen_name ${op} :like)`, { like: `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%` });
      }
      // Counting every match of a broad query over a million rows costs more than the page itself. One walk down
      // the newest matches, up to a cap, gives both the count and the page; pages past the cap are read directly.
      const offset = (page - 1) * pageSize;
      if (offset + pageSize <= COUNT_CAP) {
        const newest: { id: string }[] = await qb
          .clone()
          .select('c.id', 'id')
          .limit(COUNT_CAP + 1)
          .getRawMany();
        const pageIds = newest.slice(offset, offset + pageSize).map((r) => r.id);
        const rows = pageIds.length ? await cases.findBy({ id: In(pageIds) }) : [];
        const byId = new Map(rows.map((r) => [r.id, r]));
        return { items: pageIds.map((id) => byId.get(id)!), total: Math.min(newest.length, COUNT_CAP), totalCapped: newest.length > COUNT_CAP };
      }
      return { items: await qb.skip(offset).take(pageSize).getMany(), total: COUNT_CAP, totalCapped: true };
    },

    timeline: (caseId) => events.find({ where: { caseId }, order: { id: 'ASC' } }),

    async apply(caseId, event, patch, inside) {
      return ds.transaction(async (tx) => {
        const rows = (await tx.query(`SELECT status FROM work_orders WHERE id = $1 FOR UPDATE`, [caseId])) as { status: CaseStatus }[];
        if (rows.length === 0) throw new Error(`work order ${caseId} does not exist`);
        const applied = await insertEvent(tx, caseId, event, rows[0].status);
        if (!applied) return false;
        const changes: Partial<WorkOrder> = { ...patch };
        if (event.toStatus) {
          changes.status = event.toStatus;
          if (CLOSING_STATUSES.includes(event.toStatus)) changes.closedAt = new Date();
        }
        if (Object.keys(changes).length > 0) await tx.getRepository(WorkOrderEntity).update(caseId, changes);
        if (inside) await inside(tx);
        return true;
      });
    },

    async setDeadline(caseId, deadline, rule, actor, dedupeKey, extra = {}, inside) {
      const applied = await repo.apply(
        caseId,
        { type: 'deadline-set', actor, dedupeKey, data: { dueAt: deadline.dueAt.toISOString(), basis: deadline.basis, provisional: deadline.provisional } },
        { dueAt: deadline.dueAt, dueBasis: deadline.basis, dueProvisional: deadline.provisional, dueRule: rule, overdue: false, ...extra },
        inside,
      );
      if (applied) return deadline;
      const first = await events.findOneByOrFail({ dedupeKey });
      const data = first.data as { dueAt: string; basis: string; provisional: boolean };
      return { dueAt: new Date(data.dueAt), basis: data.basis, provisional: data.provisional };
    },

    async issueNotice(caseId, n, patch = {}) {
      const notices = ds.getRepository(SupervisionNoticeEntity);
      await repo.apply(
        caseId,
        {
          type: 'supervision',
          actor: 'system',
          dedupeKey: n.dedupeKey,
          data: { level: n.level, reason: n.reason, replyDueAt: n.replyDueAt?.toISOString() ?? null },
        },
        patch,
        async (tx) => {
          const [{ seq }] = (await tx.query(`SELECT nextval('supervision_notice_seq')::int AS seq`)) as { seq: number }[];
          const year = beijingDay(new Date()).slice(0, 4);
          const kind = n.level === 'transferred' ? '移' : '督';
          await tx.getRepository(SupervisionNoticeEntity).insert({ ...n, caseId, number: `平热${kind}〔${year}〕${String(seq).padStart(5, '0')}号` });
        },
      );
      return notices.findOneByOrFail({ dedupeKey: n.dedupeKey });
    },

    notices: (caseId) => ds.getRepository(SupervisionNoticeEntity).find({ where: { caseId }, order: { issuedAt: 'ASC' } }),

    async instruction(caseId) {
      const [row] = (await ds.query(`SELECT leader_name, text, due_at FROM leader_instructions WHERE case_id = $1`, [caseId])) as {
        leader_name: string;
        text: string;
        due_at: Date | null;
      }[];
      return row ? { leaderName: row.leader_name, text: row.text, dueAt: row.due_at } : null;
    },
  };
  return repo;
}
