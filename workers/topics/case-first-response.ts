/**
 * Topic `case-first-response` (四 D 第一时间): the lead unit's first response to an important-and-urgent case is
 * recorded with its time (`firstResponse` = `acknowledged`); when the table's time (caseClock.firstResponseWithin)
 * passes without it (`overdue`), the office's leaders are alerted through the duty channel, in the timeline.
 */
import type { CaseRepository } from '../../core/cases/repository';
import { isString, required, type Worker } from '../types';

export function caseFirstResponseWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-first-response',
    variables: ['caseId', 'caseCode', 'leadUnitId', 'dispatchedAt', 'firstResponse', 'firstResponseWithin', 'firstRespondedAt'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const overdue = input.firstResponse === 'overdue';
      await cases.apply(caseId, {
        type: overdue ? 'first-response-overdue' : 'first-response',
        actor: 'system',
        dedupeKey: `${ctx.activityInstanceId}:first-response`,
        data: overdue
          ? {
              to: '热线办领导（值班信息报送）',
              caseCode: input.caseCode,
              leadUnitId: input.leadUnitId,
              dispatchedAt: input.dispatchedAt,
              firstResponseWithin: input.firstResponseWithin,
            }
          : { leadUnitId: input.leadUnitId, dispatchedAt: input.dispatchedAt, respondedAt: input.firstRespondedAt ?? new Date().toISOString() },
      });
      return {};
    },
  };
}
