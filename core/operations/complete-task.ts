/**
 * Completing a human task of a work order. The intent (variables, the work order's changes) is recorded in
 * the outbox first; then the engine task is completed; then the timeline event and the changes are written
 * with the row marked done, in one transaction. Whoever finds the row pending (a retried request, the relay
 * after its claim ran out) carries out the rest: the engine task is completed if still open, the event is
 * written once (dedupe key `task:<id>`). A refusal by the engine voids the intent: nothing is written.
 */
import type { DataSource } from 'typeorm';
import type { CaseRepository } from '../cases/repository';
import type { WorkOrder } from '../db/entities';
import { EngineError, type EngineClient, type VariableValue } from '../engine/client';
import { ConflictError } from '../errors';
import type { Faults } from './faults';
import { claimKey, discard, enqueue, find, finish, type OutboxRow } from './outbox';
import type { Relay } from './relay';

export interface TaskCompletion extends Record<string, unknown> {
  taskId: string;
  taskKey: string;
  taskName: string;
  caseId: string;
  actor: string;
  variables: Record<string, VariableValue>;
  patch: Partial<WorkOrder>;
  countsAsDispatch: boolean;
}

interface Deps {
  ds: DataSource;
  engine: EngineClient;
  cases: CaseRepository;
  relay: Relay;
  faults: Faults;
  leaseMs: number;
}

/** The engine refused the completion while the task stays open: the intent is void. */
class CompletionRefused extends Error {
  constructor(readonly refusal: EngineError) {
    super(refusal.message);
    this.name = 'CompletionRefused';
  }
}

export async function completeCaseTask(deps: Deps, completion: TaskCompletion): Promise<void> {
  let row: OutboxRow | null = await deps.ds.transaction((tx) => enqueue(tx, 'task-complete', completion.taskId, completion.caseId, completion, deps.leaseMs));
  if (!row) {
    // Submitted before: done (the same person's retry succeeds again), or pending (carry out what was recorded).
    const earlier = await find(deps.ds, 'task-complete', completion.taskId);
    if (earlier?.doneAt) {
      if (earlier.outcome === 'done' && (earlier.payload as TaskCompletion).actor === completion.actor) return;
      throw new ConflictError('id', '该任务已提交过', 'task was already completed');
    }
    row = await claimKey(deps.ds, 'task-complete', completion.taskId, deps.leaseMs);
    if (!row) throw new ConflictError('id', '该任务正在提交，请稍后刷新', 'task is being completed');
  }
  deps.faults('complete:after-record');
  try {
    await deps.relay.run(row);
  } catch (e) {
    if (e instanceof CompletionRefused) throw e.refusal;
    throw e;
  }
}

/** The step for a `task-complete` row (request or relay): complete the engine task unless it is, then record it. */
export async function carryOutCompletion(deps: Omit<Deps, 'relay' | 'leaseMs'>, row: OutboxRow): Promise<Record<string, unknown>> {
  const c = row.payload as TaskCompletion;
  try {
    await deps.engine.complete(c.taskId, c.variables);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    const history = await deps.engine.historicTask(c.taskId);
    if (history && !history.endTime) {
      await discard(deps.ds, row.id);
      throw new CompletionRefused(e);
    }
    if (history?.deleteReason !== 'completed') {
      // The task ended without this completion (its scope was cancelled): nothing happened to record.
      await finish(deps.ds, row.id, 'abandoned', { deleteReason: history?.deleteReason ?? null });
      return { abandoned: true };
    }
    // Completed by an earlier attempt whose recording was lost.
  }
  deps.faults('complete:after-engine');
  const applied = await deps.cases.apply(
    c.caseId,
    { type: 'task-completed', actor: c.actor, dedupeKey: `task:${c.taskId}`, data: { taskKey: c.taskKey, taskName: c.taskName, variables: c.variables } },
    c.patch,
    async (tx) => {
      if (c.countsAsDispatch) await tx.query(`UPDATE work_orders SET dispatch_count = dispatch_count + 1 WHERE id = $1`, [c.caseId]);
      await finish(tx, row.id, 'done');
    },
  );
  if (!applied) await finish(deps.ds, row.id, 'done');
  return {};
}
