/**
 * Topic `case-supervision` (R6): one step of the escalation ladder. The decision table the diagram names
 * (`decision`, normally caseSupervision) picks the level from the trigger, the current level, the number
 * of dispatches and a flagged conduct problem; this worker issues the numbered notice, computes the
 * reply deadline in working days and, after a rejected result (`resetDeadline`), makes it the new
 * handling deadline. A transfer is recorded by `case-transfer`, the next element of the diagram.
 */
import type { CalendarRepository } from '../../core/calendar/repository';
import type { CaseRepository } from '../../core/cases/repository';
import { SUPERVISION_LADDER, type SupervisionLevel } from '../../core/vocabulary';
import type { EngineClient } from '../../core/engine/client';
import { isString, required, type Worker } from '../types';

const isLevel = (v: unknown): v is Exclude<SupervisionLevel, 'none'> => typeof v === 'string' && (SUPERVISION_LADDER as readonly string[]).includes(v);

export function caseSupervisionWorker({ cases, calendar, engine }: { cases: CaseRepository; calendar: CalendarRepository; engine: EngineClient }): Worker {
  return {
    topic: 'case-supervision',
    variables: ['caseId', 'trigger', 'decision', 'resetDeadline', 'supervisionLevel', 'dispatchCount', 'conductIssue', 'leadUnitId'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const trigger = required(input, 'trigger', isString, 'the trigger of this step');
      const decision = required(input, 'decision', isString, 'the key of the supervision decision table');
      const [result] = await engine.evaluateDecision(decision, {
        conductIssue: input.conductIssue === true,
        trigger,
        supervisionLevel: typeof input.supervisionLevel === 'string' ? input.supervisionLevel : 'none',
        dispatchCount: typeof input.dispatchCount === 'number' ? input.dispatchCount : 1,
      });
      if (!result) throw new Error(`decision ${decision} has no rule for trigger ${trigger} at level ${String(input.supervisionLevel)}`);
      const level = result.level?.value;
      if (!isLevel(level)) throw new Error(`decision ${decision} returned level ${JSON.stringify(level)}`);
      const reason = String(result.reason?.value ?? '');
      if (level === 'transferred') return { supervisionLevel: level, supervisionReason: reason };

      const replyDays = Number(result.replyDays?.value ?? 0);
      const reply = await calendar.deadline(new Date(), { clockUnit: 'workingDays', clockAmount: Math.max(replyDays, 1), clockLabel: reason });
      const unitId = typeof input.leadUnitId === 'string' ? input.leadUnitId : null;
      const notice = await cases.issueNotice(caseId, { level, trigger, reason, unitId, replyDueAt: reply.dueAt, dedupeKey: `${ctx.activityInstanceId}:notice` }, { supervisionLevel: level });
      const out: Record<string, unknown> = { supervisionLevel: level, supervisionDueAt: notice.replyDueAt!.toISOString(), supervisionReason: reason, supervisionNoticeNumber: notice.number };
      if (input.resetDeadline === true) {
        const redo = await cases.setDeadline(caseId, { dueAt: notice.replyDueAt!, basis: `${reason}：重办期限`, provisional: reply.provisional }, null, 'system', `${ctx.activityInstanceId}:redo`);
        out.dueAt = redo.dueAt.toISOString();
      }
      return out;
    },
  };
}

/** Topic `case-transfer` (R6.4): the case goes to the supervisory organs; the transfer is numbered like a notice. */
export function caseTransferWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-transfer',
    variables: ['caseId', 'supervisionReason', 'leadUnitId'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const reason = typeof input.supervisionReason === 'string' && input.supervisionReason ? input.supervisionReason : '移交监察机关（R6.4）';
      const unitId = typeof input.leadUnitId === 'string' ? input.leadUnitId : null;
      await cases.issueNotice(caseId, { level: 'transferred', trigger: 'transfer', reason, unitId, replyDueAt: null, dedupeKey: `${ctx.activityInstanceId}:transfer` }, { supervisionLevel: 'transferred' });
      await cases.apply(caseId, { type: 'status', actor: 'system', toStatus: 'transferred', dedupeKey: `${ctx.activityInstanceId}:status`, data: { activityId: ctx.activityId, reason } });
      return {};
    },
  };
}
