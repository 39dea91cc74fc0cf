/**
 * 一(四) 领导批示件的转办、督办和反馈: a leader's written instruction is registered as its own work order
 * (channel leader-instruction, no citizen needed), dispatched to a unit like any case, held to the leader's due
 * date, supervised on the ladder when it passes, and its result reported back to the leader (instructionFeedback)
 * instead of a citizen revisit. Timers are made due through the engine's job API.
 */
import { stack } from './setup/stack';
import { answer, caseOf, complaint, sql, complete, events, fireTimer, http, login, openTask, startedInstance, timers, waitForStatus } from './helpers';

const DAY = 24 * 3600_000;

const instructionCase = (instruction: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  channel: 'leader-instruction',
  content: '市民反映矿工路沿线夜间施工噪音扰民，请市城管局牵头会同新华区处理',
  instruction,
  ...extra,
});

async function register(body: Record<string, unknown>) {
  const res = await http('POST', '/api/cases', { token: await login('office'), body });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, processInstanceId: await startedInstance(res.body.id) };
}

async function dispatch(caseId: string, leadUnitId: string) {
  const res = await complete('office', caseId, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId });
  expect(res.status).toBe(204);
  await openTask(caseId, 'handle');
}

describe('一(四) 领导批示件', () => {
  it('一(四) 领导批示件 registered without a citizen, dispatched, held to the leader’s date, reported back to the leader, closed without a revisit', async () => {
    const dueAt = new Date(Date.now() + 10 * DAY);
    dueAt.setUTCMilliseconds(0);
    const c = await register(instructionCase({ leaderName: '张副市长', text: '请市城管局牵头，十日内解决并报结果。', dueAt: dueAt.toISOString() }));

    const registered = await caseOf(c.id);
    expect(registered).toMatchObject({ channel: 'leader-instruction', citizenName: '', citizenPhone: '', address: '' });
    expect(registered.instruction).toEqual({ leaderName: '张副市长', text: '请市城管局牵头，十日内解决并报结果。', dueAt: dueAt.toISOString() });
    const started = await http('GET', `/process-instance/${c.processInstanceId}/variables`, { base: stack.engine });
    expect(started.body).toMatchObject({
      directiveLeader: { value: '张副市长' },
      directiveText: { value: '请市城管局牵头，十日内解决并报结果。' },
      directiveDueAt: { value: dueAt.toISOString() },
    });
    const listed = await http('GET', '/api/cases?channel=leader-instruction&pageSize=100', { token: await login('office') });
    expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
    expect(listed.body.items.every((x: { channel: string }) => x.channel === 'leader-instruction')).toBe(true);
    // the 重点督办 批示 of the ladder keeps its own names
    expect(started.body.leaderName).toBeUndefined();
    expect(started.body.instruction).toBeUndefined();

    await dispatch(c.id, 'xinhua');
    const dispatched = await caseOf(c.id);
    expect(Date.parse(dispatched.dueAt)).toBe(dueAt.getTime());
    expect(dispatched.dueBasis).toContain('领导批示期限');
    expect(dispatched.dueRule).toMatchObject({ dueBy: dueAt.toISOString() });
    const [overdueTimer] = await timers(c.processInstanceId, 'overdueStart');
    expect(Date.parse(overdueTimer.dueDate)).toBe(dueAt.getTime());

    await answer('xinhua', c.id);
    expect((await complete('office', c.id, 'review', { reviewOutcome: 'accept' })).status).toBe(204);
    const toLeader = await openTask(c.id, 'instructionFeedback');
    expect(toLeader).toBeTruthy();
    // no citizen to revisit: the case waits for the office's report to the leader, not for a revisit
    const waiting = await caseOf(c.id);
    expect(waiting.tasks.map((t: { taskKey: string }) => t.taskKey)).toEqual(['instructionFeedback']);
    expect(waiting.status).toBe('reviewing');

    const missing = await complete('office', c.id, 'instructionFeedback', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('variables.directiveReport');
    const reported = await complete('office', c.id, 'instructionFeedback', {
      directiveReport: '已责成施工单位夜间停工，噪音问题已解决，群众满意。',
    });
    expect(reported.status).toBe(204);

    const closed = await waitForStatus(c.id, 'closed');
    const kinds = closed.timeline.filter((e: { type: string }) => e.type === 'task-completed').map((e: { data: { taskKey: string } }) => e.data.taskKey);
    expect(kinds).toEqual(['dispatch', 'handle', 'leaderSignoff', 'review', 'instructionFeedback']);
    const report = closed.timeline.find((e: { data: { taskKey?: string } }) => e.data.taskKey === 'instructionFeedback');
    expect(report.data.variables).toMatchObject({ directiveReport: '已责成施工单位夜间停工，噪音问题已解决，群众满意。' });

    // the 反馈单: every part filled once the leader has been told
    const sheet = await http('GET', `/api/cases/${c.id}/feedback-sheet`, { token: await login('office') });
    expect(sheet.status).toBe(200);
    expect(sheet.body).toMatchObject({
      code: closed.code,
      leaderName: '张副市长',
      instruction: '请市城管局牵头，十日内解决并报结果。',
      leadUnitId: 'xinhua',
      dueByInstruction: true,
      notices: [],
      handling: { result: '占道摊点已清理，安排每日巡查', responsible: '李明 城管执法中队队长' },
      signoff: { approved: true, by: 'xinhua-leader' },
      report: { text: '已责成施工单位夜间停工，噪音问题已解决，群众满意。', by: 'office' },
    });
    expect(Date.parse(sheet.body.dueAt)).toBe(dueAt.getTime());
    expect(sheet.body.review.at).toBeTruthy();
    // 回访率 counts only what had a citizen to call back: this closed case is in `closed`, not in `revisitable`
    const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
    const monthly = await http('GET', `/api/reports/monthly?period=${period}`, { token: await login('office') });
    expect(monthly.status).toBe(200);
    const [counts] = await sql(
      `SELECT count(*)::int AS closed, count(*) FILTER (WHERE citizen_phone <> '')::int AS revisitable FROM work_orders
        WHERE closed_at >= $1 AND closed_at < $2 AND status = 'closed' AND dispatched_at IS NOT NULL AND lead_unit_id IS NOT NULL AND NOT imported`,
      [monthly.body.from, monthly.body.to],
    );
    expect(monthly.body.city).toMatchObject(counts);
    expect(counts.closed - counts.revisitable).toBeGreaterThanOrEqual(1);
    // the lead unit reads it too; a unit the case never went to may not
    expect((await http('GET', `/api/cases/${c.id}/feedback-sheet`, { token: await login('xinhua') })).status).toBe(200);
    expect((await http('GET', `/api/cases/${c.id}/feedback-sheet`, { token: await login('gas') })).status).toBe(403);
  });

  it('一(四) 领导批示件 past the leader’s date enters the supervision ladder like any case', async () => {
    const c = await register(instructionCase({ leaderName: '李市长', text: '请新华区尽快处理。', dueAt: new Date(Date.now() + 2 * DAY).toISOString() }));
    await dispatch(c.id, 'xinhua');
    await fireTimer(c.processInstanceId, 'overdueStart');
    // the notice's reply task is there once the ladder's step has committed (the case page reads the work order
    // before its notices, so waiting on the notices alone can see the row of just before)
    await openTask(c.id, 'supervisionReply');
    const supervised = await caseOf(c.id);
    expect(supervised.overdue).toBe(true);
    expect(supervised.supervisionLevel).toBe('written');
    expect(supervised.notices[0]).toMatchObject({ level: 'written', trigger: 'overdue', unitId: 'xinhua' });
    expect(events(supervised)).toEqual(expect.arrayContaining(['overdue', 'supervision']));
  });

  it('一(四) 领导批示件 without a date of its own runs on the category clock; without a description its content is the instruction', async () => {
    const c = await register({ channel: 'leader-instruction', instruction: { leaderName: '王秘书长', text: '请市住建局研究办理老旧小区加装电梯问题。' } });
    const registered = await caseOf(c.id);
    expect(registered.instruction).toEqual({ leaderName: '王秘书长', text: '请市住建局研究办理老旧小区加装电梯问题。', dueAt: null });
    expect(registered.content).toBe('请市住建局研究办理老旧小区加装电梯问题。');
    await dispatch(c.id, 'xinhua');
    const dispatched = await caseOf(c.id);
    expect(dispatched.dueBasis).toContain('工作日');
    expect(dispatched.dueRule.dueBy).toBeUndefined();
    // its 反馈单 has the instruction and blank lines for what is not done yet
    const sheet = await http('GET', `/api/cases/${c.id}/feedback-sheet`, { token: await login('office') });
    expect(sheet.body).toMatchObject({ leaderName: '王秘书长', dueByInstruction: false, handling: null, signoff: null, review: null, report: null });

    // a call has no 反馈单
    const call = await http('POST', '/api/cases', { token: await login('operator'), body: complaint() });
    const none = await http('GET', `/api/cases/${call.body.id}/feedback-sheet`, { token: await login('office') });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
  });

  it('一(四) 领导批示件 intake refuses what does not fit the channel, naming the field', async () => {
    const token = await login('office');
    const post = (body: Record<string, unknown>) => http('POST', '/api/cases', { token, body });

    const noInstruction = await post({ channel: 'leader-instruction', content: '请处理' });
    expect(noInstruction.status).toBe(400);
    expect(noInstruction.body.error.field).toBe('instruction');
    expect(noInstruction.body.error.message.zh).toBeTruthy();
    expect(noInstruction.body.error.message.en).toBeTruthy();

    const past = await post(instructionCase({ leaderName: '张副市长', text: '请处理', dueAt: new Date(Date.now() - DAY).toISOString() }));
    expect(past.status).toBe(422);
    expect(past.body.error.field).toBe('instruction.dueAt');

    const blankLeader = await post(instructionCase({ leaderName: '  ', text: '请处理' }));
    expect(blankLeader.status).toBe(400);
    expect(blankLeader.body.error.field).toContain('leaderName');

    const unknownField = await post(instructionCase({ leaderName: '张副市长', text: '请处理', secret: 1 }));
    expect(unknownField.status).toBe(400);

    const onACall = await post({
      channel: 'phone',
      citizen: { name: '张先生', phone: '13812341234' },
      address: '新华区矿工路',
      content: '噪音扰民',
      instruction: { leaderName: '张副市长', text: '请处理' },
    });
    expect(onACall.status).toBe(422);
    expect(onACall.body.error.field).toBe('instruction');

    const callWithoutCitizen = await post({ channel: 'phone', address: '新华区矿工路', content: '噪音扰民' });
    expect(callWithoutCitizen.status).toBe(400);
    expect(callWithoutCitizen.body.error.field).toBe('citizen');
    const callWithoutAddress = await post({ channel: 'phone', citizen: { name: '张先生', phone: '13812341234' }, content: '噪音扰民' });
    expect(callWithoutAddress.status).toBe(400);
    expect(callWithoutAddress.body.error.field).toBe('address');
    const callWithoutContent = await post({ channel: 'phone', citizen: { name: '张先生', phone: '13812341234' }, address: '新华区矿工路' });
    expect(callWithoutContent.status).toBe(400);
    expect(callWithoutContent.body.error.field).toBe('content');

    // nothing of the refused requests was registered
    const listed = await http('GET', `/api/cases?q=${encodeURIComponent('噪音扰民')}&pageSize=100`, { token });
    expect(listed.body.items.filter((c: { content: string }) => c.content === '噪音扰民')).toEqual([]);
  });
});
