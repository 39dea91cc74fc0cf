/**
 * An XML file as a tree of elements: local tag (namespace prefixes removed), attributes, own text, children.
 * Entities are never processed, and a file declaring any (or a DOCTYPE) is refused.
 */
import { XMLParser } from 'fast-xml-parser';

export interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

/** Deepest element nesting the parser reads (its own default, named): it throws on a deeper file, so the walks below stay shallow. */
export const MAX_XML_DEPTH = 100;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: ':@',
  removeNSPrefix: true,
  processEntities: false,
  allowBooleanAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  preserveOrder: true,
  maxNestedTags: MAX_XML_DEPTH,
});

type Ordered = Record<string, unknown> & { ':@'?: Record<string, unknown> };

function toNodes(list: unknown): XmlNode[] {
  if (!Array.isArray(list)) return [];
  const out: XmlNode[] = [];
  for (const item of list as Ordered[]) {
    const tag = Object.keys(item).find((k) => k !== ':@');
    if (!tag || tag === '#text' || tag.startsWith('?')) continue;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(item[':@'] ?? {})) attrs[k] = String(v);
    const kids = item[tag] as Ordered[];
    const text = Array.isArray(kids) ? kids.filter((k) => '#text' in k).map((k) => String(k['#text'])).join('').trim() : '';
    out.push({ tag, attrs, text, children: toNodes(kids) });
  }
  return out;
}

/** The top-level elements of an XML text; the caller refuses DTDs and entities before (see parseXmlTree). */
export function parseXmlNodes(xml: string): XmlNode[] {
  return toNodes(parser.parse(xml));
}

export function parseXmlTree(xml: string): XmlNode {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('XML with DOCTYPE or ENTITY declarations is not compared');
  const root = parseXmlNodes(xml).find((n) => n.tag === 'definitions');
  if (!root) throw new Error('root element must be definitions');
  return root;
}

/** BPMN activities that hold other activities. */
export const CONTAINERS = new Set(['subProcess', 'transaction', 'adHocSubProcess']);

/** Every descendant with its nearest enclosing sub-processes (innermost last). */
export function* withContainers(node: XmlNode, containers: string[] = []): Generator<{ node: XmlNode; containers: string[] }> {
  for (const c of node.children) {
    yield { node: c, containers };
    yield* withContainers(c, CONTAINERS.has(c.tag) && c.attrs.id ? [...containers, c.attrs.id] : containers);
  }
}
