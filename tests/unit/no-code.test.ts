/**
 * ASVS V5.2.4 / V5.2.5 (no code through a diagram): the deployment lint refuses every way a .bpmn or .dmn
 * could make the engine run code, naming the file and the element; the shipped diagrams pass.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOWED_FUNCTIONS, ALLOWED_METHODS, checkJuelText } from '../../core/bpmn/expressions';
import { lintFiles } from '../../core/bpmn/lint';
import { createHandlers, type WorkerDeps } from '../../workers/handlers';

const workerTopics = createHandlers({} as WorkerDeps).map((w) => w.topic);
const lint = (name: string, content: string) => lintFiles([{ name, content }], { workerTopics });

const RCE = `\${''.getClass().forName('java.lang.Runtime').getMethod('getRuntime').invoke(null).exec('touch /tmp/pwned')}`;

/** start → `task` → end, with `extra` inside the process. */
const bpmn = (task: string, extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://12345.pds.gov.cn/bpmn">
  <bpmn:process id="evil" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" />
    ${task}
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="toTask" sourceRef="start" targetRef="work" />
    <bpmn:sequenceFlow id="toEnd" sourceRef="work" targetRef="end" />
    ${extra}
  </bpmn:process>
</bpmn:definitions>`;

const external = (attrs = '', inner = '') =>
  `<bpmn:serviceTask id="work" camunda:type="external" camunda:topic="${workerTopics[0]}" ${attrs}>${inner}</bpmn:serviceTask>`;

const dmn = (outputEntry: string, attrs = '') => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="evilDefs" name="evil" namespace="https://12345.pds.gov.cn/dmn">
  <decision id="evilDecision" name="evil">
    <decisionTable id="evilTable">
      <input id="evilInput"><inputExpression id="evilInputExpr" typeRef="string"><text>kind</text></inputExpression></input>
      <output id="evilOutput" name="result" typeRef="string" />
      <rule id="evilRule">
        <inputEntry id="evilIn"><text>-</text></inputEntry>
        <outputEntry id="evilOut" ${attrs}><text>${outputEntry}</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
</definitions>`;

const refused = (name: string, content: string, elementId: string, message: RegExp) => {
  const problems = lint(name, content);
  expect(problems).toEqual(expect.arrayContaining([{ file: name, elementId, message: expect.stringMatching(message) }]));
};

describe('ASVS V5.2.4 no code through a diagram: the deployment lint', () => {
  it('accepts a diagram of external tasks and a plain expression', () => {
    expect(lint('ok.bpmn', bpmn(external()))).toEqual([]);
    expect(lint('ok.dmn', dmn('"x"'))).toEqual([]);
  });

  it('refuses camunda:class, camunda:delegateExpression and camunda:expression on a task', () => {
    refused('a.bpmn', bpmn('<bpmn:serviceTask id="work" camunda:class="java.lang.Runtime" />'), 'work', /class/);
    refused('a.bpmn', bpmn('<bpmn:serviceTask id="work" camunda:delegateExpression="${runtimeService}" />'), 'work', /delegateExpression/);
    refused('a.bpmn', bpmn('<bpmn:serviceTask id="work" camunda:expression="${x.run()}" />'), 'work', /expression/);
    refused('a.bpmn', bpmn('<bpmn:sendTask id="work" />'), 'work', /外部任务/);
  });

  it('refuses a script task', () => {
    refused(
      'a.bpmn',
      bpmn('<bpmn:scriptTask id="work" scriptFormat="javascript"><bpmn:script>java.lang.Runtime.getRuntime()</bpmn:script></bpmn:scriptTask>'),
      'work',
      /scriptTask/,
    );
  });

  it('refuses execution and task listeners', () => {
    const listener = '<bpmn:extensionElements><camunda:executionListener event="start" class="x.Evil" /></bpmn:extensionElements>';
    refused('a.bpmn', bpmn(external('', listener)), 'work', /executionListener/);
    const taskListener = '<bpmn:extensionElements><camunda:taskListener event="create" expression="${x}" /></bpmn:extensionElements>';
    refused(
      'a.bpmn',
      bpmn(`<bpmn:userTask id="work" camunda:candidateGroups="office" camunda:formRef="f">${taskListener}</bpmn:userTask>`),
      'work',
      /taskListener/,
    );
  });

  it('refuses a camunda:inputOutput script and a connector', () => {
    const script =
      '<bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x"><camunda:script scriptFormat="groovy">"id".execute()</camunda:script></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>';
    refused('a.bpmn', bpmn(external('', script)), 'work', /script/);
    const connector =
      '<bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></bpmn:extensionElements>';
    refused('a.bpmn', bpmn(`<bpmn:serviceTask id="work">${connector}</bpmn:serviceTask>`), 'work', /connector/);
  });

  it('refuses getClass in a gateway condition, also hidden in CDATA or character references', () => {
    const flow = (cond: string) =>
      bpmn(
        external(),
        `<bpmn:sequenceFlow id="evilFlow" sourceRef="work" targetRef="end"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${cond}</bpmn:conditionExpression></bpmn:sequenceFlow>`,
      );
    refused('a.bpmn', flow(RCE), 'evilFlow', /getClass/);
    refused('a.bpmn', flow(`<![CDATA[${RCE}]]>`), 'evilFlow', /getClass/);
    refused('a.bpmn', flow('$&#123;x.&#x67;etClass()}'), 'evilFlow', /getClass/);
    const script = bpmn(
      external(),
      '<bpmn:sequenceFlow id="evilFlow" sourceRef="work" targetRef="end"><bpmn:conditionExpression language="javascript">true</bpmn:conditionExpression></bpmn:sequenceFlow>',
    );
    refused('a.bpmn', script, 'evilFlow', /language/);
  });

  it('refuses getClass in a timer and in an input parameter', () => {
    const timer = `<bpmn:boundaryEvent id="evilTimer" attachedToRef="work"><bpmn:timerEventDefinition id="evilTimerDef"><bpmn:timeDate>\${dueAt.getClass().getName()}</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>`;
    refused('a.bpmn', bpmn(external(), timer), 'evilTimerDef', /getClass/);
    const input = `<bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x">${RCE}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>`;
    refused('a.bpmn', bpmn(external('', input)), 'work', /getClass/);
    refused('a.bpmn', bpmn(`<bpmn:userTask id="work" camunda:candidateGroups="\${processEngine.name}" camunda:formRef="f" />`), 'work', /processEngine/);
  });

  it('refuses getClass in a DMN output entry (juel), a script language and a FEEL external function', () => {
    refused('a.dmn', dmn('${x.getClass().getName()}', 'expressionLanguage="juel"'), 'evilOut', /getClass/);
    refused('a.dmn', dmn('x.getClass().getName()', 'expressionLanguage="juel"'), 'evilOut', /getClass/);
    refused('a.dmn', dmn('java.lang.Runtime.getRuntime()', 'expressionLanguage="javascript"'), 'evilOut', /javascript/);
    refused('a.dmn', dmn('x').replace('namespace=', 'expressionLanguage="groovy" namespace='), 'evilDefs', /groovy/);
    refused('a.dmn', dmn('function(x) external { java: { class: "java.lang.System", method signature: "exit(int)" } }'), 'evilOut', /external/);
  });

  it('JUEL checker: the expressions of the shipped diagrams pass, reflection and beans do not', () => {
    const shipped = ['bpmn/hotline-case.bpmn', 'bpmn/assessment.bpmn'].map((f) => readFileSync(path.resolve(__dirname, '../..', f), 'utf8'));
    const used = shipped.flatMap((x) => x.match(/[$#]\{[^}]*\}/g) ?? []).map((e) => e.replace(/&lt;/g, '<').replace(/&amp;/g, '&'));
    expect(used.length).toBeGreaterThan(20);
    for (const e of used) expect([e, checkJuelText(e)]).toEqual([e, null]);
    for (const bad of [
      RCE,
      "${x['class']}",
      '${x.class.name}',
      '${T(java.lang.Runtime).getRuntime()}',
      '${execution.processEngineServices}',
      '${execution.getProcessEngine()}',
      '${runtimeService.createProcessInstanceQuery()}',
      '${systemProperties}',
      '${x = 1}',
      '${"a".concat("b")}',
      '#{x.wait()}',
    ]) {
      expect([bad, checkJuelText(bad)]).toEqual([bad, expect.any(String)]);
    }
  });

  it('keeps the method and function allow-lists of the lint and of the engine host equal', () => {
    const java = readFileSync(path.resolve(__dirname, '../../engine/src/main/java/cn/gov/pds/hotline/engine/security/ExpressionAllowList.java'), 'utf8');
    const list = (name: string) =>
      [...(new RegExp(`${name}\\s*=\\s*Set\\.of\\(([^)]*)\\)`).exec(java)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
    expect(list('METHODS')).toEqual([...ALLOWED_METHODS].sort());
    expect(list('FUNCTIONS')).toEqual([...ALLOWED_FUNCTIONS].sort());
  });
});
