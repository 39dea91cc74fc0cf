/**
 * 四 D 第一时间: an important-and-urgent case is answered first within the table's minutes, its feedback names
 * the unit's leader in charge (主管领导); 突发性、敏感性、群体性 cases are reported at once to the office's leaders.
 * Timers are made due through the engine's job API.
 */
import {
  caseOf,
  complaint,
  complete,
  dispatchedCase,
  events,
  feedback,
  fireTimer,
  http,
  login,
  openTask,
  startedInstance,
  timers,
  upload,
  waitFor,
  PDF,
} from './helpers';

const eventOf = (c: { timeline: { type: string; data: Record<string, unknown>; occurredAt: string }[] }, type: string) =>
  c.timeline.find((e) => e.type === type);

describe('四 D 第一时间', () => {
  it('四 D 第一时间 a D case starts a first-response timer of the table minutes (caseClock.firstResponseWithin, PT60M); letting it pass alerts the office, answering records the time', async () => {
    const c = await dispatchedCase({ category: 'D', leadUnitId: 'gas' }, '楼道里有很浓的燃气泄漏味道，担心爆炸');
    const task = await openTask(c.id, 'firstResponse');
    expect(task).toBeTruthy();
    const dispatched = await caseOf(c.id);
    const [timer] = await timers(c.processInstanceId, 'firstResponseOverdue');
    const due = Date.parse(timer.dueDate);
    expect(due).toBeGreaterThanOrEqual(Date.parse(dispatched.dispatchedAt) + 60 * 60_000 - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 60 * 60_000 + 1000);
    // the first response runs beside the handling, it does not block it
    await openTask(c.id, 'handle');

    await fireTimer(c.processInstanceId, 'firstResponseOverdue');
    const alerted = await waitFor('first-response-overdue', async () => {
      const now = await caseOf(c.id);
      return events(now).includes('first-response-overdue') ? now : undefined;
    });
    expect(eventOf(alerted, 'first-response-overdue')!.data).toMatchObject({
      to: expect.stringContaining('热线办领导'),
      leadUnitId: 'gas',
      firstResponseWithin: 'PT60M',
    });
    // the unit still has to answer; its answer is recorded with the time
    expect(alerted.tasks.some((t: { taskKey: string }) => t.taskKey === 'firstResponse')).toBe(true);
    const before = Date.now();
    expect((await complete('gas', c.id, 'firstResponse', { firstResponseNote: '已派抢修人员赶赴现场' })).status).toBe(204);
    const acknowledged = await waitFor('first-response', async () => {
      const now = await caseOf(c.id);
      return events(now).includes('first-response') ? now : undefined;
    });
    const respondedAt = Date.parse(String(eventOf(acknowledged, 'first-response')!.data.respondedAt));
    expect(respondedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(respondedAt).toBeLessThanOrEqual(Date.now());
    expect(acknowledged.tasks.some((t: { taskKey: string }) => t.taskKey === 'firstResponse')).toBe(false);
  });

  it('四 D 第一时间 a B case has no first-response clock', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    await openTask(c.id, 'handle');
    expect((await caseOf(c.id)).tasks.map((t: { taskKey: string }) => t.taskKey)).toEqual(['handle']);
    expect(await timers(c.processInstanceId, 'firstResponseOverdue')).toEqual([]);
  });

  it('四 D 主管领导 a D feedback without the unit leader in charge is refused naming the field (caseClock.leaderRequired)', async () => {
    const c = await dispatchedCase({ category: 'D', leadUnitId: 'gas' }, '小区楼道燃气泄漏，煤气味很大');
    const uploaded = await upload(c.id, 'gas', '处置过程.pdf', PDF, 'application/pdf');
    expect(uploaded.status).toBe(201);
    const withAttachment = { ...feedback, feedback: { ...feedback.feedback, attachmentIds: [uploaded.body.id] } };
    const refused = await complete('gas', c.id, 'handle', withAttachment);
    expect([400, 422]).toContain(refused.status);
    expect(refused.body.error.field).toBe('variables.feedback.leader');
    const halfLeader = await complete('gas', c.id, 'handle', { ...withAttachment, feedback: { ...withAttachment.feedback, leader: { name: '王强' } } });
    expect(halfLeader.status).toBe(400);
    expect(halfLeader.body.error.field).toBe('variables.feedback.leader.title');
    const named = { ...withAttachment, feedback: { ...withAttachment.feedback, leader: { name: '王强', title: '副总经理' } } };
    expect((await complete('gas', c.id, 'handle', named)).status).toBe(204);
    await openTask(c.id, 'leaderSignoff');
  });

  it('四 D 突发性、敏感性、群体性 a flagged B case is stored with its flags, filterable, reported to the office leaders when registered and again when dispatched', async () => {
    const token = await login('operator');
    const wrong = await http('POST', '/api/cases', { token, body: { ...complaint(), flags: ['secret'] } });
    expect(wrong.status).toBe(400);
    const created = await http('POST', '/api/cases', {
      token,
      body: { ...complaint('几十名业主聚集在小区门口反映物业停水问题'), flags: ['sensitive', 'mass'] },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await startedInstance(id);
    expect((await caseOf(id)).flags).toEqual(['sensitive', 'mass']);
    // 一(四) reported when registered, before anyone dispatches it
    const atIntake = await waitFor('the report at registration', async () => {
      const now = await caseOf(id);
      return events(now).includes('emergency-notice') ? now : undefined;
    });
    expect(atIntake.status).toBe('registered');
    expect(eventOf(atIntake, 'emergency-notice')!.data).toMatchObject({
      stage: 'intake',
      flags: ['sensitive', 'mass'],
      to: expect.stringContaining('热线办领导'),
    });
    const office = await login('office');
    const listed = await http('GET', '/api/cases?flag=sensitive&pageSize=100', { token: office });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(id);
    expect(listed.body.items.every((c: { flags: string[] }) => c.flags.includes('sensitive'))).toBe(true);
    expect((await http('GET', '/api/cases?flag=sudden&pageSize=100', { token: office })).body.items.map((c: { id: string }) => c.id)).not.toContain(id);

    expect((await complete('office', id, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' })).status).toBe(204);
    // and again with its lead unit when dispatched (跟踪)
    const reported = await waitFor('the tracking report', async () => {
      const now = await caseOf(id);
      return events(now).filter((t) => t === 'emergency-notice').length === 2 ? now : undefined;
    });
    const tracking = reported.timeline.filter((e: { type: string }) => e.type === 'emergency-notice')[1];
    expect(tracking.data).toMatchObject({ stage: 'dispatch', category: 'B', leadUnitId: 'xinhua', flags: ['sensitive', 'mass'] });
    // a B case keeps its own clock: no first-response timer
    await openTask(id, 'handle');
    expect(events(await caseOf(id))).not.toContain('first-response');
  });
});
