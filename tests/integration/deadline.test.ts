import { complete, createCase, http, login, openTask, waitFor, caseOf } from './helpers';
import { stack } from './setup/stack';

describe('R4 deadlines from the decision table and the official calendar', () => {
  const deadline = async (from: string, category: string) =>
    (await http('GET', `/api/calendar/deadline?from=${encodeURIComponent(from)}&category=${category}`, { token: await login('office') })).body;

  it('R4.B five working days skip the National Day holiday and count the make-up Saturday', async () => {
    const d = await deadline('2026-09-30T10:00:00+08:00', 'B');
    // Oct 1–7 off; Oct 8, 9, 10 (调休 Saturday), 12, 13 are the five working days
    expect(d.dueAt).toBe('2026-10-13T15:59:59.999Z');
    expect(d).toMatchObject({ clockUnit: 'workingDays', clockAmount: 5, provisional: false });
    expect(d.basis).toContain('2026-10-13');
  });

  it('R4.A and R4.D run on calendar hours, holidays included', async () => {
    expect((await deadline('2026-10-01T08:00:00+08:00', 'A')).dueAt).toBe('2026-10-02T00:00:00.000Z');
    expect((await deadline('2026-10-01T08:00:00+08:00', 'D')).clockUnit).toBe('hours');
  });

  it('R4 a deadline reaching into a year whose calendar is not loaded is marked provisional', async () => {
    const d = await deadline('2026-12-28T09:00:00+08:00', 'B');
    expect(d.provisional).toBe(true);
    expect(d.basis).toContain('2027年节假日安排尚未载入');
    expect(d.dueAt).toBe('2027-01-04T15:59:59.999Z');
  });
});

describe('R6.1 the handling timer', () => {
  it('R6.1 a deadline that passes marks the case overdue while the unit keeps its task', async () => {
    const c = await createCase('小区停水两天了，一直没有来水');
    await complete('office', c.id, 'dispatch', { disposition: 'dispatch', category: 'A', leadUnitId: 'water-supply' });
    const handle = await openTask(c.id, 'handle');

    // when the timer is made due through the engine's job API
    const jobs = await http('GET', `/job?timers=true&processInstanceId=${c.processInstanceId}`, { base: stack.engine });
    expect(jobs.body).toHaveLength(1);
    expect(Date.parse(jobs.body[0].dueDate)).toBe(Date.parse(handle.due!));
    expect((await http('POST', `/job/${jobs.body[0].id}/execute`, { base: stack.engine })).status).toBe(204);

    // then the case is overdue, the timeline says so, and the unit still has its task
    const overdue = await waitFor('overdue', async () => {
      const now = await caseOf(c.id);
      return now.overdue ? now : undefined;
    });
    expect(overdue.timeline.map((e: { type: string }) => e.type)).toContain('overdue');
    expect(overdue.tasks.map((t: { id: string }) => t.id)).toContain(handle.id);
    expect(overdue.status).toBe('dispatched');
  });
});
