import {
  PDF,
  answer,
  caseOf,
  complete,
  createCase,
  feedback,
  http,
  login,
  openTask,
  satisfiedRevisit,
  sql,
  upload,
  waitForStatus,
  withEditedFile,
  waitFor,
} from './helpers';
import { stack } from './setup/stack';

describe('R5 the work order slice: intake → dispatch → handle → review → revisit → closed', () => {
  it('R3.1–R3.4 R5.1 R5.2 R5.3.2 R5.4 R5.5 walks one in-scope complaint through every step, each in the timeline', async () => {
    // given a complaint registered by the operator
    const created = await createCase();
    expect(created.code).toMatch(/^12345-\d{8}-\d{6}$/);
    expect(created.suggestedCategory).toBe('B');

    // the engine's own API knows the instance by the work-order code
    const instances = await http('GET', `/process-instance?businessKey=${created.code}`, { base: stack.engine });
    expect(instances.body).toHaveLength(1);
    expect(instances.body[0].id).toBe(created.processInstanceId);

    // the office sees the dispatch task
    const officeTasks = await http('GET', '/api/tasks?taskKey=dispatch', { token: await login('office') });
    expect(officeTasks.body.items.map((t: { caseId: string }) => t.caseId)).toContain(created.id);
    const operatorTasks = await http('GET', '/api/tasks?taskKey=dispatch', { token: await login('operator') });
    expect(operatorTasks.body.items.map((t: { caseId: string }) => t.caseId)).toContain(created.id);

    // when the office dispatches it as category B to 新华区
    expect((await complete('office', created.id, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' })).status).toBe(204);
    const dispatched = await waitForStatus(created.id, 'dispatched');
    expect(dispatched.category).toBe('B');
    expect(dispatched.leadUnitId).toBe('xinhua');
    expect(dispatched.dispatchCount).toBe(1);
    expect(dispatched.dueBasis).toContain('5个工作日');

    // then the unit's handle task carries the deadline, and the unit claims and answers it
    const handle = await openTask(created.id, 'handle');
    expect(Date.parse(handle.due!)).toBe(Date.parse(dispatched.dueAt));
    const unitTasks = await http('GET', '/api/tasks?taskKey=handle', { token: await login('xinhua') });
    expect(unitTasks.body.items.map((t: { id: string }) => t.id)).toContain(handle.id);
    expect((await http('POST', `/api/tasks/${handle.id}/claim`, { token: await login('xinhua') })).status).toBe(204);
    // 五(四): the feedback carries a picture or document and the unit's leader signs it off, whatever the category
    expect((await complete('xinhua', created.id, 'handle', feedback)).status).toBe(422);
    const photo = await upload(created.id, 'xinhua', '现场照片.pdf', PDF, 'application/pdf');
    expect((await complete('xinhua', created.id, 'handle', { ...feedback, feedback: { ...feedback.feedback, attachmentIds: [photo.body.id] } })).status).toBe(
      204,
    );
    expect((await complete('xinhua-leader', created.id, 'leaderSignoff', { signoffApproved: true })).status).toBe(204);
    await waitForStatus(created.id, 'reviewing');

    expect((await complete('office', created.id, 'review', { reviewOutcome: 'accept' })).status).toBe(204);
    await waitForStatus(created.id, 'revisiting');
    expect((await complete('office', created.id, 'revisit', satisfiedRevisit)).status).toBe(204);
    expect((await complete('xinhua', created.id, 'unitRevisit', satisfiedRevisit)).status).toBe(204);
    const closed = await waitForStatus(created.id, 'closed');

    expect(closed.closedAt).not.toBeNull();
    expect(closed.tasks).toHaveLength(0);
    expect(closed.timeline.map((e: { type: string; toStatus: string | null }) => e.toStatus ?? e.type)).toEqual([
      'registered',
      'category-suggested',
      'task-completed',
      'deadline-set',
      'dispatched',
      'attachment',
      'task-completed',
      'task-completed',
      'reviewing',
      'task-completed',
      'revisiting',
      'task-completed',
      'task-completed',
      'closed',
    ]);
    expect(closed.timeline.filter((e: { type: string }) => e.type === 'task-completed').map((e: { actor: string }) => e.actor)).toEqual([
      'office',
      'xinhua',
      'xinhua-leader',
      'office',
      'office',
      'xinhua',
    ]);
    // the case shows closed before the worker completes its last external task in the engine
    const ended = await waitFor('the process to complete', async () => {
      const r = await http('GET', `/history/process-instance/${created.processInstanceId}`, { base: stack.engine });
      return r.body.state === 'COMPLETED' ? r.body : undefined;
    });
    expect(ended.state).toBe('COMPLETED');
  });

  it('R6.1 a rejected result goes back to the unit and is reviewed again', async () => {
    const created = await createCase();
    await complete('office', created.id, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: 'city-mgmt' });
    await answer('city-mgmt', created.id);
    await waitForStatus(created.id, 'reviewing');

    expect((await complete('office', created.id, 'review', { reviewOutcome: 'reject' })).status).toBe(400);
    expect((await complete('office', created.id, 'review', { reviewOutcome: 'reject', reviewComment: '未附现场照片，请补充' })).status).toBe(204);

    await waitForStatus(created.id, 'dispatched');
    await openTask(created.id, 'handle');
    const c = await caseOf(created.id);
    expect(c.timeline.filter((e: { toStatus: string | null }) => e.toStatus === 'dispatched')).toHaveLength(2);
    expect(c.dispatchCount).toBe(1);
  });

  it('R5.3.1 / R3.5–R3.7 a consultation answered on the spot and out-of-scope calls end the case with their status, and still count', async () => {
    const answered = await createCase('咨询一下灵活就业人员医保怎么缴费');
    expect(answered.suggestedCategory).toBe('A');
    await complete('office', answered.id, 'dispatch', { disposition: 'answer', answerText: '可在人社局窗口或线上办理，已告知办理流程' });
    const a = await waitForStatus(answered.id, 'answered');
    expect(a.closedAt).not.toBeNull();

    const guided = await createCase('我对法院的判决不服，要求重新审理');
    await complete('office', guided.id, 'dispatch', { disposition: 'guide', guideReason: 'judicial', guideText: '已告知通过上诉或申请再审等法律程序解决' });
    await waitForStatus(guided.id, 'guided');
    const litigation = await createCase('我和开发商的合同纠纷已经在仲裁了，想让政府出面');
    await complete('office', litigation.id, 'dispatch', { disposition: 'guide', guideReason: 'legal-process', guideText: '已进入仲裁程序，请按仲裁程序解决' });
    const petition = await createCase('我在信访局已经立案的事情什么时候有结果');
    await complete('office', petition.id, 'dispatch', {
      disposition: 'guide',
      guideReason: 'petition',
      guideText: '已在信访部门立案，请通过信访部门查询办理进度',
    });
    await waitForStatus(litigation.id, 'guided');
    await waitForStatus(petition.id, 'guided');
    const ids = [answered.id, guided.id, litigation.id, petition.id];
    const [{ n }] = await sql(`SELECT count(*)::int AS n FROM work_orders WHERE id = ANY($1) AND closed_at IS NOT NULL`, [ids]);
    expect(n).toBe(4);
    const guideEvent = (await caseOf(petition.id)).timeline.find((e: { type: string }) => e.type === 'task-completed');
    expect(guideEvent.data.variables).toMatchObject({ guideReason: 'petition', guideReasonLabel: '信访事项', guideText: expect.stringContaining('信访') });
  });

  it('R3.5 the guide reasons are the decision table caseGuideReasons: a reason added there is offered and accepted with no code change', async () => {
    const foreign = `<rule id="guideForeign">
        <description>涉外事项</description>
        <inputEntry id="guideForeignTask"><text>"dispatch"</text></inputEntry>
        <outputEntry id="guideForeignReason"><text>"foreign-affairs"</text></outputEntry>
        <outputEntry id="guideForeignLabel"><text>"涉外事项"</text></outputEntry>
        <outputEntry id="guideForeignAdvice"><text>"请向外事部门反映。"</text></outputEntry>
      </rule>
    </decisionTable>`;
    const c = await createCase('邻居家半夜有人打架，可能有人受伤');
    const task = await openTask(c.id, 'dispatch');
    const before = await http('GET', `/api/tasks/${task.id}/form`, { token: await login('office') });
    expect(before.body.options.guideReasons).toContainEqual({ value: 'petition', label: '信访事项' });
    // 非警务类: police matters are guided to 110 by the table as deployed
    expect(before.body.options.guideReasons).toContainEqual({ value: 'police', label: '警务类事项' });
    expect(before.body.options.guideReasons.map((o: { value: string }) => o.value)).not.toContain('foreign-affairs');
    const refused = await complete('office', c.id, 'dispatch', { disposition: 'guide', guideReason: 'foreign-affairs', guideText: '请向外事部门反映' });
    expect(refused.status).toBe(422);
    expect(refused.body.error.field).toBe('variables.guideReason');

    await withEditedFile('case-guide.dmn', /<\/decisionTable>/, foreign, '增加引导原因：涉外事项（集成测试）', async () => {
      const after = await http('GET', `/api/tasks/${task.id}/form`, { token: await login('office') });
      expect(after.body.options.guideReasons).toContainEqual({ value: 'foreign-affairs', label: '涉外事项' });
      expect((await complete('office', c.id, 'dispatch', { disposition: 'guide', guideReason: 'foreign-affairs', guideText: '请向外事部门反映' })).status).toBe(
        204,
      );
    });
    await waitForStatus(c.id, 'guided');
    const done = (await caseOf(c.id)).timeline.find((e: { type: string }) => e.type === 'task-completed');
    expect(done.data.variables).toMatchObject({ guideReason: 'foreign-affairs', guideReasonLabel: '涉外事项' });
  });
});
