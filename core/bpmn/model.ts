/**
 * A flat reading of BPMN/DMN files: every element with an id, its tag and attributes (namespace
 * prefixes removed). Enough to check diagrams against the code (topics ↔ workers) and the rules
 * (rule ids ↔ element ids) without a full BPMN model. External entities are never resolved.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface DiagramElement {
  file: string;
  tag: string;
  id: string;
  attrs: Record<string, string>;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', removeNSPrefix: true, processEntities: false, allowBooleanAttributes: true });

function walk(node: unknown, tag: string, file: string, out: DiagramElement[]): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, tag, file, out);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') attrs[k] = String(v);
    else walk(v, k, file, out);
  }
  if (attrs.id) out.push({ file, tag, id: attrs.id, attrs });
}

export function parseDiagram(xml: string, file: string): DiagramElement[] {
  const out: DiagramElement[] = [];
  walk(parser.parse(xml), '', file, out);
  return out;
}

export function readDiagrams(dir: string): DiagramElement[] {
  return readdirSync(dir)
    .filter((f) => /\.(bpmn|dmn)$/.test(f))
    .sort()
    .flatMap((f) => parseDiagram(readFileSync(path.join(dir, f), 'utf8'), f));
}

/** External-task topics used by the diagrams, with the elements that use them. */
export function externalTopics(elements: DiagramElement[]): Map<string, string[]> {
  const topics = new Map<string, string[]>();
  for (const e of elements) {
    if (e.attrs.type !== 'external' || !e.attrs.topic) continue;
    topics.set(e.attrs.topic, [...(topics.get(e.attrs.topic) ?? []), `${e.file}#${e.id}`]);
  }
  return topics;
}
