/**
 * Loading a year's holiday notice (published by the State Council each November), then computing again every
 * open deadline that was provisional (counted on weekdays) and moving the timers and tasks bound to it. Each
 * work order's new deadline and the outbox row that moves its timers commit together; the relay moves them.
 * The year and an outbox row for its recompute commit together, so a crash after the load leaves the recompute
 * to the relay; each deadline changes once per year and work order (its dedupe key).
 */
import type { DataSource } from 'typeorm';
import type { CalendarRepository, YearNotice } from '../calendar/repository';
import type { ClockUnit } from '../calendar/deadline';
import type { CaseRepository } from '../cases/repository';
import { moveDeadline } from '../cases/timers';
import { WorkOrderEntity } from '../db/entities';
import { EngineError, type EngineClient } from '../engine/client';
import { FINAL_STATUSES } from '../vocabulary';
import type { Faults } from './faults';
import { enqueue, finish, type OutboxRow } from './outbox';
import type { Relay } from './relay';

interface Deps {
  ds: DataSource;
  cases: CaseRepository;
  calendar: CalendarRepository;
  relay: Relay;
  faults: Faults;
  leaseMs: number;
}

interface DeadlineMove extends Record<string, unknown> {
  processInstanceId: string;
  from: string | null;
  to: string;
}

export async function loadCalendarYear(deps: Deps, notice: YearNotice): Promise<{ recomputed: number }> {
  let row: OutboxRow | null = null;
  await deps.calendar.loadYear(notice, async (tx) => {
    row = await enqueue(tx, 'calendar-recompute', `${notice.year}@${Date.now()}`, null, { year: notice.year }, deps.leaseMs);
  });
  deps.faults('calendar:after-load');
  const { recomputed } = (await deps.relay.run(row!)) as { recomputed: number };
  return { recomputed };
}

/**
 * The step for a `calendar-recompute` row: each provisional deadline computed again, with the outbox row that
 * moves its timers (claimed here, so they are moved before the answer); a move that fails is left to the relay.
 */
export async function carryOutRecompute(
  deps: Pick<Deps, 'ds' | 'cases' | 'calendar' | 'faults' | 'relay' | 'leaseMs'>,
  row: OutboxRow,
): Promise<Record<string, unknown>> {
  const year = (row.payload as { year: number }).year;
  const open = await deps.ds
    .getRepository(WorkOrderEntity)
    .createQueryBuilder('c')
    .where('c.due_provisional AND c.due_rule IS NOT NULL AND c.status NOT IN (:...done) AND NOT c.imported', { done: FINAL_STATUSES })
    .getMany();
  let recomputed = 0;
  const moves: OutboxRow[] = [];
  for (const c of open) {
    const rule = c.dueRule!;
    const deadline = await deps.calendar.deadline(new Date(rule.from), {
      clockUnit: rule.clockUnit as ClockUnit,
      clockAmount: rule.clockAmount,
      clockLabel: rule.clockLabel,
    });
    const key = `calendar-${year}:${c.id}`;
    await deps.cases.setDeadline(c.id, deadline, rule, 'system', key, {}, async (tx) => {
      recomputed++;
      if (!c.processInstanceId) return;
      const move: DeadlineMove = { processInstanceId: c.processInstanceId, from: c.dueAt?.toISOString() ?? null, to: deadline.dueAt.toISOString() };
      const queued = await enqueue(tx, 'deadline-move', key, c.id, move, deps.leaseMs);
      if (queued) moves.push(queued);
    });
  }
  deps.faults('calendar:after-deadline');
  await finish(deps.ds, row.id, 'done', { recomputed });
  await Promise.allSettled(moves.map((m) => deps.relay.run(m)));
  return { recomputed };
}

/** The step for a `deadline-move` row: move the timers and tasks (idempotent), then mark it done. */
export async function carryOutDeadlineMove(deps: { ds: DataSource; engine: EngineClient }, row: OutboxRow): Promise<Record<string, unknown>> {
  const m = row.payload as DeadlineMove;
  try {
    const timers = await moveDeadline(deps.engine, m.processInstanceId, m.from ? new Date(m.from) : null, new Date(m.to));
    await finish(deps.ds, row.id, 'done', { timers });
    return { timers };
  } catch (e) {
    // The process has ended meanwhile: no timer is left to move.
    if (e instanceof EngineError && e.status === 404) {
      await finish(deps.ds, row.id, 'abandoned', { reason: e.message });
      return { abandoned: true };
    }
    throw e;
  }
}
