/**
 * Topic `case-deadline`: turns the clock rule the diagram's decision table chose (hours or working days)
 * into the handling deadline, counted from the moment of dispatch on the official holiday calendar.
 * The result depends only on its inputs, so a redelivery computes and writes the same deadline.
 */
import type { CaseRepository } from '../../core/cases/repository';
import type { CalendarRepository } from '../../core/calendar/repository';
import type { ClockUnit } from '../../core/calendar/deadline';
import { isPositiveInt, isString, required, type Worker } from '../types';

const isClockUnit = (v: unknown): v is ClockUnit => v === 'hours' || v === 'workingDays';
const isIsoInstant = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

export function caseDeadlineWorker({ cases, calendar }: { cases: CaseRepository; calendar: CalendarRepository }): Worker {
  return {
    topic: 'case-deadline',
    variables: ['caseId', 'dispatchedAt', 'clockUnit', 'clockAmount', 'clockLabel'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const dispatchedAt = new Date(required(input, 'dispatchedAt', isIsoInstant, 'an ISO-8601 instant'));
      const clockUnit = required(input, 'clockUnit', isClockUnit, '"hours" or "workingDays"');
      const clockAmount = required(input, 'clockAmount', isPositiveInt, 'a positive integer');
      const clockLabel = typeof input.clockLabel === 'string' ? input.clockLabel : undefined;
      const deadline = await calendar.deadline(dispatchedAt, { clockUnit, clockAmount, clockLabel });
      await cases.setDeadline(caseId, deadline, 'system', `${ctx.activityInstanceId}:deadline`);
      return { dueAt: deadline.dueAt.toISOString(), dueProvisional: deadline.provisional };
    },
  };
}
