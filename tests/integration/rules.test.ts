/**
 * The rules of 平政〔2018〕15号, each driven through the real engine, workers and server.
 * Timers are made due through the engine's job API.
 */
import { stack } from './setup/stack';
import {
  PDF,
  answer,
  caseOf,
  complete,
  dispatchedCase,
  events,
  feedback,
  fireTimer,
  http,
  login,
  openTask,
  satisfiedRevisit,
  sql,
  timers,
  upload,
  waitFor,
  waitForStatus,
  withEditedFile,
} from './helpers';

const hoursFromNow = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

describe('R4 categories and their clocks', () => {
  it('R4.C a category-C case first reports a plan; the final deadline becomes the planned date, and the written reply needs an attachment', async () => {
    const c = await dispatchedCase({ category: 'C', leadUnitId: 'planning' }, '小区旁边有人搭建违章建筑，占用消防通道');
    const dispatched = await caseOf(c.id);
    expect(dispatched.dueBasis).toContain('办理计划');
    const [overdueTimer] = await timers(c.processInstanceId, 'overdueStart');
    expect(Date.parse(overdueTimer.dueDate)).toBe(Date.parse(dispatched.dueAt));

    const plannedDoneAt = new Date(Date.now() + 30 * 86400_000).toISOString();
    expect(
      (await complete('planning', c.id, 'plan', { situation: '已现场核实，违建约40平方米', plan: '下达限期拆除通知，逾期强制拆除', plannedDoneAt })).status,
    ).toBe(204);
    await openTask(c.id, 'handle');
    const planned = await caseOf(c.id);
    expect(Date.parse(planned.dueAt)).toBe(Date.parse(plannedDoneAt));
    const [moved] = await timers(c.processInstanceId, 'overdueStart');
    expect(Date.parse(moved.dueDate)).toBe(Date.parse(plannedDoneAt));

    const noAttachment = await complete('planning', c.id, 'handle', feedback);
    expect(noAttachment.status).toBe(422);
    expect(noAttachment.body.error.field).toBe('variables.feedback.attachmentIds');
    const notAPdf = await upload(c.id, 'planning', 'reply.pdf', Buffer.from('MZ executable'), 'application/pdf');
    expect(notAPdf.status).toBe(400);
    const uploaded = await upload(c.id, 'planning', '书面回复.pdf', PDF, 'application/pdf');
    expect(uploaded.status).toBe(201);
    const withReply = { ...feedback, feedback: { ...feedback.feedback, attachmentIds: [uploaded.body.id] } };
    expect((await complete('planning', c.id, 'handle', withReply)).status).toBe(204);

    // the unit's leader in charge signs off the written reply: sent back once, then signed
    const signoff = await openTask(c.id, 'leaderSignoff');
    expect(
      (await http('POST', `/api/tasks/${signoff.id}/complete`, { token: await login('planning'), body: { variables: { signoffApproved: true } } })).status,
    ).toBe(403);
    expect((await complete('planning-leader', c.id, 'leaderSignoff', { signoffApproved: false })).status).toBe(400);
    expect((await complete('planning-leader', c.id, 'leaderSignoff', { signoffApproved: false, signoffComment: '请补充拆除通知书文号' })).status).toBe(204);
    await openTask(c.id, 'handle');
    expect((await complete('planning', c.id, 'handle', withReply)).status).toBe(204);
    expect((await complete('planning-leader', c.id, 'leaderSignoff', { signoffApproved: true })).status).toBe(204);
    await waitForStatus(c.id, 'reviewing');
    const download = await fetch(`${stack.api}/api/attachments/${uploaded.body.id}`, { headers: { authorization: `Bearer ${await login('office')}` } });
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    const stranger = await fetch(`${stack.api}/api/attachments/${uploaded.body.id}`, { headers: { authorization: `Bearer ${await login('weidong')}` } });
    expect(stranger.status).toBe(403);
  });

  it("R5.4 五(四) every feedback, not only C and D, carries a picture or document and the unit leader's sign-off: an A case", async () => {
    const c = await dispatchedCase({ category: 'A', leadUnitId: 'water-supply' }, '小区停水一整天了，没有任何通知');
    const bare = await complete('water-supply', c.id, 'handle', feedback);
    expect(bare.status).toBe(422);
    expect(bare.body.error.field).toBe('variables.feedback.attachmentIds');
    await answer('water-supply', c.id);
    const reviewing = await waitForStatus(c.id, 'reviewing');
    const done = reviewing.timeline
      .filter((e: { type: string }) => e.type === 'task-completed')
      .map((e: { actor: string; data: { taskKey: string } }) => [e.data.taskKey, e.actor]);
    expect(done.slice(-2)).toEqual([
      ['handle', 'water-supply'],
      ['leaderSignoff', 'water-supply-leader'],
    ]);
  });

  it('R4.D / R4.E an important-and-urgent case is reported to the office leaders at once and runs on calendar hours', async () => {
    const c = await dispatchedCase({ category: 'D', leadUnitId: 'gas' }, '楼道里有很浓的燃气泄漏味道，担心爆炸');
    const d = await waitFor('emergency notice', async () => {
      const now = await caseOf(c.id);
      return events(now).includes('emergency-notice') ? now : undefined;
    });
    expect(d.dueBasis).toContain('24小时');
    expect(Date.parse(d.dueAt) - Date.parse(d.dispatchedAt)).toBe(24 * 3600_000);
  });
});

describe('R2.1 and R1.4.3 the network', () => {
  it('R2.1 co-units give their input before the lead unit answers, and see the case', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua', coUnitIds: ['city-mgmt', 'market'] });
    const first = await caseOf(c.id);
    expect(first.tasks.map((t: { taskKey: string }) => t.taskKey).sort()).toEqual(['coInput', 'coInput']);
    expect((await http('GET', `/api/cases/${c.id}`, { token: await login('market') })).status).toBe(200);
    expect((await complete('city-mgmt', c.id, 'coInput', { coOpinion: '城管执法中队配合清理占道' })).status).toBe(204);
    expect((await caseOf(c.id)).tasks.some((t: { taskKey: string }) => t.taskKey === 'handle')).toBe(false);
    expect((await complete('market', c.id, 'coInput', { coOpinion: '无证摊贩由市场监管配合查处' })).status).toBe(204);
    await openTask(c.id, 'handle');
  });

  it('R2.1 a co-unit has 2 working days (casePolicy coInputDays) with a reminder; past the date the lead unit is no longer blocked and the late co-unit gets a written notice', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua', coUnitIds: ['city-mgmt', 'market'] });
    const inputs = (await caseOf(c.id)).tasks.filter((t: { taskKey: string }) => t.taskKey === 'coInput');
    expect(inputs).toHaveLength(2);
    const due = Date.parse(inputs[0].due);
    // the end of the 2nd working day after today (Beijing), not the lead unit's 5
    expect(due).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect(due).toBeLessThan(Date.parse((await caseOf(c.id)).dueAt));
    const [reminder] = await timers(c.processInstanceId, 'coInputReminder');
    expect(Date.parse(reminder.dueDate)).toBe(due - 8 * 3600_000);

    await fireTimer(c.processInstanceId, 'coInputReminder');
    await waitFor('reminders', async () => {
      const now = await caseOf(c.id);
      return now.timeline.filter((e: { type: string }) => e.type === 'co-input-reminder').length === 2 ? now : undefined;
    });
    expect((await complete('city-mgmt', c.id, 'coInput', { coOpinion: '城管执法中队配合清理占道' })).status).toBe(204);
    expect((await caseOf(c.id)).tasks.some((t: { taskKey: string }) => t.taskKey === 'handle')).toBe(false);

    // market lets the date pass: the lead unit goes on, market is supervised, the lead unit is not
    await fireTimer(c.processInstanceId, 'coInputOverdue');
    await openTask(c.id, 'handle');
    const after = await waitFor('co-unit notice', async () => {
      const now = await caseOf(c.id);
      return now.notices.length > 0 ? now : undefined;
    });
    expect(after.notices.map((n: { level: string; trigger: string; unitId: string }) => [n.level, n.trigger, n.unitId])).toEqual([
      ['written', 'co-input-overdue', 'market'],
    ]);
    expect(after).toMatchObject({ supervisionLevel: 'none', overdue: false });
    expect(after.tasks.map((t: { taskKey: string }) => t.taskKey)).toEqual(['handle']);
  });

  it('R1.4.3 a level-2 unit delegates to its own level-3 unit, which reports back; the level-2 unit answers', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const elsewhere = await complete('xinhua', c.id, 'handle', { outcome: 'delegate', subUnitId: 'weidong-wuyilu' });
    expect(elsewhere.status).toBe(422);
    expect((await complete('xinhua', c.id, 'handle', { outcome: 'delegate', subUnitId: 'xinhua-kuanggonglu' })).status).toBe(204);
    await openTask(c.id, 'handleDelegated');
    expect((await http('GET', `/api/cases/${c.id}`, { token: await login('xinhua-kuanggonglu') })).status).toBe(200);
    expect((await complete('xinhua-kuanggonglu', c.id, 'handleDelegated', { feedback: feedback.feedback })).status).toBe(204);
    const back = await openTask(c.id, 'handle');
    const form = await http('GET', `/api/tasks/${back.id}/form`, { token: await login('xinhua') });
    expect(form.body.data.feedback.result).toBe(feedback.feedback.result);
    await answer('xinhua', c.id);
    await waitForStatus(c.id, 'reviewing');
  });
});

describe('R5.6 re-dispatch and the single extension', () => {
  it('R5.6.1 a unit returns the case with its basis; the office re-dispatches it and every dispatch is counted', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    expect((await complete('xinhua', c.id, 'handle', { outcome: 'return', returnReason: '该路段属卫东区管辖', returnBasis: '行政区划图' })).status).toBe(204);
    await waitForStatus(c.id, 'returned');
    expect(
      (await complete('office', c.id, 'decideReturn', { returnDecision: 'redispatch', redispatchUnitId: 'weidong', decisionComment: '按属地重新交办卫东区' }))
        .status,
    ).toBe(204);
    const again = await waitForStatus(c.id, 'dispatched');
    expect(again).toMatchObject({ leadUnitId: 'weidong', dispatchCount: 2 });
    await openTask(c.id, 'handle');
    expect((await http('GET', '/api/tasks?taskKey=handle', { token: await login('weidong') })).body.items.map((t: { caseId: string }) => t.caseId)).toContain(
      c.id,
    );
  });

  it('R5.6.2 the office sets the new deadline and the timer moves; a second request is refused automatically', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'zhanhe' });
    expect(
      (await complete('zhanhe', c.id, 'handle', { outcome: 'extend', extensionReason: '涉及多个部门，需协调', requestedDueAt: hoursFromNow(24 * 20) })).status,
    ).toBe(204);
    const newDueAt = new Date(Date.now() + 15 * 86400_000).toISOString();
    expect((await complete('office', c.id, 'decideExtension', { extensionApproved: true, newDueAt, decisionComment: '同意延期至' })).status).toBe(204);
    const handle = await openTask(c.id, 'handle');
    expect(Date.parse(handle.due!)).toBe(Date.parse(newDueAt));
    const extended = await caseOf(c.id);
    expect(extended.extensionCount).toBe(1);
    const [timer] = await timers(c.processInstanceId, 'overdueStart');
    expect(Date.parse(timer.dueDate)).toBe(Date.parse(newDueAt));

    expect((await complete('zhanhe', c.id, 'handle', { outcome: 'extend', extensionReason: '仍需时间', requestedDueAt: hoursFromNow(24 * 40) })).status).toBe(
      204,
    );
    const refused = await waitFor('refusal', async () => {
      const now = await caseOf(c.id);
      return events(now).includes('extension-refused') && now.tasks.some((t: { taskKey: string }) => t.taskKey === 'handle') ? now : undefined;
    });
    expect(refused.timeline.find((e: { type: string }) => e.type === 'extension-refused').data.reason).toContain('只能提出1次延期申请');
    expect(refused.tasks.some((t: { taskKey: string }) => t.taskKey === 'decideExtension')).toBe(false);
    expect(refused.extensionCount).toBe(1);
  });

  it('R5.6.2 the count is kept at application: after a refused application a second one is refused automatically, the reason in the timeline', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'baofeng' });
    expect(
      (await complete('baofeng', c.id, 'handle', { outcome: 'extend', extensionReason: '需协调供电部门', requestedDueAt: hoursFromNow(24 * 20) })).status,
    ).toBe(204);
    await openTask(c.id, 'decideExtension');
    expect((await caseOf(c.id)).extensionCount).toBe(1);
    expect((await complete('office', c.id, 'decideExtension', { extensionApproved: false, decisionComment: '理由不充分，请按期办结' })).status).toBe(204);

    await openTask(c.id, 'handle');
    expect((await complete('baofeng', c.id, 'handle', { outcome: 'extend', extensionReason: '仍需协调', requestedDueAt: hoursFromNow(24 * 20) })).status).toBe(
      204,
    );
    const refused = await waitFor('refusal', async () => {
      const now = await caseOf(c.id);
      return events(now).includes('extension-refused') && now.tasks.some((t: { taskKey: string }) => t.taskKey === 'handle') ? now : undefined;
    });
    expect(refused.timeline.find((e: { type: string }) => e.type === 'extension-refused').data.reason).toContain('只能提出1次延期申请');
    expect(refused.tasks.some((t: { taskKey: string }) => t.taskKey === 'decideExtension')).toBe(false);
    expect(refused.extensionCount).toBe(1);
  });

  it('R5.6.2 原则上: deciding an application, the office may lift the limit for the case with a recorded reason; the next application reaches it, the one after is refused', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'jiaxian' });
    const extend = (reason: string) =>
      complete('jiaxian', c.id, 'handle', { outcome: 'extend', extensionReason: reason, requestedDueAt: hoursFromNow(24 * 20) });
    expect((await extend('涉及三个部门，需联合执法')).status).toBe(204);
    expect(
      (await complete('office', c.id, 'decideExtension', { extensionApproved: false, decisionComment: '先按期推进', extensionLimitLifted: true })).status,
    ).toBe(400);
    const liftReason = '涉及跨部门联合执法，特殊情况允许再次申请';
    expect(
      (
        await complete('office', c.id, 'decideExtension', {
          extensionApproved: false,
          decisionComment: '先按期推进',
          extensionLimitLifted: true,
          extensionLimitReason: liftReason,
        })
      ).status,
    ).toBe(204);

    await openTask(c.id, 'handle');
    expect((await extend('联合执法方案待市政府批准')).status).toBe(204);
    await openTask(c.id, 'decideExtension');
    const second = await caseOf(c.id);
    expect(second.extensionCount).toBe(2);
    expect(
      second.timeline
        .filter((e: { type: string }) => e.type === 'extension-requested')
        .map((e: { data: { limitLiftedFor?: string } }) => e.data.limitLiftedFor),
    ).toEqual([undefined, liftReason]);
    const newDueAt = new Date(Date.now() + 15 * 86400_000).toISOString();
    expect((await complete('office', c.id, 'decideExtension', { extensionApproved: true, newDueAt, decisionComment: '同意延期' })).status).toBe(204);

    await openTask(c.id, 'handle');
    expect((await extend('再次申请')).status).toBe(204);
    await waitFor('refusal', async () => ((await caseOf(c.id)).timeline.some((e: { type: string }) => e.type === 'extension-refused') ? true : undefined));
    expect((await caseOf(c.id)).extensionCount).toBe(2);
  });
});

describe('R6 the escalation ladder', () => {
  it('R6.1 R6.2 R6.3 R6.4 overdue climbs 书面督办 → 现场督办 → 重点督办 → 移交, each step with its notice and its timer', async () => {
    const c = await dispatchedCase({ category: 'A', leadUnitId: 'heating' }, '家里暖气不热，室温只有12度');
    await fireTimer(c.processInstanceId, 'overdueStart');
    const written = await openTask(c.id, 'supervisionReply');
    const w = await caseOf(c.id);
    expect(w).toMatchObject({ supervisionLevel: 'written', overdue: true });
    expect(w.notices[0]).toMatchObject({ level: 'written', trigger: 'overdue' });
    expect(w.notices[0].number).toMatch(/^平热督〔\d{4}〕\d{5}号$/);
    expect(Date.parse(written.due!)).toBe(Date.parse(w.notices[0].replyDueAt));
    const person = { name: '王强', title: '副总经理', phone: '0375-3333333' };
    expect(
      (
        await complete('heating', c.id, 'supervisionReply', {
          responsibleLeader: person,
          responsiblePerson: { ...person, name: '赵六', title: '客服部长' },
          reply: '已安排维修班组入户排查',
        })
      ).status,
    ).toBe(204);

    await fireTimer(c.processInstanceId, 'writtenCheck');
    await openTask(c.id, 'onsitePlan');
    expect((await caseOf(c.id)).supervisionLevel).toBe('onsite');
    await fireTimer(c.processInstanceId, 'onsitePlanOverdue');
    await openTask(c.id, 'leaderInstruction');
    expect((await caseOf(c.id)).supervisionLevel).toBe('key');
    expect((await complete('office', c.id, 'leaderInstruction', { leaderName: '常务副市长', instruction: '请热力公司三日内解决，热线办跟踪' })).status).toBe(
      204,
    );
    await fireTimer(c.processInstanceId, 'keyCheck');

    // the worker records the transfer, then the engine ends the unit's work: wait for both
    const transferred = await waitFor('transfer', async () => {
      const now = await caseOf(c.id);
      return now.status === 'transferred' && now.tasks.length === 0 ? now : undefined;
    });
    expect(transferred.supervisionLevel).toBe('transferred');
    expect(transferred.notices.map((n: { level: string }) => n.level)).toEqual(['written', 'onsite', 'key', 'transferred']);
    expect(transferred.notices[3].number).toMatch(/^平热移〔\d{4}〕\d{5}号$/);
    expect(transferred.tasks).toHaveLength(0);
  });

  it('R6.2 the third dispatch puts the case under 现场督办 at once, not only when it is also overdue (caseSupervision, trigger dispatched)', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    for (const [from, to] of [
      ['xinhua', 'weidong'],
      ['weidong', 'zhanhe'],
    ]) {
      expect((await complete(from, c.id, 'handle', { outcome: 'return', returnReason: '不属本辖区', returnBasis: '行政区划' })).status).toBe(204);
      await complete('office', c.id, 'decideReturn', { returnDecision: 'redispatch', redispatchUnitId: to, decisionComment: '重新交办' });
      await waitFor(`dispatched to ${to}`, async () => ((await caseOf(c.id)).leadUnitId === to ? true : undefined));
      await openTask(c.id, 'handle');
    }
    const plan = await openTask(c.id, 'onsiteAtDispatch');
    const third = await caseOf(c.id);
    expect(third).toMatchObject({ dispatchCount: 3, supervisionLevel: 'onsite', overdue: false });
    expect(third.notices.map((n: { level: string; trigger: string; unitId: string }) => [n.level, n.trigger, n.unitId])).toEqual([
      ['onsite', 'dispatched', 'zhanhe'],
    ]);
    expect(Date.parse(plan.due!)).toBe(Date.parse(third.notices[0].replyDueAt));
    const person = { name: '刘伟', title: '副区长', phone: '0375-4444444' };
    expect(
      (
        await complete('zhanhe', c.id, 'onsiteAtDispatch', {
          responsibleLeader: person,
          responsiblePerson: { ...person, name: '陈明', title: '城管局长' },
          reply: '三日内清理完毕',
        })
      ).status,
    ).toBe(204);

    // still not done by the deadline: the ladder goes on from 现场督办 to 重点督办
    await fireTimer(c.processInstanceId, 'overdueStart');
    await openTask(c.id, 'leaderInstruction');
    expect((await caseOf(c.id)).notices.map((n: { level: string }) => n.level)).toEqual(['onsite', 'key']);
  });

  it('R6.1 a rejected result gets a written notice with a new deadline; R6.4 a conduct problem is transferred', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'transport' });
    await answer('transport', c.id);
    await waitForStatus(c.id, 'reviewing');
    await complete('office', c.id, 'review', { reviewOutcome: 'reject', reviewComment: '未答复群众具体诉求' });
    const handle = await openTask(c.id, 'handle');
    const rejected = await caseOf(c.id);
    expect(rejected.notices).toHaveLength(1);
    expect(rejected.notices[0]).toMatchObject({ level: 'written', trigger: 'rejected' });
    expect(Date.parse(rejected.dueAt)).toBe(Date.parse(rejected.notices[0].replyDueAt));
    expect(Date.parse(handle.due!)).toBe(Date.parse(rejected.dueAt));

    await answer('transport', c.id);
    await waitForStatus(c.id, 'reviewing');
    expect(
      (await complete('office', c.id, 'review', { reviewOutcome: 'reject', reviewComment: '经核实，经办人推诿扯皮、态度恶劣', conductIssue: true })).status,
    ).toBe(400);
    await complete('office', c.id, 'review', {
      reviewOutcome: 'reject',
      reviewComment: '经核实，经办人推诿扯皮、态度恶劣',
      conductIssue: true,
      transferTo: 'conduct-office',
    });
    const transferred = await waitForStatus(c.id, 'transferred');
    expect(transferred.notices.map((n: { level: string }) => n.level)).toEqual(['written', 'transferred']);
    expect(transferred.notices[1].reason).toContain('移交市委干部作风大整顿领导小组办公室');
  });
});

describe('R6.4 a conduct problem at any step', () => {
  it('R6.4 the office flags a conduct problem while the unit is still handling: the handling ends and the case is transferred where the office chose', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'housing' }, '物业公司和社区工作人员互相推诿，态度恶劣');
    const flag = async (user: string, body: unknown) => http('POST', `/api/cases/${c.id}/conduct`, { token: await login(user), body });
    const body = { transferTo: 'supervisory-organ', reason: '群众反映社区干部推诿扯皮，经核实属实' };
    expect((await flag('housing', body)).status).toBe(403);
    expect((await flag('office', { reason: body.reason })).status).toBe(400);
    expect((await flag('office', body)).status).toBe(204);
    const transferred = await waitFor('transfer', async () => {
      const now = await caseOf(c.id);
      return now.status === 'transferred' && now.tasks.length === 0 ? now : undefined;
    });
    expect(transferred.notices.map((n: { level: string }) => n.level)).toEqual(['transferred']);
    expect(transferred.notices[0].reason).toBe(`${body.reason}；移交监察机关`);
    expect(transferred.notices[0].number).toMatch(/^平热移〔\d{4}〕\d{5}号$/);
    expect((await flag('office', body)).status).toBe(409);
    const [audit] = await sql(`SELECT username, detail FROM audit_log WHERE action = 'case.conduct-transfer' AND resource_id = $1`, [c.id]);
    expect(audit).toMatchObject({ username: 'office', detail: expect.objectContaining({ transferTo: 'supervisory-organ', reason: body.reason }) });
  });
});

describe('R5.5 revisit', () => {
  async function reviewed(unit: string) {
    const c = await dispatchedCase({ category: 'B', leadUnitId: unit });
    await answer(unit, c.id);
    await waitForStatus(c.id, 'reviewing');
    await complete('office', c.id, 'review', { reviewOutcome: 'accept' });
    await waitForStatus(c.id, 'revisiting');
    return c;
  }

  it('R5.5 a citizen who cannot be reached is called again (casePolicy: 3 attempts) before the case closes as unreachable', async () => {
    const c = await reviewed('shilong');
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await complete('office', c.id, 'revisit', { revisit: { reached: false, comments: `第${attempt}次无人接听` } })).status).toBe(204);
      await fireTimer(c.processInstanceId, 'revisitRetryWait');
    }
    expect((await complete('office', c.id, 'revisit', { revisit: { reached: false, comments: '第3次无人接听' } })).status).toBe(204);
    const closed = await waitForStatus(c.id, 'closed');
    expect(closed.closeReason).toBe('unreachable');
    expect(events(closed).filter((e: string) => e === 'revisit-unreached')).toHaveLength(2);
  });

  it('R5.5 both levels revisit: after the office (level 1), the lead unit (level 2) calls back, both recorded on the case, then it closes', async () => {
    const c = await reviewed('lushan');
    await complete('office', c.id, 'revisit', satisfiedRevisit);
    await openTask(c.id, 'unitRevisit');
    expect((await caseOf(c.id)).status).toBe('revisiting');
    expect((await complete('office', c.id, 'unitRevisit', satisfiedRevisit)).status).toBe(403);
    expect((await complete('lushan', c.id, 'unitRevisit', { revisit: { ...satisfiedRevisit.revisit, comments: '单位回访：群众满意' } })).status).toBe(204);
    const closed = await waitForStatus(c.id, 'closed');
    const revisits = closed.timeline.filter(
      (e: { type: string; data: { taskKey?: string } }) => e.type === 'task-completed' && ['revisit', 'unitRevisit'].includes(e.data.taskKey ?? ''),
    );
    expect(revisits.map((e: { actor: string; data: { taskKey: string } }) => [e.data.taskKey, e.actor])).toEqual([
      ['revisit', 'office'],
      ['unitRevisit', 'lushan'],
    ]);
  });

  it('R5.5 the level-2 revisit is a casePolicy switch: turned off, the case closes after the office revisit', async () => {
    await withEditedFile(
      'case-policy.dmn',
      /(<outputEntry id="casePolicyDefaultUnitRevisit"><text>)true(<\/text>)/,
      '$1false$2',
      '关闭二级单位回访',
      async () => {
        const c = await reviewed('lushan');
        await complete('office', c.id, 'revisit', satisfiedRevisit);
        expect((await waitForStatus(c.id, 'closed')).timeline.some((e: { data: { taskKey?: string } }) => e.data?.taskKey === 'unitRevisit')).toBe(false);
      },
    );
  });

  it('R5.5 a result found untrue goes back to the unit to be redone, then closes after a truthful revisit', async () => {
    const c = await reviewed('ruzhou');
    expect(
      (
        await complete('office', c.id, 'revisit', {
          revisit: { ...satisfiedRevisit.revisit, solved: false, resultSatisfaction: 'unsatisfied', truthful: false, comments: '群众反映摊点仍在' },
        })
      ).status,
    ).toBe(204);
    await waitForStatus(c.id, 'dispatched');
    const redo = await openTask(c.id, 'handle');
    expect(Date.parse(redo.due!)).toBeGreaterThan(Date.now());
    expect((await caseOf(c.id)).dueBasis).toContain('不属实');
    await answer('ruzhou', c.id);
    await waitForStatus(c.id, 'reviewing');
    await complete('office', c.id, 'review', { reviewOutcome: 'accept' });
    await waitForStatus(c.id, 'revisiting');
    await complete('office', c.id, 'revisit', satisfiedRevisit);
    await complete('ruzhou', c.id, 'unitRevisit', satisfiedRevisit);
    await waitForStatus(c.id, 'closed');
  });
});

describe('R5.5 the redo clock', () => {
  it('R5.5 a redo ordered after the first deadline has passed runs from the moment it is ordered, so no supervision notice fires at once', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'wugang' });
    // the dispatch was weeks ago: its 5 working days are long over, and the handling timer has fired
    const weeksAgo = new Date(Date.now() - 30 * 86400_000).toISOString();
    await http('PUT', `/process-instance/${c.processInstanceId}/variables/dispatchedAt`, { base: stack.engine, body: { value: weeksAgo, type: 'String' } });
    await sql(`UPDATE work_orders SET dispatched_at = $2 WHERE id = $1`, [c.id, weeksAgo]);
    await fireTimer(c.processInstanceId, 'overdueStart');
    await openTask(c.id, 'supervisionReply');
    expect((await caseOf(c.id)).notices.map((n: { trigger: string }) => n.trigger)).toEqual(['overdue']);

    await answer('wugang', c.id);
    await waitForStatus(c.id, 'reviewing');
    await complete('office', c.id, 'review', { reviewOutcome: 'accept' });
    await waitForStatus(c.id, 'revisiting');
    const ordered = Date.now();
    expect(
      (await complete('office', c.id, 'revisit', { revisit: { ...satisfiedRevisit.revisit, truthful: false, comments: '群众反映问题仍在' } })).status,
    ).toBe(204);
    const redo = await openTask(c.id, 'handle');
    const redone = await caseOf(c.id);
    expect(redone.dueBasis).toContain('不属实');
    expect(Date.parse(redone.dueRule.from)).toBeGreaterThanOrEqual(ordered);
    expect(Date.parse(redone.dueAt)).toBeGreaterThan(Date.now() + 24 * 3600_000);
    expect(Date.parse(redo.due!)).toBe(Date.parse(redone.dueAt));
    const [timer] = await timers(c.processInstanceId, 'overdueStart');
    expect(Date.parse(timer.dueDate)).toBe(Date.parse(redone.dueAt));
    // the original dispatch stays the dispatch; only the overdue notice of the first round exists
    expect(Date.parse(redone.dispatchedAt)).toBe(Date.parse(weeksAgo));
    expect(redone.notices.map((n: { trigger: string }) => n.trigger)).toEqual(['overdue']);
    expect(redone.tasks.map((t: { taskKey: string }) => t.taskKey)).toEqual(['handle']);
  });
});

describe('R4 policy is data', () => {
  it('R4.B changing B from 5 to 3 working days is a decision-table deployment: new cases get 3, running ones keep 5, no restart', async () => {
    const running = await dispatchedCase({ category: 'B', leadUnitId: 'yexian' });
    const runningBefore = await caseOf(running.id);
    expect(runningBefore.dueBasis).toContain('5个工作日');
    await withEditedFile('case-clock.dmn', /(<outputEntry id="clockRuleBAmount"><text>)5(<\/text>)/, '$13$2', 'B类时限改为3个工作日', async () => {
      const fresh = await dispatchedCase({ category: 'B', leadUnitId: 'yexian' });
      const f = await caseOf(fresh.id);
      expect(f.dueRule).toMatchObject({ clockAmount: 3 });
      expect(f.dueBasis).toContain('3个工作日');
      const r = await caseOf(running.id);
      expect(r.dueAt).toBe(runningBefore.dueAt);
      expect(r.dueRule).toMatchObject({ clockAmount: 5 });
    });
  });
});

describe('R4 the calendar is data', () => {
  it('R4 loading a new year recomputes provisional deadlines and moves their timers', async () => {
    const [{ loaded }] = await sql(`SELECT count(*)::int AS loaded FROM calendar_years WHERE year = 2031`);
    expect(loaded).toBe(0);
    // a case whose deadline reaches into 2031, as if dispatched on 2030-12-30
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'baofeng' });
    await sql(`UPDATE work_orders SET due_provisional = true, due_rule = $2, due_at = '2031-01-06T15:59:59.999Z' WHERE id = $1`, [
      c.id,
      JSON.stringify({ clockUnit: 'workingDays', clockAmount: 5, from: '2030-12-30T02:00:00.000Z' }),
    ]);
    const [timer] = await timers(c.processInstanceId, 'overdueStart');
    await http('PUT', `/job/${timer.id}/duedate`, { base: stack.engine, body: { duedate: '2031-01-06T15:59:59.999+0000', cascade: false } });
    const admin = await login('admin');
    expect((await http('POST', '/api/calendar/years', { token: admin, body: { year: 2030, source: '测试通知', holidays: {}, workdays: {} } })).status).toBe(
      201,
    );
    expect((await caseOf(c.id)).dueProvisional).toBe(true);

    // the notice for 2031: 1–3 January off, Sunday 4 January worked (an invented year for the test)
    const res = await http('POST', '/api/calendar/years', {
      token: admin,
      body: {
        year: 2031,
        source: '测试通知',
        holidays: { '2031-01-01': '元旦', '2031-01-02': '元旦', '2031-01-03': '元旦' },
        workdays: { '2031-01-04': '元旦' },
      },
    });
    expect(res.status).toBe(201);
    expect(res.body.recomputed).toBeGreaterThanOrEqual(1);
    const after = await caseOf(c.id);
    // Dec 31 (1), Jan 4 Sat worked (2), Jan 6, 7, 8 → 2031-01-08
    expect(after.dueAt).toBe('2031-01-08T15:59:59.999Z');
    expect(after.dueProvisional).toBe(false);
    const [movedTimer] = await timers(c.processInstanceId, 'overdueStart');
    expect(Date.parse(movedTimer.dueDate)).toBe(Date.parse('2031-01-08T15:59:59.999Z'));
    expect(
      (await http('POST', '/api/calendar/years', { token: await login('office'), body: { year: 2032, source: 'x', holidays: {}, workdays: {} } })).status,
    ).toBe(403);
  });
});
