/**
 * Topics of a co-unit's input (R2.1, 配合单位): `case-co-deadline` turns casePolicy's period (working days) and
 * reminder lead (hours) into the instants the diagram's timers use; `case-co-reminder` records the reminder
 * sent to a co-unit whose input is still due; `case-co-overdue` puts a co-unit that let its date pass on the
 * supervision ladder: the decision the diagram names picks the level from the facts, and the notice goes to the
 * co-unit, not to the lead unit, whose own supervision level and on-time record it leaves alone.
 */
import type { CalendarRepository } from '../../core/calendar/repository';
import type { CaseRepository } from '../../core/cases/repository';
import type { EngineClient } from '../../core/engine/client';
import { SUPERVISION_LADDER, type SupervisionLevel } from '../../core/vocabulary';
import { isPositiveInt, isString, required, type Worker } from '../types';

const isNoticeLevel = (v: unknown): v is Exclude<SupervisionLevel, 'none' | 'transferred'> =>
  typeof v === 'string' && v !== 'transferred' && (SUPERVISION_LADDER as readonly string[]).includes(v);
const isHours = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function caseCoDeadlineWorker({ calendar, now = () => new Date() }: { calendar: CalendarRepository; now?: () => Date }): Worker {
  return {
    topic: 'case-co-deadline',
    variables: ['coInputDays', 'coInputReminderHours'],
    async handler(input) {
      const days = required(input, 'coInputDays', isPositiveInt, 'a positive number of working days');
      const leadHours = required(input, 'coInputReminderHours', isHours, 'a number of hours (0 or more)');
      const from = now();
      const due = await calendar.deadline(from, { clockUnit: 'workingDays', clockAmount: days, clockLabel: '配合单位提出意见' });
      const remindAt = new Date(Math.max(due.dueAt.getTime() - leadHours * 3600_000, from.getTime()));
      return { coInputDueAt: due.dueAt.toISOString(), coInputRemindAt: remindAt.toISOString() };
    },
  };
}

export function caseCoReminderWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-co-reminder',
    variables: ['caseId', 'coUnitId', 'coInputDueAt'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const coUnitId = required(input, 'coUnitId', isString, 'the co-unit');
      await cases.apply(caseId, {
        type: 'co-input-reminder',
        actor: 'system',
        dedupeKey: `${ctx.activityInstanceId}:co-reminder`,
        data: { unitId: coUnitId, dueAt: input.coInputDueAt },
      });
      return {};
    },
  };
}

export function caseCoOverdueWorker({ cases, calendar, engine }: { cases: CaseRepository; calendar: CalendarRepository; engine: EngineClient }): Worker {
  return {
    topic: 'case-co-overdue',
    variables: ['caseId', 'coUnitId', 'decision', 'dispatchCount', 'leadUnitId', 'category'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const coUnitId = required(input, 'coUnitId', isString, 'the co-unit');
      const decision = required(input, 'decision', isString, 'the key of the supervision decision table');
      const facts = {
        trigger: 'co-input-overdue',
        conductIssue: false,
        supervisionLevel: 'none',
        dispatchCount: typeof input.dispatchCount === 'number' ? input.dispatchCount : 1,
        category: typeof input.category === 'string' ? input.category : null,
        leadUnitId: typeof input.leadUnitId === 'string' ? input.leadUnitId : null,
        coUnitId,
      };
      const [result] = await engine.evaluateDecision(decision, { facts });
      const level = result?.level?.value;
      if (level === 'none') return {};
      if (!isNoticeLevel(level)) throw new Error(`decision ${decision} returned level ${JSON.stringify(level)} for a late co-unit`);
      const reason = String(result.reason?.value ?? '');
      const reply = await calendar.deadline(new Date(), {
        clockUnit: 'workingDays',
        clockAmount: Math.max(Number(result.replyDays?.value ?? 0), 1),
        clockLabel: reason,
      });
      await cases.issueNotice(caseId, {
        level,
        trigger: 'co-input-overdue',
        reason,
        unitId: coUnitId,
        replyDueAt: reply.dueAt,
        dedupeKey: `${ctx.activityInstanceId}:co-notice`,
      });
      return {};
    },
  };
}
