/**
 * Topic `case-deadline`: turns the clock rule the diagram chose (the caseClock decision, or the redo
 * period of casePolicy) into the handling deadline on the official holiday calendar. The diagram says
 * where the clock starts (`clockFrom`): `dispatch`, the dispatch instant (the default; also recorded as the
 * work order's dispatch), or `now`, the moment the step runs — a redo (R5.5) runs from when it is ordered,
 * not from the original dispatch. A date the diagram passes as `dueBy` (a 领导批示件's own due date, 一(四))
 * is the deadline of the first handling instead of the clock. A redelivery gets the deadline recorded the first time.
 */
import type { CaseRepository } from '../../core/cases/repository';
import type { CalendarRepository } from '../../core/calendar/repository';
import type { ClockUnit } from '../../core/calendar/deadline';
import { beijingMinute } from '../../core/vocabulary';
import { isInstant, isPositiveInt, isString, required, type Worker } from '../types';

const isClockUnit = (v: unknown): v is ClockUnit => v === 'hours' || v === 'workingDays';
const isClockFrom = (v: unknown): v is 'dispatch' | 'now' => v === 'dispatch' || v === 'now';

export function caseDeadlineWorker({
  cases,
  calendar,
  now = () => new Date(),
}: {
  cases: CaseRepository;
  calendar: CalendarRepository;
  now?: () => Date;
}): Worker {
  return {
    topic: 'case-deadline',
    variables: ['caseId', 'dispatchedAt', 'clockUnit', 'clockAmount', 'clockLabel', 'clockFrom', 'dueBy'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const clockUnit = required(input, 'clockUnit', isClockUnit, '"hours" or "workingDays"');
      const clockAmount = required(input, 'clockAmount', isPositiveInt, 'a positive integer');
      const clockLabel = typeof input.clockLabel === 'string' ? input.clockLabel : undefined;
      const clockFrom =
        input.clockFrom === undefined || input.clockFrom === null ? 'dispatch' : required(input, 'clockFrom', isClockFrom, '"dispatch" or "now"');
      const fromDispatch = clockFrom === 'dispatch' && isInstant(input.dispatchedAt);
      const from = fromDispatch ? new Date(input.dispatchedAt as string) : now();
      const dueBy = clockFrom === 'dispatch' && input.dueBy !== undefined && input.dueBy !== null ? required(input, 'dueBy', isInstant, 'an instant') : null;
      const computed = dueBy
        ? { dueAt: new Date(dueBy), basis: `领导批示期限：${beijingMinute(new Date(dueBy))}前办结`, provisional: false }
        : await calendar.deadline(from, { clockUnit, clockAmount, clockLabel });
      const rule = { clockUnit, clockAmount, clockLabel, from: from.toISOString(), ...(dueBy ? { dueBy } : {}) };
      const recorded = await cases.setDeadline(
        caseId,
        computed,
        rule,
        'system',
        `${ctx.activityInstanceId}:deadline`,
        clockFrom === 'dispatch' ? { dispatchedAt: from } : {},
      );
      return { dueAt: recorded.dueAt.toISOString(), dueProvisional: recorded.provisional };
    },
  };
}
