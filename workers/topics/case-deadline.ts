/**
 * Topic `case-deadline`: turns the clock rule the diagram chose (the caseClock decision, or the redo
 * period of casePolicy) into the handling deadline, counted on the official holiday calendar from the
 * dispatch instant (or from now when the diagram gives no dispatch instant). A redelivery gets the
 * deadline recorded the first time.
 */
import type { CaseRepository } from '../../core/cases/repository';
import type { CalendarRepository } from '../../core/calendar/repository';
import type { ClockUnit } from '../../core/calendar/deadline';
import { isInstant, isPositiveInt, isString, required, type Worker } from '../types';

const isClockUnit = (v: unknown): v is ClockUnit => v === 'hours' || v === 'workingDays';

export function caseDeadlineWorker({ cases, calendar }: { cases: CaseRepository; calendar: CalendarRepository }): Worker {
  return {
    topic: 'case-deadline',
    variables: ['caseId', 'dispatchedAt', 'clockUnit', 'clockAmount', 'clockLabel'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const clockUnit = required(input, 'clockUnit', isClockUnit, '"hours" or "workingDays"');
      const clockAmount = required(input, 'clockAmount', isPositiveInt, 'a positive integer');
      const clockLabel = typeof input.clockLabel === 'string' ? input.clockLabel : undefined;
      const from = isInstant(input.dispatchedAt) ? new Date(input.dispatchedAt) : new Date();
      const computed = await calendar.deadline(from, { clockUnit, clockAmount, clockLabel });
      const recorded = await cases.setDeadline(caseId, computed, { clockUnit, clockAmount, clockLabel, from: from.toISOString() }, 'system', `${ctx.activityInstanceId}:deadline`, { dispatchedAt: from });
      return { dueAt: recorded.dueAt.toISOString(), dueProvisional: recorded.provisional };
    },
  };
}
