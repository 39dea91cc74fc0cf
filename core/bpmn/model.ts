/**
 * A flat reading of BPMN/DMN files: every element with an id, its tag and attributes (namespace
 * prefixes removed). Enough to check diagrams against the code (topics ↔ workers) and the rules
 * (rule ids ↔ element ids). Built on the tree of ./tree, which never resolves entities.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseXmlTree, type XmlNode } from './tree';

export interface DiagramElement {
  file: string;
  tag: string;
  id: string;
  attrs: Record<string, string>;
}

function* flatten(node: XmlNode): Generator<XmlNode> {
  yield node;
  for (const c of node.children) yield* flatten(c);
}

export function parseDiagram(xml: string, file: string): DiagramElement[] {
  return [...flatten(parseXmlTree(xml))].filter((n) => n.attrs.id).map((n) => ({ file, tag: n.tag, id: n.attrs.id, attrs: n.attrs }));
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
