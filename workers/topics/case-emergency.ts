/**
 * Topic `case-emergency`: an important-and-urgent item or a sudden event is reported at once to the
 * hotline office's leaders through the duty channel (R4.D, R4.E), and so is any case flagged 突发性、敏感性、群体性 at
 * intake (四 D, 一(四)): those at once when registered (`reportStage` intake) and again with the lead unit when
 * dispatched (`reportStage` dispatch, the tracking report); each report is in the timeline.
 */
import type { CaseRepository } from '../../core/cases/repository';
import { isString, required, type Worker } from '../types';

export function caseEmergencyWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-emergency',
    variables: ['caseId', 'caseCode', 'category', 'leadUnitId', 'content', 'address', 'caseFlags', 'reportStage'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      await cases.apply(caseId, {
        type: 'emergency-notice',
        actor: 'system',
        dedupeKey: `${ctx.activityInstanceId}:emergency`,
        data: {
          to: '热线办领导（值班信息报送）',
          stage: input.reportStage === 'intake' ? 'intake' : 'dispatch',
          caseCode: input.caseCode,
          category: input.category,
          leadUnitId: input.leadUnitId,
          address: input.address,
          flags: String(input.caseFlags ?? '')
            .split(',')
            .filter(Boolean),
          summary: String(input.content ?? '').slice(0, 200),
        },
      });
      return {};
    },
  };
}
