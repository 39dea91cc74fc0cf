/**
 * When the State Council's notice for a new year is loaded, every open work order whose deadline was
 * computed provisionally (on weekdays) gets its deadline computed again on the real calendar; the
 * timers and tasks bound to the old deadline move with it.
 */
import type { DataSource } from 'typeorm';
import type { CalendarRepository } from '../calendar/repository';
import type { ClockUnit } from '../calendar/deadline';
import { WorkOrderEntity } from '../db/entities';
import type { EngineClient } from '../engine/client';
import type { CaseRepository } from './repository';
import { moveDeadline } from './timers';
import { FINAL_STATUSES } from '../vocabulary';

export async function recomputeProvisionalDeadlines(ds: DataSource, cases: CaseRepository, calendar: CalendarRepository, engine: EngineClient, year: number): Promise<string[]> {
  const open = await ds
    .getRepository(WorkOrderEntity)
    .createQueryBuilder('c')
    .where('c.due_provisional AND c.due_rule IS NOT NULL AND c.status NOT IN (:...done)', { done: FINAL_STATUSES })
    .getMany();
  const moved: string[] = [];
  for (const c of open) {
    const rule = c.dueRule!;
    const recomputed = await calendar.deadline(new Date(rule.from), { clockUnit: rule.clockUnit as ClockUnit, clockAmount: rule.clockAmount, clockLabel: rule.clockLabel });
    await cases.setDeadline(c.id, recomputed, rule, 'system', `calendar-${year}:${c.id}`);
    if (c.processInstanceId) await moveDeadline(engine, c.processInstanceId, c.dueAt, recomputed.dueAt);
    moved.push(c.id);
  }
  return moved;
}
