/**
 * Our own checks on diagrams, decision tables and forms before they reach the engine: what the engine
 * would accept but this system cannot run (a topic no worker serves, a user task nobody can see or fill in,
 * a timer that never fires), and anything that would run code on the engine (see lintCode). Pure functions; every problem names the file, the element and says what is
 * wrong in Chinese. XML is parsed without DTDs or entities: a file that declares any is refused outright.
 */
import { XMLValidator } from 'fast-xml-parser';
import safeRegex from 'safe-regex2';
import { checkFeel, checkJuelText, decodeXmlText, FEEL_LANGUAGES, hasJuel } from './expressions';
import { MAX_XML_DEPTH, parseXmlNodes, type XmlNode } from './tree';

export interface LintFile {
  name: string;
  content: string;
}

export interface LintProblem {
  file: string;
  /** The element at fault; null when the problem concerns the whole file. */
  elementId: string | null;
  message: string;
}

export interface LintOptions {
  /** External-task topics some worker serves. */
  workerTopics: readonly string[];
}

export const LINTABLE = /\.(bpmn|dmn|form)$/;

function* descendants(node: XmlNode): Generator<{ node: XmlNode; owner: string | null }> {
  const visit = function* (n: XmlNode, owner: string | null): Generator<{ node: XmlNode; owner: string | null }> {
    for (const c of n.children) {
      yield { node: c, owner };
      yield* visit(c, c.attrs.id ?? owner);
    }
  };
  yield* visit(node, node.attrs.id ?? null);
}

/** Parses an XML file into its root element, or returns the problem that stops it. */
function parseXml(file: LintFile): XmlNode | LintProblem {
  const problem = (message: string): LintProblem => ({ file: file.name, elementId: null, message });
  if (/<!DOCTYPE|<!ENTITY/i.test(file.content)) return problem('文件包含 DOCTYPE 或 ENTITY 声明，出于安全原因不予接受');
  const valid = XMLValidator.validate(file.content);
  if (valid !== true) return problem(`XML 格式错误（第 ${valid.err.line} 行第 ${valid.err.col} 列）：${valid.err.msg}`);
  let nodes: XmlNode[];
  try {
    nodes = parseXmlNodes(file.content);
  } catch (e) {
    // Well-formed XML the parser still refuses (elements nested too deep) is the admin's file at fault, not the server.
    return problem(`XML 无法读取（元素最多嵌套 ${MAX_XML_DEPTH} 层）：${e instanceof Error ? e.message : String(e)}`);
  }
  const root = nodes.find((n) => n.tag === 'definitions');
  return root ?? problem('根元素必须是 definitions');
}

const EXPRESSION = /^[$#]\{[\s\S]+\}$/;
const DURATION = /^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

export function isIsoDate(v: string): boolean {
  return DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));
}

export function isIsoDuration(v: string): boolean {
  return DURATION.test(v);
}

/** R[n]/duration, R[n]/start/duration or R[n]/duration/end (ISO 8601 repeating interval). */
export function isIsoCycle(v: string): boolean {
  const parts = v.split('/');
  if (!/^R\d*$/.test(parts[0]) || parts.length < 2 || parts.length > 3) return false;
  if (parts.length === 2) return isIsoDuration(parts[1]);
  return (isIsoDate(parts[1]) && isIsoDuration(parts[2])) || (isIsoDuration(parts[1]) && isIsoDate(parts[2]));
}

/** A Quartz-style cron expression as the engine accepts in timeCycle: 6 or 7 fields, seconds first (0 0 8 ? * MON). */
export function isCron(v: string): boolean {
  const fields = v.trim().split(/\s+/);
  return (fields.length === 6 || fields.length === 7) && fields.every((f) => /^[0-9A-Z*?/,#LW-]+$/i.test(f)) && (fields[3] === '?' || fields[5] === '?');
}

const TIMER_CHECKS: Record<string, { check: (v: string) => boolean; label: string }> = {
  timeDate: { check: isIsoDate, label: 'ISO 8601 日期时间（如 2026-12-01T09:00:00+08:00）' },
  timeDuration: { check: isIsoDuration, label: 'ISO 8601 时长（如 P5D、PT24H）' },
  timeCycle: { check: (v) => isIsoCycle(v) || isCron(v), label: 'ISO 8601 循环（如 R3/PT1H）或 cron 表达式（如 0 0 8 ? * MON）' },
};

function lintTimer(def: XmlNode, owner: string | null, report: (id: string | null, msg: string) => void): void {
  const specs = def.children.filter((c) => c.tag in TIMER_CHECKS);
  const id = owner ?? def.attrs.id ?? null;
  if (specs.length !== 1) return report(id, '定时器必须且只能设置 timeDate、timeDuration、timeCycle 中的一项');
  const value = specs[0].text.trim();
  const { check, label } = TIMER_CHECKS[specs[0].tag];
  if (!value) return report(id, `定时器的 ${specs[0].tag} 不能为空`);
  if (!EXPRESSION.test(value) && !check(value)) report(id, `定时器的 ${specs[0].tag}“${value}”无效：应为表达式 \${...} 或 ${label}`);
}

/**
 * What a diagram may contain (local names; namespace prefixes are dropped by the parser). Everything else —
 * script tasks, listeners, connectors, field injection — is refused: a deployment must not run code.
 */
const BPMN_ELEMENTS = new Set([
  'definitions', 'process', 'collaboration', 'participant', 'laneSet', 'lane', 'flowNodeRef', 'childLaneSet',
  'startEvent', 'endEvent', 'intermediateCatchEvent', 'intermediateThrowEvent', 'boundaryEvent',
  'timerEventDefinition', 'timeDate', 'timeDuration', 'timeCycle', 'errorEventDefinition', 'terminateEventDefinition',
  'messageEventDefinition', 'signalEventDefinition', 'escalationEventDefinition', 'error', 'message', 'signal', 'escalation',
  'userTask', 'serviceTask', 'sendTask', 'businessRuleTask', 'manualTask', 'task', 'callActivity', 'subProcess',
  'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway',
  'sequenceFlow', 'conditionExpression', 'incoming', 'outgoing', 'documentation', 'extensionElements',
  'inputOutput', 'inputParameter', 'outputParameter', 'list', 'map', 'entry', 'value', 'in', 'out',
  'multiInstanceLoopCharacteristics', 'loopCardinality', 'completionCondition', 'properties', 'property',
  'textAnnotation', 'text', 'association', 'group', 'category', 'categoryValue',
  'BPMNDiagram', 'BPMNPlane', 'BPMNShape', 'BPMNEdge', 'BPMNLabel', 'BPMNLabelStyle', 'Bounds', 'waypoint', 'Font',
]);

/** Attributes that name Java code, a script or an expression to run (camunda:class, camunda:expression, …). */
const CODE_ATTRIBUTES = new Set(['class', 'delegateExpression', 'expression', 'scriptFormat', 'resource', 'language', 'variableMappingClass', 'variableMappingDelegateExpression']);

/** Tasks the engine would run itself unless they are external tasks (or, for a business rule task, a decision). */
const SERVICE_TASKS = new Set(['serviceTask', 'sendTask', 'businessRuleTask']);

/** Text that is never evaluated. */
const PROSE = new Set(['documentation', 'text']);

/** No code through a diagram: the allow-list of elements and attributes, and every `${...}` through the JUEL checker. */
function lintCode(node: XmlNode, report: (message: string) => void): void {
  if (!BPMN_ELEMENTS.has(node.tag)) return report(`不允许的元素 ${node.tag}：部署中不能包含脚本、监听器、连接器或 Java 代码，只能使用外部任务、用户任务、定时器、事件、网关和子流程`);
  for (const attr of Object.keys(node.attrs)) {
    if (CODE_ATTRIBUTES.has(attr)) report(`不允许的属性 ${attr}：部署中不能包含 Java 类、委托表达式、方法表达式或脚本`);
  }
  if (SERVICE_TASKS.has(node.tag) && node.attrs.type !== 'external' && !(node.tag === 'businessRuleTask' && node.attrs.decisionRef)) {
    report(`${node.tag} 只能是外部任务（camunda:type="external"）${node.tag === 'businessRuleTask' ? '或引用决策表（camunda:decisionRef）' : ''}`);
  }
  const texts = [...Object.entries(node.attrs), ...(PROSE.has(node.tag) ? [] : [['', node.text] as const])];
  for (const [attr, raw] of texts) {
    const value = decodeXmlText(raw);
    if (!hasJuel(value)) continue;
    const problem = checkJuelText(value);
    if (problem) report(`表达式“${value}”${attr ? `（属性 ${attr}）` : ''}不允许：${problem}`);
  }
}

export function lintBpmn(file: LintFile, opts: LintOptions): LintProblem[] {
  const root = parseXml(file);
  if (!('tag' in root)) return [root];
  const problems: LintProblem[] = [];
  const report = (elementId: string | null, message: string) => problems.push({ file: file.name, elementId, message });
  const all = [...descendants(root)];
  const ids = new Set(all.map((e) => e.node.attrs.id).filter(Boolean));
  const processes = root.children.filter((c) => c.tag === 'process');
  if (processes.length === 0) report(null, '文件中没有流程（process）');
  for (const p of processes) {
    if (p.attrs.isExecutable !== 'true') report(p.attrs.id ?? null, '流程必须设置为可执行（isExecutable="true"）');
  }
  for (const { node, owner } of all) {
    const id = node.attrs.id ?? owner;
    lintCode(node, (message) => report(id, message));
    if (node.attrs.type === 'external') {
      const topic = node.attrs.topic?.trim();
      if (!topic) report(id, '外部任务缺少主题（camunda:topic）');
      else if (!opts.workerTopics.includes(topic)) report(id, `外部任务主题“${topic}”没有对应的处理程序（worker），已有主题：${opts.workerTopics.join('、')}`);
    }
    if (node.tag === 'userTask') {
      // Every screen shows a task by its BPMN name (tasklist, form title, case page): a task without one would show its id.
      if (!/\p{Script=Han}/u.test(node.attrs.name ?? '')) report(id, '用户任务缺少中文名称（name），工作台以该名称显示任务');
      if (!node.attrs.candidateGroups?.trim()) report(id, '用户任务缺少候选组（camunda:candidateGroups），没有人能看到该任务');
      if (!node.attrs.formRef?.trim()) report(id, '用户任务缺少表单引用（camunda:formRef）');
    }
    if (node.tag === 'timerEventDefinition') lintTimer(node, owner, report);
    if (node.tag === 'sequenceFlow') {
      for (const [ref, label] of [['sourceRef', '起点'], ['targetRef', '终点']] as const) {
        const target = node.attrs[ref];
        if (!target) report(id, `顺序流缺少${label}（${ref}）`);
        else if (!ids.has(target)) report(id, `顺序流的${label}“${target}”不存在`);
      }
    }
  }
  return problems;
}

/** DMN elements whose `<text>` the engine evaluates. */
const DMN_EXPRESSIONS = new Set(['inputExpression', 'inputEntry', 'outputEntry', 'literalExpression']);

export function lintDmn(file: LintFile): LintProblem[] {
  const root = parseXml(file);
  if (!('tag' in root)) return [root];
  const all = [...descendants(root)];
  const decisions = all.filter((e) => e.node.tag === 'decision');
  if (decisions.length === 0) return [{ file: file.name, elementId: null, message: '文件中没有决策（decision）' }];
  const problems = decisions.filter((d) => !d.node.attrs.id?.trim()).map((d) => ({ file: file.name, elementId: d.owner, message: `决策“${d.node.attrs.name ?? ''}”缺少 id` }));
  const report = (elementId: string | null, message: string) => problems.push({ file: file.name, elementId, message });
  // The engine's default is FEEL for every cell; a file-wide expressionLanguage on <definitions> changes it.
  const fileLanguage = root.attrs.expressionLanguage?.trim().toLowerCase() || 'feel';
  for (const { node, owner } of [{ node: root, owner: null }, ...all]) {
    const id = node.attrs.id ?? owner;
    const own = node.attrs.expressionLanguage?.trim().toLowerCase();
    if (own !== undefined && own !== 'juel' && !FEEL_LANGUAGES.has(own)) report(id, `不允许的表达式语言“${node.attrs.expressionLanguage}”：决策表只能使用 FEEL（或受限的 JUEL）`);
    if (!DMN_EXPRESSIONS.has(node.tag)) continue;
    const text = decodeXmlText(node.children.find((c) => c.tag === 'text')?.text ?? '');
    const language = own || fileLanguage;
    const problem = language === 'juel' ? checkJuelText(text, true) : FEEL_LANGUAGES.has(language) ? checkFeel(text) : null;
    if (problem) report(id, `表达式“${text}”不允许：${problem}`);
  }
  return problems;
}

export function lintForm(file: LintFile): LintProblem[] {
  const problem = (message: string, elementId: string | null = null): LintProblem[] => [{ file: file.name, elementId, message }];
  let form: unknown;
  try {
    form = JSON.parse(file.content);
  } catch (e) {
    return problem(`表单不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`);
  }
  if (form === null || typeof form !== 'object' || Array.isArray(form)) return problem('表单必须是 JSON 对象');
  const { id, components } = form as { id?: unknown; components?: unknown };
  if (typeof id !== 'string' || !id.trim()) return problem('表单缺少 id');
  if (!Array.isArray(components)) return problem('表单缺少 components 数组', id);
  return lintFormComponents(file.name, components);
}

/** A form field's key becomes a process variable: one plain name (a group's `path` may nest with dots). */
const VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Deepest nesting of a form's components (groups in groups; top-level fields are level 1) and of the data
 * their paths make (`a.b` is 2 levels). Our forms use 3; the browser and the server walk them recursively.
 */
export const MAX_FORM_DEPTH = 10;

interface FormComponent {
  id?: unknown;
  key?: unknown;
  path?: unknown;
  validate?: { pattern?: unknown };
  components?: unknown;
}

/**
 * Why a field's `validate.pattern` cannot be used, or null. The server tests each submission with
 * `new RegExp(pattern)` as form-js does, so the pattern must compile, and must not backtrack catastrophically
 * (safe-regex2: no repetition inside a repetition, at most 25 repetitions), or one short submission holds the server.
 */
export function patternProblem(pattern: string): string | null {
  try {
    RegExp(pattern);
  } catch (e) {
    return `正则表达式（validate.pattern）“${pattern}”无法编译（does not compile: ${e instanceof Error ? e.message : String(e)}）`;
  }
  if (!safeRegex(pattern))
    return `正则表达式（validate.pattern）“${pattern}”可能灾难性回溯，一次提交即可长时间占用服务器：不得在重复内再嵌套重复（如 (a+)+），重复不超过 25 处（may backtrack catastrophically: no nested repetition, at most 25 repetitions）`;
  return null;
}

/** What form validation reads of `validate`, by type, and the types' Chinese names. */
const TYPE_NAMES = { boolean: '是或否', number: '数字', string: '文本' } as const;
const VALIDATE_TYPES: Record<string, 'boolean' | 'number' | 'string'> = {
  required: 'boolean',
  minLength: 'number',
  maxLength: 'number',
  min: 'number',
  max: 'number',
  pattern: 'string',
};

/** The JSON types of what form validation reads of a component: a wrong one would fail every completion of its task. */
function shapeProblems(c: FormComponent): string[] {
  const problems: string[] = [];
  const raw = c as unknown as Record<string, unknown>;
  const wrong = (what: string, zh: string, en: string) => problems.push(`${what} 的类型不正确，应为${zh}（${what} must be ${en}）`);
  const object = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (raw.conditional !== undefined) {
    if (!object(raw.conditional)) wrong('conditional', '对象', 'an object');
    else if ((raw.conditional as Record<string, unknown>).hide !== undefined && typeof (raw.conditional as Record<string, unknown>).hide !== 'string')
      wrong('conditional.hide', '文本', 'a string');
  }
  if (raw.values !== undefined) {
    const options = raw.values;
    const scalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v);
    if (!Array.isArray(options) || !options.every((o) => object(o) && scalar((o as Record<string, unknown>).value))) wrong('values', '选项列表', 'a list of {label, value}');
  }
  if (raw.validate !== undefined) {
    if (!object(raw.validate)) wrong('validate', '对象', 'an object');
    else
      for (const [key, value] of Object.entries(raw.validate as Record<string, unknown>)) {
        const expected = VALIDATE_TYPES[key];
        if (expected && (typeof value !== expected || (expected === 'number' && !Number.isFinite(value)))) wrong(`validate.${key}`, TYPE_NAMES[expected], `a ${expected}`);
      }
  }
  return problems;
}

/**
 * Keys must be valid variable names and unique where their data lands: a group or list with a `path`
 * nests its fields under that path, so `feedback.result` and `result` do not collide. Patterns must be
 * usable (patternProblem), and nothing nests deeper than MAX_FORM_DEPTH. Walked in the form's order with an
 * explicit stack: a form nested however deep is refused, never a stack overflow.
 */
function lintFormComponents(fileName: string, components: unknown[]): LintProblem[] {
  const problems: LintProblem[] = [];
  const seen = new Map<string, string | null>();
  // `scope`: the data path the list's fields land under, `levels` deep.
  const stack: { list: Iterator<unknown>; scope: string; levels: number }[] = [{ list: components.values(), scope: '', levels: 0 }];
  let tooDeep = false;
  while (stack.length > 0) {
    const { list, scope, levels } = stack[stack.length - 1];
    const next = list.next();
    if (next.done) {
      stack.pop();
      continue;
    }
    const c = next.value as FormComponent;
    if (c === null || typeof c !== 'object') continue;
    const elementId = typeof c.id === 'string' ? c.id : null;
    const report = (message: string) => problems.push({ file: fileName, elementId, message });
    // Reported once per form; what lies deeper is not read.
    const refuseDepth = () => {
      if (!tooDeep) report(`表单嵌套超过 ${MAX_FORM_DEPTH} 层（组件或其路径 path），不予接受（a form nested deeper than ${MAX_FORM_DEPTH} levels is refused）`);
      tooDeep = true;
    };
    let inner = scope;
    let innerLevels = levels;
    if (c.path !== undefined && c.path !== '') {
      const segments = typeof c.path === 'string' ? c.path.split('.') : [];
      if (!segments.length || !segments.every((s) => VARIABLE.test(s))) report(`路径（path）“${String(c.path)}”无效：应由字母、数字、下划线组成，以字母或下划线开头，层级用英文句点分隔`);
      else [inner, innerLevels] = [`${scope}${c.path}.`, levels + segments.length];
    }
    if (c.key !== undefined) {
      if (typeof c.key !== 'string' || !VARIABLE.test(c.key)) report(`字段键（key）“${String(c.key)}”不是有效的变量名：应由字母、数字、下划线组成，以字母或下划线开头`);
      else if (seen.has(scope + c.key)) report(`字段键（key）“${scope}${c.key}”重复（已用于 ${seen.get(scope + c.key) ?? '另一个字段'}）`);
      else if (levels + 1 > MAX_FORM_DEPTH) refuseDepth();
      else seen.set(scope + c.key, elementId);
    }
    for (const why of shapeProblems(c)) report(why);
    const pattern = c.validate?.pattern;
    if (typeof pattern === 'string' && pattern) {
      const why = patternProblem(pattern);
      if (why) report(why);
    }
    if (!Array.isArray(c.components)) continue;
    if (Math.max(stack.length + 1, innerLevels) > MAX_FORM_DEPTH) refuseDepth();
    else stack.push({ list: c.components.values(), scope: inner, levels: innerLevels });
  }
  return problems;
}

/** Lints every file by its extension; an empty list means the set may be deployed. */
export function lintFiles(files: LintFile[], opts: LintOptions): LintProblem[] {
  const problems: LintProblem[] = [];
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.name)) problems.push({ file: file.name, elementId: null, message: '同一文件名出现了多次' });
    seen.add(file.name);
    if (!LINTABLE.test(file.name)) problems.push({ file: file.name, elementId: null, message: '只能部署 .bpmn、.dmn、.form 文件' });
    else if (!file.content.trim()) problems.push({ file: file.name, elementId: null, message: '文件为空' });
    else if (file.name.endsWith('.bpmn')) problems.push(...lintBpmn(file, opts));
    else if (file.name.endsWith('.dmn')) problems.push(...lintDmn(file));
    else problems.push(...lintForm(file));
  }
  return problems;
}
