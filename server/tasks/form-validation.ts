/**
 * A task submission checked against the task's deployed form-js form, the one source of what a task
 * accepts: a field added in the modeler is accepted and validated with no code change.
 *
 * From the form: required fields (`validate.required`; blank text counts as missing), types
 * (textfield/textarea → string with `validate.minLength/maxLength/pattern`, number → number with
 * `validate.min/max`, checkbox → boolean, select/radio → one of `values` or of the options policy gives
 * by `valuesKey`, taglist/checklist → array of those, datetime → ISO date/time by `subtype`,
 * filepicker → attachment ids), nested `path`s of groups and dotted keys, and `conditional.hide`: a hidden
 * field is neither required nor accepted. Any variable the form does not name is refused, unless the
 * caller allows it (the process-needed allow-list in server/tasks/forms.ts).
 *
 * Refusals: a missing or mistyped field 400 (the form would not have sent it), a field the form does not
 * have or hides 422, an option policy does not offer 422, a form nested deeper than lint allows 422.
 */
import { MAX_FORM_DEPTH, patternProblem } from '../../core/bpmn/lint';
import { ValidationError } from '../../core/errors';
import { UUID } from '../schemas';
import { CASE_TEXT_LIMITS, visibleLength } from '../../core/cases/limits';
import { isClock, isDay, withinYears } from '../../core/instants';

export interface FormComponent {
  id?: string;
  type: string;
  key?: string;
  path?: string;
  label?: string;
  subtype?: string;
  multiple?: boolean;
  values?: { label?: string; value: unknown }[];
  valuesKey?: string;
  validate?: { required?: boolean; minLength?: number; maxLength?: number; pattern?: string; min?: number; max?: number };
  conditional?: { hide?: string };
  components?: FormComponent[];
}

export interface FormSchema {
  id?: string;
  components?: FormComponent[];
}

export interface FormCheckOptions {
  /** What the form's conditions read beside the submission: the task's process variables (e.g. `clock`). */
  context?: Record<string, unknown>;
  /** The options policy gives for a `valuesKey` (guideReasons); a key not given is checked for its type only. */
  options?: Record<string, readonly unknown[]>;
  /** Dotted variable paths the process needs beside the form's fields. */
  allowed?: readonly string[];
}

/** Components that show something and hold no value, even if a key is set. */
const DISPLAY = new Set(['text', 'html', 'image', 'spacer', 'separator', 'button', 'iframe', 'documentPreview', 'expression']);
const STRING_TYPES = new Set(['textfield', 'textarea']);
const CHOICE_TYPES = new Set(['select', 'radio']);
const MULTI_TYPES = new Set(['taglist', 'checklist']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** The time of day a value shows (`14:30[:05]`, after a `T` in a date-time) is a real one: hours to 23, minutes and seconds to 59. */
const realClock = (v: string): boolean => {
  const clock = /(?:^|T)(\d{2}):(\d{2})(?::(\d{2}))?/.exec(v);
  return clock === null || isClock(Number(clock[1]), Number(clock[2]), Number(clock[3] ?? 0));
};
/** A date, time or date-time that is real: a real day within the years every part of the system holds (core/instants.ts), a real clock. */
const realTime = (v: string, subtype: string | undefined): boolean =>
  realClock(v) && (subtype === 'time' || (isDay(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)) && withinYears(new Date(v))));

interface FieldNode {
  kind: 'field';
  component: FormComponent;
  hides: string[];
}
interface ObjectNode {
  kind: 'object';
  children: Map<string, Node>;
  hides: string[];
}
type Node = FieldNode | ObjectNode;

const objectNode = (hides: string[]): ObjectNode => ({ kind: 'object', children: new Map(), hides });

/** The object node at `path` below `node`, made on the way (a group's `path`, the prefix of a dotted key). */
function objectAt(node: ObjectNode, path: string[], hides: string[]): ObjectNode {
  let at = node;
  path.forEach((segment, i) => {
    let next = at.children.get(segment);
    if (!next || next.kind !== 'object') {
      next = objectNode(i === path.length - 1 ? hides : []);
      at.children.set(segment, next);
    }
    at = next;
  });
  return at;
}

/**
 * The form's fields as a tree of variable paths, each with the `conditional.hide` expressions that may hide it.
 * Components are walked in the form's order with an explicit stack. A form nested deeper than lint allows
 * (components, or the data their paths and keys make; deployed before lint refused it) is refused with 422
 * until an admin deploys a fixed one: the walks over this tree below recurse as deep as it goes.
 */
export function formTree(form: FormSchema): ObjectNode {
  const root = objectNode([]);
  const tooDeep = (levels: number) => {
    if (levels > MAX_FORM_DEPTH)
      throw new ValidationError(
        'taskDefinitionKey',
        `该任务的表单嵌套超过 ${MAX_FORM_DEPTH} 层，无法校验提交，请管理员在建模器中修正表单后重新部署`,
        `the task's form nests deeper than ${MAX_FORM_DEPTH} levels and cannot be checked; an admin must deploy a fixed form`,
        422,
      );
  };
  // `levels`: how deep `node` lies in the submitted data.
  const stack: { list: Iterator<FormComponent>; node: ObjectNode; levels: number; hides: string[] }[] = [
    { list: (form.components ?? []).values(), node: root, levels: 0, hides: [] },
  ];
  while (stack.length > 0) {
    const { list, node, levels, hides } = stack[stack.length - 1];
    const next = list.next();
    if (next.done) {
      stack.pop();
      continue;
    }
    const c = next.value;
    // As lint reads them: an entry that is no object holds nothing, `components` that is no list nests nothing.
    if (c === null || typeof c !== 'object') continue;
    // A hide that is no text (lint refuses it; a form deployed before may hold one) hides nothing.
    const own = typeof c.conditional?.hide === 'string' && c.conditional.hide ? [...hides, c.conditional.hide] : hides;
    if (Array.isArray(c.components)) {
      const path = c.path ? c.path.split('.') : [];
      tooDeep(Math.max(stack.length + 1, levels + path.length));
      const target = objectAt(node, path, own);
      stack.push({ list: c.components.values(), node: target, levels: levels + path.length, hides: c.path ? [] : own });
      continue;
    }
    if (!c.key || DISPLAY.has(c.type)) continue;
    const path = c.key.split('.');
    tooDeep(levels + path.length);
    const parent = objectAt(node, path.slice(0, -1), []);
    parent.children.set(path[path.length - 1], { kind: 'field', component: c, hides: own });
  }
  return root;
}

const getIn = (data: unknown, path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);

/** A FEEL literal of the simple conditions the forms use: a string, a number, true, false, null. */
function literal(text: string): { value: unknown } | undefined {
  const t = text.trim();
  if (/^"(?:[^"\\]|\\.)*"$/.test(t)) return { value: JSON.parse(t) };
  if (t === 'true' || t === 'false') return { value: t === 'true' };
  if (t === 'null') return { value: null };
  if (/^-?\d+(\.\d+)?$/.test(t)) return { value: Number(t) };
  return undefined;
}

/** `not(…)` inside `not(…)` beyond this is outside what is supported: the expression is the admin's, its recursion stays shallow. */
const MAX_NOT_DEPTH = 10;

/**
 * Whether a `conditional.hide` FEEL expression holds for `data`. Supported: comparisons `path = literal`,
 * `path != literal` (either side), a bare path or `not(path)`, joined by `and` / `or`. FEEL's null: an
 * absent variable compares equal only to null. An expression outside these is undefined (null).
 */
export function evaluateHide(expression: string, data: Record<string, unknown>): boolean | null {
  const source = expression.trim().replace(/^=/, '').trim();
  const disjuncts = source.split(/\s+or\s+/);
  const evalAtom = (atom: string, depth = 0): boolean | null => {
    const a = atom
      .trim()
      .replace(/^\((.*)\)$/, '$1')
      .trim();
    const not = /^not\s*\((.*)\)$/.exec(a);
    if (not) {
      const inner = depth < MAX_NOT_DEPTH ? evalAtom(not[1], depth + 1) : null;
      return inner === null ? null : !inner;
    }
    const cmp = /^(.+?)\s*(!=|=)\s*(.+)$/.exec(a);
    const isPath = (t: string) => /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(t.trim());
    if (cmp) {
      const op = cmp[2];
      const [left, right] = !isPath(cmp[1]) && isPath(cmp[3]) ? [cmp[3], cmp[1]] : [cmp[1], cmp[3]];
      const lit = literal(right);
      if (!isPath(left) || !lit) return null;
      const value = getIn(data, left.trim().split('.')) ?? null;
      const equal = value === lit.value;
      return op === '=' ? equal : !equal;
    }
    if (isPath(a)) return getIn(data, a.split('.')) === true;
    const lit = literal(a);
    return lit && typeof lit.value === 'boolean' ? lit.value : null;
  };
  let result: boolean | null = false;
  for (const d of disjuncts) {
    let all: boolean | null = true;
    for (const c of d.split(/\s+and\s+/)) {
      const v = evalAtom(c);
      if (v === false) {
        all = false;
        break;
      }
      if (v === null) all = null;
    }
    if (all === true) return true;
    if (all === null) result = null;
  }
  return result;
}

const name = (path: string[]) => ['variables', ...path].join('.');

function required(path: string[]): never {
  const field = name(path);
  throw new ValidationError(field, `缺少必填字段 ${field}`, `${field} is required`, 400);
}
function invalid(path: string[], zh: string, en: string, status: 400 | 422 = 400): never {
  const field = name(path);
  throw new ValidationError(field, `字段 ${field} ${zh}`, `${field} ${en}`, status);
}

/** An answer left out: nothing, or text a reader sees nothing of (spaces, zero-width marks). */
export const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && visibleLength(v) === 0);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkChoice(c: FormComponent, v: unknown, path: string[], options: FormCheckOptions['options']): void {
  if (Array.isArray(c.values)) {
    if (!c.values.some((o) => o?.value === v)) {
      const allowed = c.values.map((o) => String(o?.value)).join('、');
      invalid(path, `的取值无效，可选值：${allowed}`, `must be one of ${allowed}`);
    }
    return;
  }
  if (typeof v !== 'string' || v.length === 0 || v.length > 200) invalid(path, '须为一个选项', 'must be an option');
  const offered = c.valuesKey ? options?.[c.valuesKey] : undefined;
  if (offered && !offered.includes(v)) {
    const allowed = offered.map(String).join('、') || '（无）';
    invalid(path, `的取值无效，可选值：${allowed}（${c.valuesKey}）`, `must be one of ${allowed} (${c.valuesKey})`, 422);
  }
}

/**
 * The longest text any form field takes, whatever its own maxLength: twice a call's longest content. A pattern is
 * only ever run on text this short, so even one that backtracks polynomially (which no checker rules out) stays quick.
 */
export const MAX_FIELD_TEXT = 2 * CASE_TEXT_LIMITS.content;

/**
 * `validate.pattern`s compiled, by source. One that does not compile or may backtrack catastrophically
 * (patternProblem; lint refuses both, but a form deployed before could hold one) is null: that constraint is
 * skipped and logged once, the field's other rules still apply — never a 500 or a held server on every completion.
 */
const patterns = new Map<string, RegExp | null>();

function usablePattern(source: string): RegExp | null {
  let compiled = patterns.get(source);
  if (compiled === undefined) {
    const problem = patternProblem(source);
    if (problem) console.warn(`a deployed form's validate.pattern is skipped at task completion: ${problem}`);
    compiled = problem ? null : new RegExp(source);
    patterns.set(source, compiled);
  }
  return compiled;
}

function checkField(c: FormComponent, v: unknown, path: string[], options: FormCheckOptions['options']): void {
  const rule = c.validate ?? {};
  if (blank(v)) {
    if (rule.required) required(path);
    if (v === undefined) return;
  }
  if (STRING_TYPES.has(c.type)) {
    if (typeof v !== 'string') invalid(path, '须为文本', 'must be a string');
    if (rule.minLength !== undefined && v.length < rule.minLength)
      invalid(path, `至少 ${rule.minLength} 个字符`, `must be at least ${rule.minLength} characters`);
    if (rule.maxLength !== undefined && v.length > rule.maxLength)
      invalid(path, `不能超过 ${rule.maxLength} 个字符`, `must be at most ${rule.maxLength} characters`);
    if (v.length > MAX_FIELD_TEXT) invalid(path, `不能超过 ${MAX_FIELD_TEXT} 个字符`, `must be at most ${MAX_FIELD_TEXT} characters`);
    const pattern = typeof rule.pattern === 'string' && rule.pattern ? usablePattern(rule.pattern) : null;
    if (pattern && !pattern.test(v)) invalid(path, '格式不正确', `must match ${rule.pattern}`);
  } else if (c.type === 'number') {
    if (typeof v !== 'number' || !Number.isFinite(v)) invalid(path, '须为数字', 'must be a number');
    if (rule.min !== undefined && v < rule.min) invalid(path, `不能小于 ${rule.min}`, `must be at least ${rule.min}`);
    if (rule.max !== undefined && v > rule.max) invalid(path, `不能大于 ${rule.max}`, `must be at most ${rule.max}`);
  } else if (c.type === 'checkbox') {
    if (typeof v !== 'boolean') invalid(path, '须为是或否', 'must be a boolean');
  } else if (CHOICE_TYPES.has(c.type)) {
    checkChoice(c, v, path, options);
  } else if (MULTI_TYPES.has(c.type)) {
    if (!Array.isArray(v)) invalid(path, '须为选项列表', 'must be an array');
    if (new Set(v).size !== v.length) invalid(path, '含重复的选项', 'must not repeat an option');
    if (rule.required && v.length === 0) required(path);
    v.forEach((item, i) => checkChoice(c, item, [...path, String(i)], options));
  } else if (c.type === 'datetime') {
    const format = c.subtype === 'date' ? DATE : c.subtype === 'time' ? TIME : DATE_TIME;
    if (typeof v !== 'string' || !format.test(v) || !realTime(v, c.subtype))
      invalid(path, '须为 ISO 8601 日期时间', `must be an ISO 8601 ${c.subtype ?? 'datetime'}`);
  } else if (c.type === 'filepicker') {
    // This application's file pickers submit the ids of attachments uploaded beforehand (POST /api/cases/:id/attachments).
    const ids = c.multiple ? v : [v];
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || !UUID.test(id))) invalid(path, '须为附件编号', 'must be attachment ids');
    if (new Set(ids).size !== ids.length || ids.length > 20) invalid(path, '附件重复或超过 20 份', 'must be at most 20 distinct attachments');
    if (rule.required && ids.length === 0) required(path);
  }
}

/** Whether anything below `node` must be filled in while it shows. */
function hasRequired(node: Node, data: Record<string, unknown>): boolean {
  if (node.hides.some((h) => evaluateHide(h, data) === true)) return false;
  if (node.kind === 'field') return node.component.validate?.required === true;
  return [...node.children.values()].some((child) => hasRequired(child, data));
}

/**
 * What the form's conditions read: the submission over the task's variables. The submission alone speaks
 * for the form's own fields (a variable an earlier task left under a field's name does not show or hide
 * anything); the variables give what the form does not ask (e.g. `clock`).
 */
export function conditionData(form: FormSchema, submitted: Record<string, unknown>, context: Record<string, unknown> = {}): Record<string, unknown> {
  const own = formTree(form).children;
  return { ...Object.fromEntries(Object.entries(context).filter(([k]) => !own.has(k))), ...submitted };
}

/**
 * Checks `submitted` against the form, in the form's order; throws the first ValidationError. The form's
 * conditions read the submission over `context` (the task's variables), as form-js reads its data.
 */
export function checkSubmission(form: FormSchema, submitted: Record<string, unknown>, opts: FormCheckOptions = {}): void {
  const data = conditionData(form, submitted, opts.context);
  const allowed = new Set(opts.allowed ?? []);
  const visit = (node: ObjectNode, value: Record<string, unknown>, path: string[]) => {
    for (const [key, child] of node.children) {
      const at = [...path, key];
      const v = value[key];
      const hidden = child.hides.some((h) => evaluateHide(h, data) === true);
      if (hidden) {
        if (v !== undefined && !allowed.has(at.join('.')))
          invalid(at, '在当前选择下不适用（表单已隐藏该项）', 'is hidden by the form for this submission and not accepted', 422);
        continue;
      }
      if (child.kind === 'field') {
        checkField(child.component, v, at, opts.options);
      } else if (v === undefined || v === null) {
        if (hasRequired(child, data)) required(at);
        if (v === null) invalid(at, '须为对象', 'must be an object');
      } else {
        if (!isObject(v)) invalid(at, '须为对象', 'must be an object');
        visit(child, v, at);
      }
    }
    for (const key of Object.keys(value)) {
      const at = [...path, key];
      if (!node.children.has(key) && !allowed.has(at.join('.')))
        invalid(at, '不是该任务表单中的字段，不予接受', "is not a field of the task's form and is not accepted", 422);
    }
  };
  visit(formTree(form), submitted, []);
}

/** Whether the form has a field at `path` (dotted) that its conditions show for `data`. */
export function isShown(form: FormSchema, path: string, data: Record<string, unknown>): boolean {
  let node: Node | undefined = formTree(form);
  for (const key of path.split('.')) {
    if (node?.kind !== 'object') return false;
    node = node.children.get(key);
    if (!node || node.hides.some((h) => evaluateHide(h, data) === true)) return false;
  }
  return node !== undefined;
}
