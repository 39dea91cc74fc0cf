/**
 * 六 the office raises a case's supervision level by hand (热点难点、群众反映集中、涉及面广、关注度高 …), with a reason.
 * The request is recorded in one transaction with its timeline event (`supervision-requested`) and an outbox row
 * (`supervision-request`, keyed by the request's id); the relay then correlates the message `caseSupervisionRequested`
 * (bpmn/hotline-case.bpmn, event sub-process `manualSupervision`), which enters the same ladder as a deadline
 * (event sub-process `supervision`): the notice of the requested level through `caseSupervision` (trigger `manual`),
 * then that level's timers, and a requested transfer transfers the case. Exactly once: before correlating, the relay
 * counts the requests the instance has received (history of the message start event) against the requests of the
 * case already carried out; one more received than carried out means this one reached the engine before a crash.
 * That count is sound because a case has at most one request pending at a time (a second is refused while one is).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CaseRepository } from '../cases/repository';
import { EngineError, type EngineClient } from '../engine/client';
import { ConflictError, EngineUnavailableError, NotFoundError } from '../errors';
import type { Faults } from './faults';
import { enqueue, finish, type OutboxRow } from './outbox';
import type { Relay } from './relay';
import { SUPERVISION_LEVEL, supervisionRank, type CaseStatus, type SupervisionLevel } from '../vocabulary';

/** A level the office may ask for: a step of the ladder. */
export type ManualLevel = Exclude<SupervisionLevel, 'none'>;

/** The message the diagram's `manualSupervision` event sub-process starts on. */
export const SUPERVISION_MESSAGE = 'caseSupervisionRequested';
/** The message start event whose history counts the requests an instance has received. */
export const SUPERVISION_START_ACTIVITY = 'supervisionRequested';

export interface SupervisionRequest {
  caseId: string;
  level: ManualLevel;
  reason: string;
  actor: string;
}

export interface SupervisionRequestPayload extends Record<string, unknown> {
  requestId: string;
  processInstanceId: string;
  level: ManualLevel;
  reason: string;
  actor: string;
}

export interface RequestedSupervision {
  id: string;
  caseId: string;
  level: ManualLevel;
  status: 'pending';
}

interface Deps {
  ds: DataSource;
  engine: EngineClient;
  cases: CaseRepository;
  relay: Relay;
  faults: Faults;
}

const notOpen = () => new ConflictError('id', '只能对交办办理中的工单提级督办', 'only a work order being handled by its unit can be escalated');
const tooLow = (current: SupervisionLevel) =>
  new ConflictError('level', `提级督办的级别须高于当前级别（${SUPERVISION_LEVEL[current]}）`, `level must be above the current supervision level (${current})`);

/** Definitions (by id) that know the message: an instance of an older version has no subscription to it. */
const knowsMessage = new Map<string, boolean>();

/**
 * Whether the instance waits for the message now. An older version of the diagram has no `manualSupervision`:
 * 409 `process_outdated` (such cases are escalated by their deadline, or after a migration of their instance).
 * The engine out of reach: the check is skipped and the relay finds out when it is back.
 */
async function checkSubscription(engine: EngineClient, processInstanceId: string): Promise<void> {
  try {
    const open = await engine.eventSubscriptions(processInstanceId, SUPERVISION_MESSAGE);
    if (open.length > 0) return;
    const { processDefinitionId } = await engine.historicProcessInstance(processInstanceId);
    let known = knowsMessage.get(processDefinitionId);
    if (known === undefined) {
      known = (await engine.definitionXml('process', processDefinitionId)).includes(`name="${SUPERVISION_MESSAGE}"`);
      knowsMessage.set(processDefinitionId, known);
    }
    if (!known)
      throw new ConflictError(
        'id',
        '该工单按旧版流程办理，不支持提级督办（到期后按期限逐级督办，或由管理员迁移到新版流程）',
        'the work order runs an older version of the process that has no manual escalation; migrate the instance or let the deadline escalate it',
        { code: 'process_outdated' },
      );
    throw notOpen();
  } catch (e) {
    if (e instanceof EngineUnavailableError) return;
    throw e;
  }
}

export async function requestSupervision(deps: Deps, request: SupervisionRequest): Promise<RequestedSupervision> {
  const c = await deps.cases.get(request.caseId);
  if (!c) throw new NotFoundError('id', '工单不存在', 'no such work order');
  if (c.status !== 'dispatched' || !c.processInstanceId) throw notOpen();
  if (supervisionRank(request.level) <= supervisionRank(c.supervisionLevel)) throw tooLow(c.supervisionLevel);
  await checkSubscription(deps.engine, c.processInstanceId);

  const requestId = randomUUID();
  const processInstanceId = c.processInstanceId;
  await deps.ds.transaction(async (tx) => {
    const [now] = (await tx.query(`SELECT status, supervision_level AS level FROM work_orders WHERE id = $1 FOR UPDATE`, [c.id])) as {
      status: CaseStatus;
      level: SupervisionLevel;
    }[];
    if (now.status !== 'dispatched') throw notOpen();
    if (supervisionRank(request.level) <= supervisionRank(now.level)) throw tooLow(now.level);
    const pending = (await tx.query(`SELECT 1 FROM outbox WHERE kind = 'supervision-request' AND case_id = $1 AND done_at IS NULL`, [c.id])) as unknown[];
    if (pending.length > 0) throw new ConflictError('id', '该工单已有提级督办正在处理，请稍后刷新', 'an escalation of this work order is under way');
    await tx.query(`INSERT INTO case_events(case_id, type, actor, data, dedupe_key) VALUES ($1, 'supervision-requested', $2, $3, $4)`, [
      c.id,
      request.actor,
      JSON.stringify({ requestId, level: request.level, reason: request.reason }),
      `supervision-request:${requestId}`,
    ]);
    const payload: SupervisionRequestPayload = { requestId, processInstanceId, level: request.level, reason: request.reason, actor: request.actor };
    await enqueue(tx, 'supervision-request', requestId, c.id, payload);
  });
  deps.faults('supervision:after-record');
  deps.relay.wake();
  return { id: requestId, caseId: c.id, level: request.level, status: 'pending' };
}

/**
 * The relay's step for a `supervision-request` row: correlate the message once. No subscription any more (the
 * unit fed back, the case left the unit's hands, or an older version): the request lapses, recorded in the timeline.
 */
export async function carryOutSupervisionRequest(
  deps: { ds: DataSource; engine: EngineClient; faults: Faults },
  row: OutboxRow,
): Promise<Record<string, unknown>> {
  const p = row.payload as SupervisionRequestPayload;
  deps.faults('supervision:before-engine');
  const received = (await deps.engine.historicActivityInstances(p.processInstanceId)).filter((a) => a.activityId === SUPERVISION_START_ACTIVITY).length;
  const [{ done }] = (await deps.ds.query(
    `SELECT count(*)::int AS done FROM outbox WHERE kind = 'supervision-request' AND case_id = $1 AND outcome = 'done' AND id < $2`,
    [row.caseId, row.id],
  )) as { done: number }[];
  const adopted = received > done;
  if (!adopted) {
    try {
      await deps.engine.correlateMessage(SUPERVISION_MESSAGE, p.processInstanceId, {
        requestedLevel: p.level,
        requestedReason: p.reason,
        requestedBy: p.actor,
        requestedId: p.requestId,
      });
    } catch (e) {
      // No execution waits for the message (engine 400/404): it can never be delivered.
      if (!(e instanceof EngineError && (e.status === 400 || e.status === 404))) throw e;
      const result = { correlated: false, reason: e.message.slice(0, 300) };
      await deps.ds.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO case_events(case_id, type, actor, data, dedupe_key) VALUES ($1, 'supervision-request-lapsed', 'system', $2, $3) ON CONFLICT (dedupe_key) DO NOTHING`,
          [row.caseId, JSON.stringify({ requestId: p.requestId, level: p.level }), `supervision-request:${p.requestId}:lapsed`],
        );
        await finish(tx, row.id, 'abandoned', result);
      });
      return result;
    }
  }
  deps.faults('supervision:after-engine');
  const result = { correlated: true, adopted };
  await finish(deps.ds, row.id, 'done', result);
  return result;
}
