import { readFileSync } from 'node:fs';
import path from 'node:path';
import { http, login, type Reply } from './helpers';
import { stack } from './setup/stack';

const CLOCK = path.resolve(__dirname, '../../bpmn/case-clock.dmn');

async function deploy(token: string, comment: string, files: { name: string; content: string }[]): Promise<Reply> {
  const form = new FormData();
  form.append('comment', comment);
  for (const f of files) form.append('files', new Blob([f.content], { type: 'application/xml' }), f.name);
  const res = await fetch(`${stack.api}/api/deployments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json() };
}

const deadlineB = async () => (await http('GET', '/api/calendar/deadline?from=2026-11-26T10:00:00%2B08:00&category=B', { token: await login('office') })).body;

const unknownTopicBpmn = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://12345.pds.gov.cn/bpmn">
  <bpmn:process id="modelerLintProbe" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" />
    <bpmn:serviceTask id="escalateToMayor" camunda:type="external" camunda:topic="case-escalate-to-mayor" />
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="escalateToMayor" />
    <bpmn:sequenceFlow id="f2" sourceRef="escalateToMayor" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe('the modeler deploys diagrams and decision tables (admins only)', () => {
  it('R4 an admin deploys caseClock with B = 3 working days; the deadline follows at once; restoring the file brings back 5', async () => {
    const admin = await login('admin');
    const original = readFileSync(CLOCK, 'utf8');
    const edited = original.replace(/(<outputEntry id="clockRuleBAmount"><text>)5(<\/text>)/, '$13$2');
    expect(edited).not.toBe(original);
    const before = (await http('GET', '/api/definitions', { token: admin })).body.items.find((d: { key: string }) => d.key === 'caseClock');

    try {
      // given B = 3 deployed from the modeler
      const res = await deploy(admin, 'B类时限改为3个工作日（集成测试）', [{ name: 'case-clock.dmn', content: edited }]);
      expect(res.status).toBe(201);
      expect(res.body.definitions).toContainEqual({ key: 'caseClock', version: before.version + 1, kind: 'decision' });
      // then a B case dispatched on Thursday 26 Nov is due after Fri 27, Mon 30 Nov and Tue 1 Dec
      const d = await deadlineB();
      expect(d).toMatchObject({ clockUnit: 'workingDays', clockAmount: 3, dueAt: '2026-12-01T15:59:59.999Z' });
    } finally {
      // the other integration tests expect the rule in bpmn/: B = 5
      expect((await deploy(admin, '恢复 bpmn/case-clock.dmn（集成测试）', [{ name: 'case-clock.dmn', content: original }])).status).toBe(201);
    }
    expect(await deadlineB()).toMatchObject({ clockAmount: 5, dueAt: '2026-12-03T15:59:59.999Z' });

    // and the history names who deployed, when and why
    const history = await http('GET', '/api/deployments?maxResults=5', { token: admin });
    expect(history.body.items[1]).toMatchObject({ comment: 'B类时限改为3个工作日（集成测试）', deployedBy: 'admin', resources: ['case-clock.dmn'] });
  });

  it('a diagram whose external task has no worker is refused with 422, naming the element, and nothing is deployed', async () => {
    const admin = await login('admin');
    const res = await deploy(admin, '未知主题（集成测试）', [{ name: 'probe.bpmn', content: unknownTopicBpmn }]);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('lint_failed');
    expect(res.body.problems).toEqual([{ file: 'probe.bpmn', elementId: 'escalateToMayor', message: expect.stringContaining('case-escalate-to-mayor') }]);
    const defs = await http('GET', '/api/definitions', { token: admin });
    expect(defs.body.items.map((d: { key: string }) => d.key)).not.toContain('modelerLintProbe');
  });

  it('a DOCTYPE is refused before it reaches the engine, and the lint route answers the same problems', async () => {
    const admin = await login('admin');
    const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><definitions>&x;</definitions>`;
    const res = await deploy(admin, 'XXE（集成测试）', [{ name: 'evil.dmn', content: xxe }]);
    expect(res.status).toBe(422);
    expect(res.body.problems[0]).toMatchObject({ file: 'evil.dmn', elementId: null });
    const lint = await http('POST', '/api/deployments/lint', { token: admin, body: { files: [{ name: 'probe.bpmn', content: unknownTopicBpmn }] } });
    expect(lint.status).toBe(200);
    expect(lint.body.problems.map((p: { elementId: string }) => p.elementId)).toEqual(['escalateToMayor']);
  });

  it('a diagram or decision table nested 150,000 deep is refused as unreadable by the lint route and by deployment (422), never a 500', async () => {
    const admin = await login('admin');
    const depth = 150_000;
    const deep = `<definitions>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</definitions>`;
    for (const name of ['deep.bpmn', 'deep.dmn']) {
      const lint = await http('POST', '/api/deployments/lint', { token: admin, body: { files: [{ name, content: deep }] } });
      expect(lint.status).toBe(200);
      expect(lint.body.problems).toEqual([{ file: name, elementId: null, message: expect.stringContaining('嵌套') }]);
      const res = await deploy(admin, '嵌套过深（集成测试）', [{ name, content: deep }]);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('lint_failed');
      expect(res.body.problems).toEqual(lint.body.problems);
    }
  });

  it('a non-admin may neither deploy nor read the deployments', async () => {
    const office = await login('office');
    expect((await deploy(office, '越权', [{ name: 'case-clock.dmn', content: readFileSync(CLOCK, 'utf8') }])).status).toBe(403);
    const list = await http('GET', '/api/deployments', { token: office });
    expect(list.status).toBe(403);
    expect(list.body.error.code).toBe('forbidden');
  });

  it('a deployment without comment or files is refused in Chinese, naming the field', async () => {
    const admin = await login('admin');
    const noComment = await deploy(admin, '', [{ name: 'case-clock.dmn', content: readFileSync(CLOCK, 'utf8') }]);
    expect(noComment.status).toBe(400);
    expect(noComment.body.error).toMatchObject({ field: 'comment', message: { zh: '请填写部署说明' } });
    const noFiles = await deploy(admin, '空', []);
    expect(noFiles.body.error.field).toBe('files');
  });
});
