/**
 * Topic `case-supervision` (R6): one step of the escalation ladder. The decision table the diagram names
 * (`decision`, normally caseSupervision) picks the level from the case's facts, passed as one data object
 * `facts` (the trigger, the current level, the number of dispatches and extensions, a flagged conduct
 * problem, the category, the lead unit), so a new trigger is a table edit; this worker issues the numbered notice, computes the
 * reply deadline in working days and, after a rejected result (`resetDeadline`), makes it the new
 * handling deadline. A transfer is recorded by `case-transfer`, the next element of the diagram. The
 * table may answer `none` (no supervision now, e.g. at an ordinary dispatch). Every step returns the level it
 * issued (`supervisionStep`) and the dispatch count it saw (`supervisionDispatchCount`), which the diagram
 * uses to decide on each dispatch once. The office's own escalation (六, trigger `manual`, diagram element
 * `requestedEscalate`) passes the level it asked for (`requestedLevel`) to the table and its reason
 * (`requestedReason`) into the notice.
 */
import type { CalendarRepository } from '../../core/calendar/repository';
import type { CaseRepository } from '../../core/cases/repository';
import { SUPERVISION_LADDER, TRANSFER_TARGET, TRANSFER_TARGETS, type SupervisionLevel, type TransferTarget } from '../../core/vocabulary';
import type { EngineClient } from '../../core/engine/client';
import { isString, required, type Worker } from '../types';

const isTransferTarget = (v: unknown): v is TransferTarget => typeof v === 'string' && (TRANSFER_TARGETS as readonly string[]).includes(v);
const isLevel = (v: unknown): v is Exclude<SupervisionLevel, 'none'> => typeof v === 'string' && (SUPERVISION_LADDER as readonly string[]).includes(v);

export function caseSupervisionWorker({ cases, calendar, engine }: { cases: CaseRepository; calendar: CalendarRepository; engine: EngineClient }): Worker {
  return {
    topic: 'case-supervision',
    variables: [
      'caseId',
      'trigger',
      'decision',
      'resetDeadline',
      'supervisionLevel',
      'dispatchCount',
      'conductIssue',
      'leadUnitId',
      'category',
      'extensionCount',
      'requestedLevel',
      'requestedReason',
    ],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const trigger = required(input, 'trigger', isString, 'the trigger of this step');
      const decision = required(input, 'decision', isString, 'the key of the supervision decision table');
      const facts = {
        trigger,
        conductIssue: input.conductIssue === true,
        supervisionLevel: typeof input.supervisionLevel === 'string' ? input.supervisionLevel : 'none',
        dispatchCount: typeof input.dispatchCount === 'number' ? input.dispatchCount : 1,
        extensionCount: typeof input.extensionCount === 'number' ? input.extensionCount : 0,
        category: typeof input.category === 'string' ? input.category : null,
        leadUnitId: typeof input.leadUnitId === 'string' ? input.leadUnitId : null,
        requestedLevel: trigger === 'manual' && typeof input.requestedLevel === 'string' ? input.requestedLevel : null,
      };
      const [result] = await engine.evaluateDecision(decision, { facts });
      if (!result) throw new Error(`decision ${decision} has no rule for trigger ${trigger} at level ${String(input.supervisionLevel)}`);
      const level = result.level?.value;
      const seen = { supervisionDispatchCount: facts.dispatchCount };
      if (level === 'none') return { ...seen, supervisionStep: 'none' };
      if (!isLevel(level)) throw new Error(`decision ${decision} returned level ${JSON.stringify(level)}`);
      const tableReason = String(result.reason?.value ?? '');
      const requested = trigger === 'manual' && typeof input.requestedReason === 'string' ? input.requestedReason.trim() : '';
      const reason = requested ? `${tableReason}：${requested}` : tableReason;
      if (level === 'transferred') return { ...seen, supervisionStep: level, supervisionLevel: level, supervisionReason: reason };

      const replyDays = Number(result.replyDays?.value ?? 0);
      const reply = await calendar.deadline(new Date(), { clockUnit: 'workingDays', clockAmount: Math.max(replyDays, 1), clockLabel: reason });
      const unitId = typeof input.leadUnitId === 'string' ? input.leadUnitId : null;
      const notice = await cases.issueNotice(
        caseId,
        { level, trigger, reason, unitId, replyDueAt: reply.dueAt, dedupeKey: `${ctx.activityInstanceId}:notice` },
        { supervisionLevel: level },
      );
      const out: Record<string, unknown> = {
        ...seen,
        supervisionStep: level,
        supervisionLevel: level,
        supervisionDueAt: notice.replyDueAt!.toISOString(),
        supervisionReason: reason,
        supervisionNoticeNumber: notice.number,
      };
      if (input.resetDeadline === true) {
        const redo = await cases.setDeadline(
          caseId,
          { dueAt: notice.replyDueAt!, basis: `${reason}：重办期限`, provisional: reply.provisional },
          null,
          'system',
          `${ctx.activityInstanceId}:redo`,
        );
        out.dueAt = redo.dueAt.toISOString();
      }
      return out;
    },
  };
}

/**
 * Topic `case-transfer` (R6.4): the case goes to the organ the office chose (`transferTo`: 监察机关 by default, or
 * 作风整顿办); the transfer is numbered like a notice.
 */
export function caseTransferWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-transfer',
    variables: ['caseId', 'supervisionReason', 'conductReason', 'transferTo', 'leadUnitId'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const transferTo: TransferTarget = isTransferTarget(input.transferTo) ? input.transferTo : 'supervisory-organ';
      const why =
        [input.conductReason, input.supervisionReason].find((v): v is string => typeof v === 'string' && v.length > 0) ?? '重点督办后仍不能办结（R6.4）';
      const reason = `${why}；移交${TRANSFER_TARGET[transferTo]}`;
      const unitId = typeof input.leadUnitId === 'string' ? input.leadUnitId : null;
      await cases.issueNotice(
        caseId,
        { level: 'transferred', trigger: 'transfer', reason, unitId, replyDueAt: null, dedupeKey: `${ctx.activityInstanceId}:transfer` },
        { supervisionLevel: 'transferred' },
      );
      await cases.apply(caseId, {
        type: 'status',
        actor: 'system',
        toStatus: 'transferred',
        dedupeKey: `${ctx.activityInstanceId}:status`,
        data: { activityId: ctx.activityId, reason, transferTo },
      });
      return {};
    },
  };
}
