/** Topic `case-overdue`: the handling timer fired before the unit answered (R6.1); the case is marked overdue. */
import type { CaseRepository } from '../../core/cases/repository';
import { isString, required, type Worker } from '../types';

export function caseOverdueWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-overdue',
    variables: ['caseId', 'dueAt', 'leadUnitId'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      await cases.apply(
        caseId,
        { type: 'overdue', actor: 'system', dedupeKey: `${ctx.activityInstanceId}:overdue`, data: { dueAt: input.dueAt, leadUnitId: input.leadUnitId } },
        { overdue: true },
      );
      return {};
    },
  };
}
