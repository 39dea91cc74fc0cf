/**
 * What changed between two versions of a diagram or decision table, for the modeler's 版本对比.
 * Every element with an id is compared by id; what it holds without an id of its own (a timer's timeDate,
 * a condition, an input parameter, an event definition) counts as one of its properties. The diagram's
 * layout (BPMNDI/DMNDI) and the incoming/outgoing back references are left out. DMN rules are compared
 * as rows: their input and output entries by column. Pure functions; XML is read without entities.
 */
import { parseXmlTree, type XmlNode as Node } from './tree';

export interface Change {
  /** The property, e.g. `candidateGroups`, `timeDate`, `inputParameter[status]`, or a DMN column label. */
  attribute: string;
  before: string | null;
  after: string | null;
}

export interface ElementChange {
  id: string;
  /** The element's local tag (`userTask`, `timerEventDefinition` is folded into its event); `rule` for DMN rows. */
  type: string;
  name: string | null;
  changes: Change[];
}

/** A DMN rule row: its entries in column order. */
export interface RuleRow {
  inputs: string[];
  outputs: string[];
  description: string | null;
}

export interface RuleChange extends ElementChange {
  before: RuleRow | null;
  after: RuleRow | null;
}

export interface DefinitionDiff {
  added: ElementChange[];
  removed: ElementChange[];
  changed: ElementChange[];
}

/** Layout and back references: not part of what a version means. */
const SKIPPED = new Set(['BPMNDiagram', 'DMNDI', 'incoming', 'outgoing']);
/** Children with an id that read as a property of their parent rather than as elements of their own. */
const FOLDED = /EventDefinition$|^(inputExpression|inputValues|outputValues|inputEntry|outputEntry)$/;
/** Wrappers left out of property names: `extensionElements.inputOutput.inputParameter[x]` reads `inputParameter[x]`. */
const WRAPPERS = /^(extensionElements|inputOutput)$|EventDefinition$/;

/** Attribute values equal to the standard's default: editors may write them or leave them out (dmn-js drops UNIQUE). */
const DEFAULTS: Record<string, string> = { hitPolicy: 'UNIQUE', cancelActivity: 'true', isInterrupting: 'true', triggeredByEvent: 'false', isForCompensation: 'false', parallelMultiple: 'false' };
const meaningful = (k: string, v: string) => k !== 'id' && !k.startsWith('xmlns') && DEFAULTS[k] !== v;

/** Collects the elements with an id and, for each, its properties as flat name → value pairs. */
function collect(root: Node): Map<string, { node: Node; props: Map<string, string> }> {
  const out = new Map<string, { node: Node; props: Map<string, string> }>();
  const own = (node: Node, props: Map<string, string>, prefix: string) => {
    const counts = new Map<string, number>();
    for (const c of node.children) {
      if (SKIPPED.has(c.tag)) continue;
      if (c.attrs.id && !FOLDED.test(c.tag)) {
        element(c);
        continue;
      }
      const n = (counts.get(c.tag) ?? 0) + 1;
      counts.set(c.tag, n);
      const label = c.attrs.name ? `${c.tag}[${c.attrs.name}]` : n > 1 ? `${c.tag}[${n}]` : c.tag;
      const name = WRAPPERS.test(c.tag) ? prefix : `${prefix}${label}`;
      // xsi:type (read as `type`) and the name already in the label say nothing new
      for (const [k, v] of Object.entries(c.attrs)) if (!['id', 'type', 'name'].includes(k) && !k.startsWith('xmlns')) props.set(`${name || c.tag}.${k}`, v);
      if (c.text) props.set(name || c.tag, c.text);
      own(c, props, name ? `${name}.` : '');
    }
  };
  const element = (node: Node) => {
    const props = new Map<string, string>();
    for (const [k, v] of Object.entries(node.attrs)) if (meaningful(k, v)) props.set(k, v);
    if (node.text) props.set('text', node.text);
    out.set(node.attrs.id, { node, props });
    own(node, props, '');
  };
  own(root, new Map(), '');
  return out;
}

function propertyChanges(before: Map<string, string>, after: Map<string, string>): Change[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  return keys.filter((k) => before.get(k) !== after.get(k)).map((k) => ({ attribute: k, before: before.get(k) ?? null, after: after.get(k) ?? null }));
}

const nameOf = (n: Node) => n.attrs.name ?? n.attrs.label ?? null;

/** Elements added, removed and changed between two BPMN (or DMN) files, in document order. */
export function diffElements(fromXml: string, toXml: string, skip: (node: Node) => boolean = () => false): DefinitionDiff {
  const before = collect(parseXmlTree(fromXml));
  const after = collect(parseXmlTree(toXml));
  const brief = (id: string, node: Node): ElementChange => ({ id, type: node.tag, name: nameOf(node), changes: [] });
  const result: DefinitionDiff = { added: [], removed: [], changed: [] };
  for (const [id, a] of after) {
    if (skip(a.node)) continue;
    const b = before.get(id);
    if (!b) result.added.push(brief(id, a.node));
    else {
      const changes = propertyChanges(b.props, a.props);
      if (changes.length > 0) result.changed.push({ ...brief(id, a.node), changes });
    }
  }
  for (const [id, b] of before) if (!skip(b.node) && !after.has(id)) result.removed.push(brief(id, b.node));
  return result;
}

export const diffBpmn = (fromXml: string, toXml: string): DefinitionDiff => diffElements(fromXml, toXml);

interface Table {
  inputs: string[];
  outputs: string[];
  rules: Map<string, RuleRow>;
}

function table(root: Node, decisionId: string): Table {
  const decision = root.children.find((c) => c.tag === 'decision' && c.attrs.id === decisionId);
  const dt = decision?.children.find((c) => c.tag === 'decisionTable');
  const label = (c: Node) => c.attrs.label ?? c.attrs.name ?? c.attrs.id ?? '';
  const text = (c: Node) => c.children.find((t) => t.tag === 'text')?.text ?? '';
  const rules = new Map<string, RuleRow>();
  for (const r of dt?.children.filter((c) => c.tag === 'rule') ?? []) {
    rules.set(r.attrs.id, {
      inputs: r.children.filter((c) => c.tag === 'inputEntry').map(text),
      outputs: r.children.filter((c) => c.tag === 'outputEntry').map(text),
      description: r.children.find((c) => c.tag === 'description')?.text ?? null,
    });
  }
  return {
    inputs: dt?.children.filter((c) => c.tag === 'input').map(label) ?? [],
    outputs: dt?.children.filter((c) => c.tag === 'output').map(label) ?? [],
    rules,
  };
}

/**
 * The rules of one decision added, removed and changed (each with its row before and after and the
 * cells that differ, named by column label), then the other elements of the file that changed.
 */
export function diffDmn(fromXml: string, toXml: string, decisionId: string): DefinitionDiff {
  const before = table(parseXmlTree(fromXml), decisionId);
  const after = table(parseXmlTree(toXml), decisionId);
  const row = (id: string, b: RuleRow | null, a: RuleRow | null, changes: Change[]): RuleChange => ({ id, type: 'rule', name: (a ?? b)?.description ?? null, before: b, after: a, changes });
  const result: DefinitionDiff = { added: [], removed: [], changed: [] };
  for (const [id, a] of after.rules) {
    const b = before.rules.get(id);
    if (!b) {
      result.added.push(row(id, null, a, []));
      continue;
    }
    const cells = (cols: string[], x: string[], y: string[], fallback: string) =>
      Array.from({ length: Math.max(x.length, y.length) }, (_, i) => ({ attribute: cols[i] ?? `${fallback}${i + 1}`, before: x[i] ?? null, after: y[i] ?? null })).filter((c) => c.before !== c.after);
    const changes = [
      ...cells(after.inputs, b.inputs, a.inputs, '输入'),
      ...cells(after.outputs, b.outputs, a.outputs, '输出'),
      ...(b.description !== a.description ? [{ attribute: '说明', before: b.description, after: a.description }] : []),
    ];
    if (changes.length > 0) result.changed.push(row(id, b, a, changes));
  }
  for (const [id, b] of before.rules) if (!after.rules.has(id)) result.removed.push(row(id, b, null, []));
  const others = diffElements(fromXml, toXml, (n) => n.tag === 'rule');
  return { added: [...result.added, ...others.added], removed: [...result.removed, ...others.removed], changed: [...result.changed, ...others.changed] };
}
