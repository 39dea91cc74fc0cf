/**
 * Topic `case-status`: the diagram says where a work order's status changes (an input parameter
 * `status`, and optionally `closeReason`, on the service task); this worker writes it, with its
 * timeline event, once.
 */
import { CASE_STATUSES, type CaseStatus } from '../../core/db/entities';
import type { CaseRepository } from '../../core/cases/repository';
import { isString, required, type Worker } from '../types';

const isStatus = (v: unknown): v is CaseStatus => typeof v === 'string' && (CASE_STATUSES as readonly string[]).includes(v);

export function caseStatusWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-status',
    variables: ['caseId', 'status', 'closeReason'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const status = required(input, 'status', isStatus, `one of ${CASE_STATUSES.join(', ')}`);
      const closeReason = typeof input.closeReason === 'string' ? input.closeReason : null;
      await cases.apply(
        caseId,
        {
          type: 'status',
          actor: 'system',
          toStatus: status,
          dedupeKey: `${ctx.activityInstanceId}:status`,
          data: { activityId: ctx.activityId, ...(closeReason ? { closeReason } : {}) },
        },
        closeReason ? { closeReason } : {},
      );
      return {};
    },
  };
}
