/**
 * Topic `case-plan`: a category-C unit has sent its preliminary situation and plan (R4.C); the final
 * deadline becomes the completion date it committed to, and the timers bound to the old deadline move.
 */
import type { CaseRepository } from '../../core/cases/repository';
import { moveDeadline } from '../../core/cases/timers';
import type { EngineClient } from '../../core/engine/client';
import { isInstant, isString, required, type Worker } from '../types';

export function casePlanWorker({ cases, engine }: { cases: CaseRepository; engine: EngineClient }): Worker {
  return {
    topic: 'case-plan',
    variables: ['caseId', 'plannedDoneAt', 'dueAt'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const planned = new Date(required(input, 'plannedDoneAt', isInstant, 'an ISO-8601 instant'));
      const old = isInstant(input.dueAt) ? new Date(input.dueAt) : null;
      const recorded = await cases.setDeadline(
        caseId,
        { dueAt: planned, basis: 'C类重要事项：按办理计划承诺的办结日期', provisional: false },
        null,
        'system',
        `${ctx.activityInstanceId}:plan`,
      );
      await moveDeadline(engine, ctx.processInstanceId, old, recorded.dueAt);
      return { dueAt: recorded.dueAt.toISOString() };
    },
  };
}
