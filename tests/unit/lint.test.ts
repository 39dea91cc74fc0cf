import path from 'node:path';
import { bpmnResources } from '../../core/system/deploy';
import { isIsoCycle, isIsoDate, isIsoDuration, lintFiles, MAX_FORM_DEPTH } from '../../core/bpmn/lint';
import { MAX_XML_DEPTH } from '../../core/bpmn/tree';
import { createHandlers, type WorkerDeps } from '../../workers/handlers';

// Building the handlers needs no live dependency: only their topics are read.
const workerTopics = createHandlers({} as WorkerDeps).map((w) => w.topic);
const files = bpmnResources(path.resolve(__dirname, '../../bpmn'));
const lint = (name: string, content: string) => lintFiles([{ name, content }], { workerTopics });

/** A small diagram that passes every rule: start → user task (with an overdue timer) → external task → end. */
const caseBpmn = {
  name: 'fixture.bpmn',
  content: `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="https://12345.pds.gov.cn/bpmn">
  <bpmn:process id="hotlineCase" isExecutable="true">
    <bpmn:startEvent id="intake" />
    <bpmn:userTask id="review" name="审核办理结果" camunda:formRef="form-review" camunda:candidateGroups="office" />
    <bpmn:boundaryEvent id="handleOverdue" cancelActivity="false" attachedToRef="review">
      <bpmn:timerEventDefinition id="handleOverdueTimer"><bpmn:timeDate xsi:type="bpmn:tFormalExpression">\${dueAt}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:serviceTask id="markOverdue" camunda:type="external" camunda:topic="${workerTopics[0]}" />
    <bpmn:endEvent id="closedEnd" />
    <bpmn:sequenceFlow id="flowToReview" sourceRef="intake" targetRef="review" />
    <bpmn:sequenceFlow id="flowToMark" sourceRef="review" targetRef="markOverdue" />
    <bpmn:sequenceFlow id="flowClosedEnd" sourceRef="markOverdue" targetRef="closedEnd" />
  </bpmn:process>
</bpmn:definitions>`,
};

describe('lint before deployment', () => {
  it('given the diagrams, tables and forms in bpmn/, when linted, then there is no problem', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(lintFiles(files, { workerTopics })).toEqual([]);
  });

  it('given a user task without a Chinese name, when linted, then it is refused: screens show tasks by their BPMN name', () => {
    const problems = lint(caseBpmn.name, caseBpmn.content.replace(' name="审核办理结果"', ''));
    expect(problems).toEqual([{ file: caseBpmn.name, elementId: 'review', message: expect.stringContaining('名称') }]);
  });

  it('given an external task whose topic no worker serves, when linted, then it is refused naming the element', () => {
    expect(lint(caseBpmn.name, caseBpmn.content)).toEqual([]);
    const problems = lint(caseBpmn.name, caseBpmn.content.replace(`camunda:topic="${workerTopics[0]}"`, 'camunda:topic="case-escalate"'));
    expect(problems).toEqual([{ file: caseBpmn.name, elementId: 'markOverdue', message: expect.stringContaining('case-escalate') }]);
  });

  it('given a file with a DOCTYPE or ENTITY declaration, when linted, then it is refused as a whole', () => {
    const xxe = caseBpmn.content.replace(
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    );
    for (const name of ['evil.bpmn', 'evil.dmn']) {
      const problems = lint(name, xxe);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({ file: name, elementId: null, message: expect.stringContaining('DOCTYPE') });
    }
  });

  it('given a timer with a bad or empty value, when linted, then the timer event is named', () => {
    const bad = lint('a.bpmn', caseBpmn.content.replace('${dueAt}</bpmn:timeDate>', '5 days</bpmn:timeDate>'));
    expect(bad).toEqual([{ file: 'a.bpmn', elementId: 'handleOverdue', message: expect.stringContaining('5 days') }]);
    const empty = lint('a.bpmn', caseBpmn.content.replace('${dueAt}</bpmn:timeDate>', '  </bpmn:timeDate>'));
    expect(empty).toEqual([{ file: 'a.bpmn', elementId: 'handleOverdue', message: expect.stringContaining('不能为空') }]);
  });

  it('given a user task without candidate groups or form, when linted, then both are reported', () => {
    const content = caseBpmn.content.replace(' camunda:formRef="form-review" camunda:candidateGroups="office"', '');
    const problems = lint('a.bpmn', content);
    expect(problems.map((p) => p.elementId)).toEqual(['review', 'review']);
    expect(problems.map((p) => p.message).join()).toMatch(/候选组[\s\S]*表单引用/);
  });

  it('given a dangling sequence flow and a non-executable process, when linted, then both are reported', () => {
    const content = caseBpmn.content.replace('targetRef="closedEnd"', 'targetRef="nowhere"').replace('isExecutable="true"', 'isExecutable="false"');
    expect(lint('a.bpmn', content).map((p) => p.elementId)).toEqual(['hotlineCase', 'flowClosedEnd']);
  });

  it('given malformed XML, a decision without id and broken forms, when linted, then each is refused', () => {
    expect(lint('a.bpmn', '<bpmn:definitions><bpmn:process>')[0].message).toContain('XML 格式错误');
    expect(lint('a.dmn', '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision name="x"/></definitions>')[0].message).toContain(
      '缺少 id',
    );
    expect(lint('a.form', '{"components": []}')[0].message).toContain('缺少 id');
    expect(lint('a.form', '{"id": "f"}')[0]).toMatchObject({ elementId: 'f', message: expect.stringContaining('components') });
    expect(lint('a.form', 'not json')[0].message).toContain('不是有效的 JSON');
    expect(lint('a.txt', 'x')[0].message).toContain('.bpmn');
  });

  it('given form keys that are no variable names or repeat where their data lands, when linted, then each is named; nested paths keep equal keys apart', () => {
    const form = (components: unknown[]) => JSON.stringify({ id: 'form-x', components });
    const field = (id: string, key: string) => ({ id, type: 'textfield', key });
    const problems = lint(
      'x.form',
      form([
        field('a', 'reply'),
        field('b', '处理 结果'),
        field('c', 'reply'),
        { id: 'g', type: 'group', path: 'feedback', components: [field('d', 'reply')] },
      ]),
    );
    expect(problems.map((p) => p.elementId)).toEqual(['b', 'c']);
    expect(problems[0].message).toContain('不是有效的变量名');
    expect(problems[1].message).toContain('“reply”重复');
    const nested = lint(
      'x.form',
      form([
        { id: 'g', type: 'group', path: 'feedback', components: [field('d', 'result'), field('e', 'result')] },
        { id: 'h', type: 'group', path: 'bad path', components: [] },
      ]),
    );
    expect(nested.map((p) => p.elementId)).toEqual(['e', 'h']);
    expect(nested[0].message).toContain('“feedback.result”重复');
    expect(nested[1].message).toContain('路径（path）“bad path”无效');
  });

  it('given a diagram or decision table with 150,000 nested elements, when linted, then the file is refused as unreadable, not thrown', () => {
    const depth = 150_000;
    const deep = `<definitions>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</definitions>`;
    for (const name of ['deep.bpmn', 'deep.dmn']) {
      expect(lint(name, deep)).toEqual([{ file: name, elementId: null, message: expect.stringContaining(`最多嵌套 ${MAX_XML_DEPTH} 层`) }]);
    }
  });

  it('given forms nested deeper than the limit (30,000 groups, or a path of many segments), when linted, then each is refused once, not thrown', () => {
    const groups = (n: number) => `{"id":"g","type":"group","components":[`.repeat(n) + '{"id":"f","type":"textfield","key":"x"}' + ']}'.repeat(n);
    const form = (components: string) => `{"id":"form-deep","components":[${components}]}`;
    expect(lint('ok.form', form(groups(MAX_FORM_DEPTH - 1)))).toEqual([]);
    const deep = lint('deep.form', form(groups(30_000)));
    expect(deep).toEqual([{ file: 'deep.form', elementId: 'g', message: expect.stringContaining(`嵌套超过 ${MAX_FORM_DEPTH} 层`) }]);
    const path = Array.from({ length: 30_000 }, () => 'a').join('.');
    const deepPath = lint('path.form', form(`{"id":"p","type":"group","path":"${path}","components":[{"id":"f","type":"textfield","key":"x"}]}`));
    expect(deepPath).toEqual([{ file: 'path.form', elementId: 'p', message: expect.stringContaining('嵌套超过') }]);
  });

  it('given a field pattern that does not compile or may backtrack catastrophically, when linted, then the field is named; a plain pattern passes', () => {
    const form = (pattern: string) => JSON.stringify({ id: 'form-x', components: [{ id: 'code', type: 'textfield', key: 'code', validate: { pattern } }] });
    expect(lint('x.form', form('['))).toEqual([{ file: 'x.form', elementId: 'code', message: expect.stringContaining('无法编译') }]);
    for (const pattern of ['^(a+)+$', '(x+x+)+y', '(a+){10}']) {
      expect(lint('x.form', form(pattern))).toEqual([{ file: 'x.form', elementId: 'code', message: expect.stringContaining('灾难性回溯') }]);
    }
    expect(lint('x.form', form('^\\+?[0-9][0-9-]{4,18}[0-9]$'))).toEqual([]);
  });

  it('given a field whose hide, options or rules have the wrong JSON type, when linted, then each is named', () => {
    const form = (field: Record<string, unknown>) => JSON.stringify({ id: 'form-x', components: [{ id: 'f', type: 'select', key: 'f', ...field }] });
    const messages = (field: Record<string, unknown>) => lint('x.form', form(field)).map((p) => p.message);
    expect(messages({ conditional: { hide: 42 } })).toEqual([expect.stringContaining('conditional.hide must be a string')]);
    expect(messages({ values: 'a,b' })).toEqual([expect.stringContaining('values must be')]);
    expect(messages({ values: [{ label: 'A', value: { x: 1 } }] })).toEqual([expect.stringContaining('values must be')]);
    expect(messages({ validate: { required: 'yes', maxLength: '5' } })).toEqual([
      expect.stringContaining('validate.required must be a boolean'),
      expect.stringContaining('validate.maxLength must be a number'),
    ]);
    expect(messages({ conditional: { hide: '=a' }, values: [{ label: 'A', value: 'a' }], validate: { required: true, maxLength: 5 } })).toEqual([]);
  });

  it('ISO 8601 values are told apart from prose', () => {
    expect([isIsoDate('2026-12-01T09:00:00+08:00'), isIsoDate('2026-13-01'), isIsoDate('tomorrow')]).toEqual([true, false, false]);
    expect([isIsoDuration('P5D'), isIsoDuration('PT24H'), isIsoDuration('P'), isIsoDuration('PT')]).toEqual([true, true, false, false]);
    expect([isIsoCycle('R3/PT1H'), isIsoCycle('R/2026-12-01T09:00:00Z/P1D'), isIsoCycle('R3/soon')]).toEqual([true, true, false]);
  });
});
