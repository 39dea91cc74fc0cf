/** Topic `case-revisit-attempt` (R5.5): the citizen could not be reached; the attempt is counted and recorded. */
import type { CaseRepository } from '../../core/cases/repository';
import { isString, required, type Worker } from '../types';

export function caseRevisitAttemptWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-revisit-attempt',
    variables: ['caseId', 'revisitAttempts'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const attempt = (typeof input.revisitAttempts === 'number' ? input.revisitAttempts : 0) + 1;
      await cases.apply(caseId, { type: 'revisit-unreached', actor: 'system', dedupeKey: `${ctx.activityInstanceId}:revisit-attempt`, data: { attempt } });
      return { revisitAttempts: attempt };
    },
  };
}
