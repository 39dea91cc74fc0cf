import type { CalendarRepository } from '../../core/calendar/repository';
import type { CaseRepository, EventInput } from '../../core/cases/repository';
import type { Deadline } from '../../core/calendar/deadline';
import { caseDeadlineWorker } from '../../workers/topics/case-deadline';
import { caseStatusWorker } from '../../workers/topics/case-status';
import type { TaskContext } from '../../workers/types';

const ctx: TaskContext = {
  taskId: 't1',
  topic: 'x',
  processInstanceId: 'p1',
  businessKey: '12345-20261126-000001',
  activityId: 'markDispatched',
  activityInstanceId: 'markDispatched:ai1',
  retries: null,
};

/** An in-memory stand-in for the case repository that honours dedupe keys like the real one. */
function recordingCases() {
  const applied = new Map<string, EventInput>();
  const deadlines: Deadline[] = [];
  const cases = {
    async apply(_caseId: string, e: EventInput) {
      if (e.dedupeKey && applied.has(e.dedupeKey)) return false;
      applied.set(e.dedupeKey ?? String(applied.size), e);
      return true;
    },
    async setDeadline(_caseId: string, d: Deadline, _rule: unknown, _actor: string, key: string) {
      if (!applied.has(key)) deadlines.push(d);
      applied.set(key, { type: 'deadline-set', actor: 'system' });
      return deadlines[0];
    },
  } as unknown as CaseRepository;
  return { cases, applied, deadlines };
}

describe('workers are plain functions over typed input', () => {
  it('case-status writes the status the diagram names, once per element execution', async () => {
    const { cases, applied } = recordingCases();
    const w = caseStatusWorker({ cases });
    await w.handler({ caseId: 'c1', status: 'dispatched' }, ctx);
    await w.handler({ caseId: 'c1', status: 'dispatched' }, ctx);
    expect([...applied.values()]).toEqual([expect.objectContaining({ type: 'status', toStatus: 'dispatched' })]);
  });

  it('case-status refuses a status outside the vocabulary (a modelling error → incident)', async () => {
    const { cases } = recordingCases();
    await expect(caseStatusWorker({ cases }).handler({ caseId: 'c1', status: 'done' }, ctx)).rejects.toThrow(/status/);
  });

  it('case-deadline computes from dispatchedAt, so a redelivery yields the same deadline', async () => {
    const { cases, deadlines } = recordingCases();
    const calendar: CalendarRepository = {
      deadline: async (from, rule) => ({ dueAt: new Date(from.getTime() + rule.clockAmount * 3600_000), basis: 'hours', provisional: false }),
    } as CalendarRepository;
    const w = caseDeadlineWorker({ cases, calendar });
    const input = { caseId: 'c1', dispatchedAt: '2026-11-26T02:00:00.000Z', clockUnit: 'hours', clockAmount: 24 };
    const first = await w.handler(input, ctx);
    const second = await w.handler(input, ctx);
    expect(first).toEqual({ dueAt: '2026-11-27T02:00:00.000Z', dueProvisional: false });
    expect(second).toEqual(first);
    expect(deadlines).toHaveLength(1);
  });

  it('R5.5 case-deadline counts a redo from the moment it is ordered (clockFrom "now"), not from the original dispatch', async () => {
    const { cases, deadlines } = recordingCases();
    const calendar: CalendarRepository = {
      deadline: async (from, rule) => ({ dueAt: new Date(from.getTime() + rule.clockAmount * 86400_000), basis: 'days', provisional: false }),
    } as CalendarRepository;
    const ordered = new Date('2026-12-20T02:00:00.000Z');
    const w = caseDeadlineWorker({ cases, calendar, now: () => ordered });
    const out = await w.handler({ caseId: 'c1', dispatchedAt: '2026-11-26T02:00:00.000Z', clockUnit: 'workingDays', clockAmount: 3, clockFrom: 'now' }, ctx);
    expect(out.dueAt).toBe('2026-12-23T02:00:00.000Z');
    expect(deadlines).toHaveLength(1);
    await expect(
      w.handler({ caseId: 'c1', clockUnit: 'workingDays', clockAmount: 3, clockFrom: 'later' }, { ...ctx, activityInstanceId: 'x:2' }),
    ).rejects.toThrow(/clockFrom/);
  });

  it('case-deadline names the missing input', async () => {
    const { cases } = recordingCases();
    const w = caseDeadlineWorker({ cases, calendar: {} as CalendarRepository });
    await expect(w.handler({ caseId: 'c1', clockUnit: 'days', clockAmount: 24 }, ctx)).rejects.toThrow(/clockUnit/);
  });
});
