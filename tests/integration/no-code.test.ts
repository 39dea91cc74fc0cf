/**
 * ASVS V5.2.4 / V5.2.5 no code through a diagram: the server's deployment route refuses code with 422 naming
 * the file and element, and the engine refuses it too when a deployment goes straight to /engine-rest — or the
 * expression fails at evaluation and its side effect never happens.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineAuthorization, login } from './helpers';
import { stack } from './setup/stack';

const marker = path.join(os.tmpdir(), `hotline-no-code-${randomUUID()}`);
const RCE = `\${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('touch ${marker}')}`;

const bpmn = (
  key: string,
  inner: string,
  flows = '<bpmn:sequenceFlow id="toEnd" sourceRef="start" targetRef="end" />',
) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://12345.pds.gov.cn/bpmn">
  <bpmn:process id="${key}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" />
    ${inner}
    <bpmn:endEvent id="end" />
    ${flows}
  </bpmn:process>
</bpmn:definitions>`;

/** start → gateway → end, the flow's condition is `condition`. */
const conditional = (key: string, condition: string) =>
  bpmn(
    key,
    '<bpmn:exclusiveGateway id="gate" default="otherFlow" /><bpmn:endEvent id="otherEnd" />',
    `<bpmn:sequenceFlow id="toGate" sourceRef="start" targetRef="gate" />
     <bpmn:sequenceFlow id="otherFlow" sourceRef="gate" targetRef="otherEnd" />
     <bpmn:sequenceFlow id="evilFlow" sourceRef="gate" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`,
  );

const classTask = (key: string) =>
  bpmn(
    key,
    '<bpmn:serviceTask id="work" camunda:class="java.lang.Object" />',
    '<bpmn:sequenceFlow id="a" sourceRef="start" targetRef="work" /><bpmn:sequenceFlow id="b" sourceRef="work" targetRef="end" />',
  );
const scriptTask = (key: string) =>
  bpmn(
    key,
    `<bpmn:scriptTask id="work" scriptFormat="javascript"><bpmn:script>java.lang.Runtime.getRuntime().exec('touch ${marker}')</bpmn:script></bpmn:scriptTask>`,
    '<bpmn:sequenceFlow id="a" sourceRef="start" targetRef="work" /><bpmn:sequenceFlow id="b" sourceRef="work" targetRef="end" />',
  );
const listener = (key: string) =>
  bpmn(
    key,
    '',
    `<bpmn:sequenceFlow id="toEnd" sourceRef="start" targetRef="end"><bpmn:extensionElements><camunda:executionListener event="take" expression="${RCE}" /></bpmn:extensionElements></bpmn:sequenceFlow>`,
  );

const dmn = (key: string, outputEntry: string, language: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="${key}Defs" name="${key}" namespace="https://12345.pds.gov.cn/dmn">
  <decision id="${key}" name="${key}">
    <decisionTable id="${key}Table">
      <input id="${key}Input"><inputExpression id="${key}InputExpr" typeRef="string"><text>kind</text></inputExpression></input>
      <output id="${key}Output" name="result" typeRef="string" />
      <rule id="${key}Rule">
        <inputEntry id="${key}In"><text>-</text></inputEntry>
        <outputEntry id="${key}Out" expressionLanguage="${language}"><text>${outputEntry}</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>`;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

async function serverDeploy(name: string, content: string) {
  const form = new FormData();
  form.append('comment', '安全测试：不允许代码');
  form.append('files', new Blob([content], { type: 'application/xml' }), name);
  const res = await fetch(`${stack.api}/api/deployments`, { method: 'POST', headers: { authorization: `Bearer ${await login('admin')}` }, body: form });
  return { status: res.status, body: await res.json() };
}

const deployed: string[] = [];
async function engineDeploy(name: string, content: string) {
  const form = new FormData();
  form.append('deployment-name', 'no-code-probe');
  form.append('data', new Blob([content], { type: 'application/xml' }), name);
  const res = await fetch(`${stack.engine}/deployment/create`, { method: 'POST', headers: { authorization: engineAuthorization() }, body: form });
  const body = await res.json();
  if (res.ok) deployed.push(body.id);
  return { status: res.status, body };
}

const engine = (method: string, url: string, body?: unknown) =>
  fetch(`${stack.engine}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: engineAuthorization() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

afterAll(async () => {
  for (const id of deployed) await engine('DELETE', `/deployment/${id}?cascade=true`);
});

describe('ASVS V5.2.4 no code through a diagram', () => {
  it('the deployment route refuses a Java class, a script task, a listener and getClass() with 422 naming the file and the element', async () => {
    for (const [name, content, elementId] of [
      ['class.bpmn', classTask('noCodeClass'), 'work'],
      ['script.bpmn', scriptTask('noCodeScript'), 'work'],
      ['listener.bpmn', listener('noCodeListener'), 'toEnd'],
      ['condition.bpmn', conditional('noCodeCondition', RCE), 'evilFlow'],
      ['output.dmn', dmn('noCodeDmn', '${kind.getClass().getName()}', 'juel'), 'noCodeDmnOut'],
    ]) {
      const res = await serverDeploy(name, content);
      expect(res.status).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'lint_failed', message: { zh: expect.any(String), en: expect.any(String) } });
      expect(res.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ file: name, elementId })]));
    }
  });

  it('the engine itself refuses a Java class, a script task, a listener and a script language in a decision table', async () => {
    for (const [name, content] of [
      ['class.bpmn', classTask('noCodeClass')],
      ['script.bpmn', scriptTask('noCodeScript')],
      ['listener.bpmn', listener('noCodeListener')],
      ['script.dmn', dmn('noCodeScriptDmn', 'java.lang.System.exit(1)', 'javascript')],
    ]) {
      const res = await engineDeploy(name, content);
      // A BPMN parse error answers 400; a DMN transform error 500 — either way nothing is deployed.
      expect([name, res.status]).toEqual([name, name.endsWith('.bpmn') ? 400 : 500]);
      expect(res.body.message).toMatch(/may not contain code|Unable to transform DMN/);
    }
    const definitions = await (await engine('GET', '/process-definition?keysIn=noCodeClass,noCodeScript,noCodeListener')).json();
    expect(definitions).toEqual([]);
    expect(await (await engine('GET', '/decision-definition?key=noCodeScriptDmn')).json()).toEqual([]);
  });

  it('an expression deployed straight to the engine cannot call getClass(), read bean properties or reach a bean: evaluation fails, nothing runs', async () => {
    for (const [key, condition] of [
      ['noCodeRce', RCE],
      ['noCodeProperty', '${execution.processEngineServices.runtimeService != null}'],
      ['noCodeBean', '${processEngine.name != null}'],
    ]) {
      expect((await engineDeploy(`${key}.bpmn`, conditional(key, escape(condition)))).status).toBe(200);
      const start = await engine('POST', `/process-definition/key/${key}/start`, {});
      expect([key, start.status]).not.toEqual([key, 200]);
      expect(await start.text()).toMatch(/may not (call method|read object property)|Cannot resolve identifier/);
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('allow-listed accessors still evaluate in the engine: execution.getVariable and Spin prop().boolValue()', async () => {
    const condition = "${execution.getVariable('flag') == true && answer.prop('ok').boolValue()}";
    expect((await engineDeploy('noCodeAllowed.bpmn', conditional('noCodeAllowed', escape(condition)))).status).toBe(200);
    const start = await engine('POST', '/process-definition/key/noCodeAllowed/start', {
      variables: { flag: { value: true, type: 'Boolean' }, answer: { value: '{"ok":true}', type: 'Json' } },
    });
    expect(start.status).toBe(200);
  });

  it('a juel cell of a decision table deployed straight to the engine cannot call getClass()', async () => {
    expect((await engineDeploy('juel.dmn', dmn('noCodeJuel', '${kind.getClass().getName()}', 'juel'))).status).toBe(200);
    const res = await engine('POST', '/decision-definition/key/noCodeJuel/evaluate', { variables: { kind: { value: 'x', type: 'String' } } });
    const text = await res.text();
    expect(res.status).not.toBe(200);
    expect(text).not.toContain('java.lang.String');
  });
});
