import { chromium, type Browser, type Page } from 'playwright-core';
import { stack } from '../integration/setup/stack';

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
    await page.waitForSelector('.form-error:has-text("只有系统管理员")');
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
});
