import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { complete, createCase, deployFiles, http, login, openTask, waitFor } from '../integration/helpers';
import { stack } from '../integration/setup/stack';

const CLOCK = readFileSync(path.resolve(__dirname, '../../bpmn/case-clock.dmn'), 'utf8');
const PROCESS = readFileSync(path.resolve(__dirname, '../../bpmn/hotline-case.bpmn'), 'utf8');
// The engine skips a resource equal to the last one deployed under the same deployment name (comment): unique comments.
const RUN = Date.now().toString(36);

const probe = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="https://12345.pds.gov.cn/bpmn">
  <bpmn:process id="modelerProbe" name="校验演示" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" name="开始"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="escalateToMayor" name="报市长" camunda:type="external" camunda:topic="case-escalate-to-mayor"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="end" name="结束"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="escalateToMayor" />
    <bpmn:sequenceFlow id="f2" sourceRef="escalateToMayor" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="di"><bpmndi:BPMNPlane id="p" bpmnElement="modelerProbe">
    <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="100" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="t_di" bpmnElement="escalateToMayor"><dc:Bounds x="200" y="78" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="360" y="100" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="136" y="118" /><di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="118" /><di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe('the modeler in a real browser', () => {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function loginAs(username: string) {
    await page.goto(`${stack.api}/modeler/`);
    await page.fill('input[name=username]', username);
    await page.fill('input[name=password]', 'hotline-demo');
    await page.click('button[type=submit]');
  }

  it('a non-admin is told in Chinese that the modeler is for admins', async () => {
    await loginAs('office');
    await page.waitForSelector('.login-error:has-text("只有系统管理员")');
  });

  it('an admin opens the hotlineCase process with the properties panel and the caseClock decision table', async () => {
    await loginAs('admin');
    await page.click('button.def[data-key=hotlineCase]');
    await page.click('.djs-element[data-element-id=dispatch]');
    await page.waitForSelector('.bio-properties-panel-header-type:has-text("用户任务")');
    await page.screenshot({ path: '/tmp/modeler-e2e-bpmn.png' });

    await page.click('button.def[data-key=caseClock]');
    await page.waitForSelector('.tjs-table');
    expect(await page.textContent('.hit-policy')).toContain('命中策略');
    await page.screenshot({ path: '/tmp/modeler-e2e-dmn.png' });
  });

  it('an admin opens the 分类交办 form in the form editor, previews it with sample data and checks it on the server', async () => {
    await page.click('button.def[data-form-id=form-dispatch]:has-text("分类交办")');
    await page.waitForSelector('.form-editor .fjs-palette-container');
    await page.waitForSelector('.form-editor .fjs-properties-container');
    await page.waitForSelector('.form-editor .fjs-form-field:has-text("处理方式")');
    expect(await page.textContent('.doc-title')).toContain('form-dispatch');
    await page.screenshot({ path: '/tmp/modeler-e2e-form.png' });

    await page.click('button:has-text("预览"):enabled');
    await page.waitForSelector('.form-preview .fjs-form .fjs-form-field:has-text("处理方式")');
    expect(await page.locator('.form-editor').isHidden()).toBe(true);
    await page.screenshot({ path: '/tmp/modeler-e2e-form-preview.png' });
    await page.click('button:has-text("预览")');
    await page.waitForSelector('.form-editor .fjs-palette-container');

    await page.click('button:has-text("服务器校验")');
    await page.waitForSelector('.status.ok:has-text("服务器校验通过")');
    expect(pageErrors).toEqual([]);
  });

  it('a diagram with an unknown topic is refused on deploy and the element is marked', async () => {
    await page.setInputFiles('input[type=file]', { name: 'probe.bpmn', mimeType: 'application/xml', buffer: Buffer.from(probe) });
    await page.waitForSelector('.djs-element[data-element-id=escalateToMayor]');
    await page.fill('input.comment', '校验演示（端到端测试）');
    await page.click('button:has-text("部署")');
    await page.waitForSelector('.problems li');
    expect(await page.textContent('.problems')).toContain('escalateToMayor');
    expect(await page.locator('.djs-element.server-problem[data-element-id=escalateToMayor]').count()).toBe(1);
    await page.screenshot({ path: '/tmp/modeler-e2e-refused.png' });
    expect(pageErrors).toEqual([]);
  });

  it('an admin sets B to 3 working days in the caseClock table and deploys; a B case then gets 3 working days; the version comparison shows the change', async () => {
    try {
      // given the caseClock decision table open in the modeler
      await page.click('button.def[data-key=caseClock]');
      await page.waitForSelector('.tjs-table td[data-element-id=clockRuleBAmount]');

      // when the admin changes B's 时限 from 5 to 3 in the table and deploys
      const cell = page.locator('td[data-element-id=clockRuleBAmount] [contenteditable]');
      await cell.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.type('3');
      await page.click('.doc-title');
      await page.fill('input.comment', `B类时限改为3个工作日（端到端测试 ${RUN}）`);
      await page.click('.toolbar button.primary:text-is("部署")');
      await page.waitForSelector('.status.ok:has-text("部署成功")');
      await page.screenshot({ path: '/tmp/modeler-e2e-dmn-deployed.png' });

      // then a B case dispatched now is due in 3 working days
      const c = await createCase('楼道灯坏了很久没人修（端到端测试）');
      const res = await complete('office', c.id, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' });
      expect(res.status).toBe(204);
      const dispatched = await waitFor('the deadline', async () => {
        const now = (await http('GET', `/api/cases/${c.id}`, { token: await login('office') })).body;
        return now.dueAt ? now : undefined;
      });
      expect(dispatched.dueBasis).toContain('3个工作日');

      // and the newest version compared with the one before shows rule B changed from 5 to 3
      await page.click('.versions li:nth-child(2) button:has-text("与最新对比")');
      await page.waitForSelector('.diff-list li[data-element-id=clockRuleB]');
      expect(await page.textContent('.diff-list li[data-element-id=clockRuleB]')).toMatch(/时限：5 → 3/);
      await page.screenshot({ path: '/tmp/modeler-e2e-dmn-compare.png' });
    } finally {
      // the other tests expect bpmn/ as it is: B = 5
      expect((await deployFiles('admin', `恢复 bpmn/case-clock.dmn（端到端测试 ${RUN}）`, [{ name: 'case-clock.dmn', content: CLOCK }])).status).toBe(201);
    }
    expect(pageErrors).toEqual([]);
  });

  it('the live view shows a waiting case on dispatch; a newer hotlineCase version is compared on the diagram and the waiting case can be migrated', async () => {
    const c = await createCase('路灯不亮（端到端测试 运行监控）');
    await openTask(c.id, 'dispatch');
    await page.click('button.def[data-key=hotlineCase]');
    await page.waitForSelector('.djs-element[data-element-id=dispatch]');
    await page.click('button:has-text("运行监控"):enabled');
    await page.waitForSelector('.live-badges[data-activity=dispatch] .live-badge.running');
    await page.screenshot({ path: '/tmp/modeler-e2e-live.png' });
    await page.click('button:has-text("运行监控")');
    expect(await page.locator('.live-badges').count()).toBe(0);

    const edited = PROCESS.replace('camunda:candidateGroups="office,operator"', 'camunda:candidateGroups="office"');
    expect((await deployFiles('admin', `交办只限热线办（端到端测试 ${RUN}）`, [{ name: 'hotline-case.bpmn', content: edited }])).status).toBe(201);
    try {
      await page.reload();
      await page.click('button.def[data-key=hotlineCase]');
      await page.waitForSelector('.djs-element[data-element-id=dispatch]');
      await page.click('button:has-text("版本对比"):enabled');
      await page.waitForSelector('.djs-element.diff-changed[data-element-id=dispatch]');
      expect(await page.textContent('.diff-list')).toContain('候选组');
      await page.screenshot({ path: '/tmp/modeler-e2e-bpmn-compare.png' });

      await page.click('button:has-text("迁移运行中工单")');
      await page.click('.migrations li button:has-text("迁移到版本")');
      await page.click('button:has-text("确认迁移")');
      await page.waitForSelector('.status.ok:has-text("迁移到版本")');
      await page.screenshot({ path: '/tmp/modeler-e2e-migrated.png' });
    } finally {
      expect((await deployFiles('admin', `恢复 bpmn/hotline-case.bpmn（端到端测试 ${RUN}）`, [{ name: 'hotline-case.bpmn', content: PROCESS }])).status).toBe(
        201,
      );
    }
    expect(pageErrors).toEqual([]);
  });
});
