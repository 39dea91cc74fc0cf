/**
 * Completing a human task of a work order. The intent (variables, the work order's changes) is recorded in
 * the outbox first, with the id and instant its timeline event will have; then, in one transaction, the event
 * and the changes are written, the engine task is completed and the row is marked done. Whoever finds the row
 * pending (a retried request, the relay after its claim ran out) carries out the rest: the engine task is
 * completed if still open, the event is written once (dedupe key `task:<id>`). A refusal by the engine voids
 * the intent: nothing is written.
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
  let row: OutboxRow | null = await deps.ds.transaction(async (tx) => {
    // The event's place in the timeline is taken now, before the engine moves on and its workers write theirs.
    const [event] = (await tx.query(`SELECT nextval(pg_get_serial_sequence('case_events', 'id'))::text AS id, now() AS at`)) as { id: string; at: Date }[];
    return enqueue(tx, 'task-complete', completion.taskId, completion.caseId, { ...completion, event }, deps.leaseMs);
  });
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

/** The task ended without this completion (its scope was cancelled): there is nothing to record. */
class TaskGone extends Error {
  constructor(readonly deleteReason: string | null) {
    super(`task ended without this completion (${deleteReason ?? 'unknown'})`);
    this.name = 'TaskGone';
  }
}

/**
 * The step for a `task-complete` row (request or relay). The event and the changes are written in a transaction
 * that holds the work order's row while the engine completes the task, so the workers the engine moves on to
 * (they lock the same row) write after it, as before; a crash inside rolls it back and leaves the row pending.
 */
export async function carryOutCompletion(deps: Omit<Deps, 'relay' | 'leaseMs'>, row: OutboxRow): Promise<Record<string, unknown>> {
  const c = row.payload as TaskCompletion & { event: { id: string; at: string } };
  const completeInEngine = async () => {
    try {
      await deps.engine.complete(c.taskId, c.variables);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      const history = await deps.engine.historicTask(c.taskId);
      if (history && !history.endTime) throw new CompletionRefused(e);
      if (history?.deleteReason !== 'completed') throw new TaskGone(history?.deleteReason ?? null);
      // Completed by an earlier attempt whose recording was lost.
    }
  };
  try {
    const applied = await deps.cases.apply(
      c.caseId,
      {
        type: 'task-completed',
        actor: c.actor,
        dedupeKey: `task:${c.taskId}`,
        data: { taskKey: c.taskKey, taskName: c.taskName, variables: c.variables },
        reserved: { id: c.event.id, at: new Date(c.event.at) },
      },
      c.patch,
      async (tx) => {
        if (c.countsAsDispatch) await tx.query(`UPDATE work_orders SET dispatch_count = dispatch_count + 1 WHERE id = $1`, [c.caseId]);
        await completeInEngine();
        deps.faults('complete:after-engine');
        await finish(tx, row.id, 'done');
      },
    );
    // The event was there already: only the row was left to mark.
    if (!applied) await finish(deps.ds, row.id, 'done');
    return {};
  } catch (e) {
    if (e instanceof CompletionRefused) await discard(deps.ds, row.id);
    if (!(e instanceof TaskGone)) throw e;
    await finish(deps.ds, row.id, 'abandoned', { deleteReason: e.deleteReason });
    return { abandoned: true };
  }
}
