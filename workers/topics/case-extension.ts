/**
 * Topics `case-extension` and `case-extension-refused` (R5.6.2): the office approved a new deadline, which
 * replaces the old one (timers move with it); or the unit asked again beyond the diagram's limit, and the
 * request is refused automatically with the reason in the timeline.
 */
import type { CaseRepository } from '../../core/cases/repository';
import { moveDeadline } from '../../core/cases/timers';
import type { EngineClient } from '../../core/engine/client';
import { isInstant, isString, required, type Worker } from '../types';

const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

export function caseExtensionWorker({ cases, engine }: { cases: CaseRepository; engine: EngineClient }): Worker {
  return {
    topic: 'case-extension',
    variables: ['caseId', 'newDueAt', 'dueAt', 'extensionCount'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const newDueAt = new Date(required(input, 'newDueAt', isInstant, 'an ISO-8601 instant'));
      const old = isInstant(input.dueAt) ? new Date(input.dueAt) : null;
      const extensionCount = count(input.extensionCount) + 1;
      const recorded = await cases.setDeadline(caseId, { dueAt: newDueAt, basis: `热线办批准延期（第${extensionCount}次）`, provisional: false }, null, 'system', `${ctx.activityInstanceId}:extension`, { extensionCount });
      await moveDeadline(engine, ctx.processInstanceId, old, recorded.dueAt);
      return { dueAt: recorded.dueAt.toISOString(), extensionCount };
    },
  };
}

export function caseExtensionRefusedWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-extension-refused',
    variables: ['caseId', 'extensionCount', 'maxExtensions', 'extensionReason', 'requestedDueAt'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const limit = count(input.maxExtensions);
      await cases.apply(caseId, {
        type: 'extension-refused',
        actor: 'system',
        dedupeKey: `${ctx.activityInstanceId}:extension-refused`,
        data: {
          reason: `每件事项原则上只能提出${limit}次延期申请（R5.6.2），本件已申请${count(input.extensionCount)}次，自动驳回`,
          extensionReason: input.extensionReason,
          requestedDueAt: input.requestedDueAt,
        },
      });
      return {};
    },
  };
}
