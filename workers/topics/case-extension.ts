/**
 * Topics of the single extension (R5.6.2): `case-extension-requested` counts an application when it is made,
 * whatever the office then decides, so a refused application uses the limit like an approved one;
 * `case-extension` puts the approved deadline in place of the old one (timers move with it);
 * `case-extension-refused` refuses an application beyond the diagram's limit automatically, with the
 * reason in the timeline.
 */
import type { CaseRepository } from '../../core/cases/repository';
import { moveDeadline } from '../../core/cases/timers';
import type { EngineClient } from '../../core/engine/client';
import { isInstant, isString, required, type Worker } from '../types';

const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : 0);

export function caseExtensionRequestedWorker({ cases }: { cases: CaseRepository }): Worker {
  return {
    topic: 'case-extension-requested',
    variables: ['caseId', 'extensionCount', 'extensionReason', 'requestedDueAt', 'extensionLimitLifted', 'extensionLimitReason'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const extensionCount = count(input.extensionCount) + 1;
      const lifted = input.extensionLimitLifted === true ? { limitLiftedFor: input.extensionLimitReason } : {};
      await cases.apply(
        caseId,
        {
          type: 'extension-requested',
          actor: 'system',
          dedupeKey: `${ctx.activityInstanceId}:extension-requested`,
          data: { count: extensionCount, extensionReason: input.extensionReason, requestedDueAt: input.requestedDueAt, ...lifted },
        },
        { extensionCount },
      );
      return { extensionCount };
    },
  };
}

export function caseExtensionWorker({ cases, engine }: { cases: CaseRepository; engine: EngineClient }): Worker {
  return {
    topic: 'case-extension',
    variables: ['caseId', 'newDueAt', 'dueAt', 'extensionCount'],
    async handler(input, ctx) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const newDueAt = new Date(required(input, 'newDueAt', isInstant, 'an ISO-8601 instant'));
      const old = isInstant(input.dueAt) ? new Date(input.dueAt) : null;
      const recorded = await cases.setDeadline(
        caseId,
        { dueAt: newDueAt, basis: `热线办批准延期（第${count(input.extensionCount)}次申请）`, provisional: false },
        null,
        'system',
        `${ctx.activityInstanceId}:extension`,
      );
      await moveDeadline(engine, ctx.processInstanceId, old, recorded.dueAt);
      return { dueAt: recorded.dueAt.toISOString() };
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
