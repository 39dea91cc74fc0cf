/**
 * Decision tables evaluated in-process, for the answers that must not wait for the engine (the category and
 * unit suggested at intake and while the operator types). Only what the shipped tables use is understood:
 * hit policy FIRST (or UNIQUE), inputs that name a variable, input entries `-` / empty (any),
 * `contains(?, "text")`, a string literal or a list of them, and literal outputs. A table using anything
 * else is refused when compiled, so it is never evaluated differently from the engine.
 */
import { parseXmlTree, type XmlNode } from '../bpmn/tree';

type Test = (value: unknown) => boolean;

export interface CompiledTable {
  key: string;
  evaluate(variables: Record<string, unknown>): Record<string, unknown> | null;
}

export class UnsupportedDecision extends Error {
  constructor(key: string, what: string) {
    super(`decision ${key}: ${what} is not evaluated in-process`);
    this.name = 'UnsupportedDecision';
  }
}

const STRING = /^"((?:[^"\\]|\\.)*)"$/;
const unquote = (s: string) => JSON.parse(`"${s}"`) as string;

function child(node: XmlNode, tag: string): XmlNode | undefined {
  return node.children.find((c) => c.tag === tag);
}

function inputTest(key: string, text: string): Test {
  const t = text.trim();
  if (t === '' || t === '-') return () => true;
  const contains = /^contains\(\s*\?\s*,\s*("(?:[^"\\]|\\.)*")\s*\)$/.exec(t);
  if (contains) {
    const needle = unquote(contains[1].slice(1, -1));
    return (v) => typeof v === 'string' && v.includes(needle);
  }
  const literals = t.split(',').map((s) => STRING.exec(s.trim()));
  if (literals.every((m) => m !== null)) {
    const values = new Set(literals.map((m) => unquote(m![1])));
    return (v) => typeof v === 'string' && values.has(v);
  }
  throw new UnsupportedDecision(key, `input entry ${JSON.stringify(t)}`);
}

function outputValue(key: string, text: string): unknown {
  const t = text.trim();
  const s = STRING.exec(t);
  if (s) return unquote(s[1]);
  if (t === 'null' || t === '') return null;
  if (t === 'true' || t === 'false') return t === 'true';
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  throw new UnsupportedDecision(key, `output entry ${JSON.stringify(t)}`);
}

/** Compiles decision `key` of a DMN file. */
export function compileDecisionTable(xml: string, key: string): CompiledTable {
  const decision = parseXmlTree(xml).children.find((c) => c.tag === 'decision' && c.attrs.id === key);
  if (!decision) throw new UnsupportedDecision(key, 'a file without this decision');
  const table = child(decision, 'decisionTable');
  if (!table) throw new UnsupportedDecision(key, 'a decision that is not a table');
  const hitPolicy = table.attrs.hitPolicy ?? 'UNIQUE';
  if (hitPolicy !== 'FIRST' && hitPolicy !== 'UNIQUE') throw new UnsupportedDecision(key, `hit policy ${hitPolicy}`);
  const inputs = table.children
    .filter((c) => c.tag === 'input')
    .map((input) => {
      const name = child(child(input, 'inputExpression') ?? input, 'text')?.text.trim() ?? '';
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UnsupportedDecision(key, `input expression ${JSON.stringify(name)}`);
      return name;
    });
  const outputs = table.children.filter((c) => c.tag === 'output').map((o) => o.attrs.name ?? '');
  const rules = table.children
    .filter((c) => c.tag === 'rule')
    .map((rule) => {
      const entries = rule.children.filter((c) => c.tag === 'inputEntry').map((e) => inputTest(key, child(e, 'text')?.text ?? ''));
      const values = rule.children.filter((c) => c.tag === 'outputEntry').map((e) => outputValue(key, child(e, 'text')?.text ?? ''));
      if (entries.length !== inputs.length || values.length !== outputs.length)
        throw new UnsupportedDecision(key, `rule ${rule.attrs.id} with missing entries`);
      return { entries, values };
    });
  return {
    key,
    evaluate(variables) {
      const hit = rules.find((r) => r.entries.every((test, i) => test(variables[inputs[i]])));
      return hit ? Object.fromEntries(outputs.map((name, i) => [name, hit.values[i]])) : null;
    },
  };
}
