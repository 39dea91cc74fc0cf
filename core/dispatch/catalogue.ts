/**
 * The dispatch catalogue (派单目录): the matter types the hotline knows, each with its lead unit, whether the
 * district/county of the address handles it, its category and the words citizens use for it. The catalogue is
 * policy, kept in bpmn/dispatch-catalogue.dmn (decision `dispatchCatalogue`, a COLLECT table of literal
 * strings the engine and the modeler read like any other table); this module reads it and scores a text
 * against it in-process, fast enough to run while the operator types.
 *
 * Matching is on Han characters only: spaces, letters, digits and punctuation are dropped from both the text
 * and the keywords, so raw text and jieba-segmented text (words joined by spaces) score alike. A keyword may
 * be a conjunction `电梯+困`: every part must occur within {@link NEAR} characters of the others, in any order.
 */
import { parseXmlTree, type XmlNode } from '../bpmn/tree';
import { CATEGORIES, type Category } from '../vocabulary';
import { classifier, train, type Classifier } from './model';

export interface CatalogueEntry {
  matter: string;
  unitId: string;
  regional: boolean;
  category: Category;
  keywords: string[];
  examples: string[];
}

export interface CatalogueUnit {
  id: string;
  name: string;
  level: number;
  kind: string;
  parentId: string | null;
}

export interface CatalogueHit {
  entry: CatalogueEntry;
  unitId: string;
  score: number;
  matched: string[];
}

export interface CatalogueScorer {
  /** The numbers and the fallback of the `dispatchTuning` decision the scorer was built with. */
  readonly tuning: DispatchTuning;
  /** hits sorted by score desc; regional matters resolve to the district/county unit named in the address (or in the text), else keep entry.unitId */
  score(text: string, address?: string): CatalogueHit[];
  /** the category for these hits + text and a Chinese reason, e.g. {category:'D', reason:'派单目录「…」命中“燃气泄漏”：紧急'}; D wins whenever an emergency matter is hit strongly; null category when nothing hits */
  category(hits: CatalogueHit[], text: string): { category: Category | null; reason: string };
}

/**
 * What the catalogue says of a text, as side features of the lead-unit model (`c:<unit>` and `c:m:<matter>`, each
 * hit's score × {@link CATALOGUE_FEATURE_SCALE}, the best per name): trained on them, the model learns from the
 * office's own decisions how much a hit on each unit and each matter means for each unit, rather than one fixed
 * weight for all. The matter's own unit, not the district of a regional hit: the address does not change what the
 * model reads. A catalogue edited after a training run only loses the names it renamed until the next run.
 */
export function catalogueFeatures(hits: readonly CatalogueHit[]): Map<string, number> {
  const features = new Map<string, number>();
  const put = (name: string, value: number) => features.set(name, Math.max(features.get(name) ?? 0, value));
  for (const h of hits) {
    put(`c:${h.entry.unitId}`, CATALOGUE_FEATURE_SCALE * h.score);
    put(`c:m:${h.entry.matter}`, CATALOGUE_FEATURE_SCALE * h.score);
  }
  return features;
}

/**
 * How much a hit's score (0–1) counts beside the text's TF-IDF features (L2-normalised): 0.25–0.5 alike, 1 and 2
 * lower, in repeated 4-fold cross-validation on the dev messages (docs/dispatch.md).
 */
export const CATALOGUE_FEATURE_SCALE = 0.5;

/** The decision the catalogue lives in. */
export const CATALOGUE_DECISION = 'dispatchCatalogue';

/** The outputs of every rule, in the table's order. */
const OUTPUTS = ['matter', 'unitId', 'regional', 'category', 'keywords', 'examples'] as const;

/**
 * A hit scoring at least this is strong: a caller may let it override a learned model, and a strong hit on an
 * emergency (D) matter makes the call D. The score is `1 − e^(−evidence/2.5)`; a keyword's evidence is 1 for
 * two characters, 1.5 for three, 2 for four or more (conjunctions count their parts' characters), shared by
 * the matters using the same keyword (divided by √matters), plus a little for repeats. So one specific
 * phrase of four characters or more (e.g. 燃气泄漏, 电梯+困) scores 0.55, two ordinary words of the matter 0.55
 * or more, a single two-character word 0.33: strong means a specific phrase, or two independent words. An
 * emergency (D) matter lists only words that name the emergency itself, so any one of them is strong for it.
 * The hit's score also counts half the evidence of the unit's other matters hit (a long letter names its
 * remit many ways); whether a call is D is judged on the matter's own words only.
 */
export const STRONG_HIT = 0.55;

/** How close (in Han characters, from the first part's start to the last part's end) the parts of `a+b` must be. */
export const NEAR = 20;

const HAN = /\p{Script=Han}/u;
const NOT_HAN = /[^\p{Script=Han}]+/gu;
/** Only Han characters: what the catalogue matches on. */
export const hanOnly = (s: string): string => s.replace(NOT_HAN, '');

const STRING = /^"((?:[^"\\]|\\.)*)"$/;

function fail(what: string): never {
  throw new Error(`派单目录（${CATALOGUE_DECISION}）格式不符：${what}`);
}

const child = (node: XmlNode, tag: string) => node.children.find((c) => c.tag === tag);
const splitList = (s: string, sep: RegExp) =>
  s
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);

/** The decision of the words that tell how a call speaks of an emergency (same file as the catalogue). */
export const CUES_DECISION = 'dispatchCues';

/**
 * How a call speaks of an emergency: `now` (happening now: never calm), `past` (an event that is over),
 * `settled` (money, paperwork, prevention), `asking` (asking how: calm unless the matched words are the
 * emergency itself, judged by `urgent`).
 */
export const CUE_KINDS = ['now', 'past', 'settled', 'asking', 'urgent'] as const;
export type Cues = Record<(typeof CUE_KINDS)[number], string[]>;

/** The cue words of the `dispatchCues` table (outputs `cue`, `words`); throws naming what is wrong. */
export function parseCues(dmnXml: string): Cues {
  const root = parseXmlTree(dmnXml);
  const decision = root.children.find((c) => c.tag === 'decision' && c.attrs.id === CUES_DECISION);
  if (!decision) fail(`文件中没有 id 为“${CUES_DECISION}”的决策`);
  const table = child(decision, 'decisionTable');
  if (!table) fail(`${CUES_DECISION} 不是决策表`);
  const outputs = table.children.filter((c) => c.tag === 'output').map((o) => o.attrs.name ?? '');
  if (outputs.join() !== 'cue,words') fail(`${CUES_DECISION} 的输出须为 cue、words`);
  const cues = Object.fromEntries(CUE_KINDS.map((k) => [k, [] as string[]])) as Cues;
  for (const rule of table.children.filter((c) => c.tag === 'rule')) {
    const [cue, words] = rule.children
      .filter((c) => c.tag === 'outputEntry')
      .map((v) => {
        const m = STRING.exec((child(v, 'text')?.text ?? '').trim());
        if (!m) fail(`${CUES_DECISION} 规则 ${rule.attrs.id ?? ''}：输出须为 FEEL 字符串（"…"）`);
        return JSON.parse(`"${m[1]}"`) as string;
      });
    if (!(CUE_KINDS as readonly string[]).includes(cue))
      fail(`${CUES_DECISION} 规则 ${rule.attrs.id ?? ''}：cue 须为 ${CUE_KINDS.join('、')} 之一，实为“${cue}”`);
    cues[cue as keyof Cues].push(
      ...splitList(words ?? '', /[、,，]/)
        .map(hanOnly)
        .filter(Boolean),
    );
  }
  return cues;
}

/** The decision of the numbers that weigh a suggestion and the category said when nothing points elsewhere (same file). */
export const TUNING_DECISION = 'dispatchTuning';

/** How a suggestion is weighed: policy, the `dispatchTuning` table (one rule, plain FEEL literals). */
export interface DispatchTuning {
  /** The category when no emergency or consultation matter is hit and no model says one. */
  fallbackCategory: Category;
  /** How much a catalogue hit's score adds to the model's probability of its unit. */
  catalogueWeight: number;
  /** A hit at least this strong is put first when the model's first choice is below `unsureModel`. */
  certainHit: number;
  unsureModel: number;
  /** The likeness to the emergency examples from which a call is D … */
  emergencyLikeness: number;
  /** … and from which a call that plainly names an ordinary matter is D all the same. */
  emergencyLikenessOrdinary: number;
}

/**
 * What a table leaves unsaid: the values shipped in bpmn/dispatch-catalogue.dmn, for a catalogue deployed before
 * the `dispatchTuning` decision existed (a rollback) or a table without some of its outputs. The catalogue weight
 * was chosen by 4-fold cross-validation on the dev messages (docs/dispatch.md); the likeness thresholds were
 * measured on phrasings written apart from the catalogue.
 */
export const DEFAULT_TUNING: Readonly<DispatchTuning> = {
  fallbackCategory: 'B',
  catalogueWeight: 0,
  certainHit: 0.95,
  unsureModel: 0.5,
  emergencyLikeness: 0.7,
  emergencyLikenessOrdinary: 0.9,
};

/** The numeric outputs and the range each must lie in. */
const TUNING_RANGES: Record<Exclude<keyof DispatchTuning, 'fallbackCategory'>, [number, number]> = {
  catalogueWeight: [0, 10],
  certainHit: [0, 1],
  unsureModel: [0, 1],
  emergencyLikeness: [0, 1],
  emergencyLikenessOrdinary: [0, 1],
};
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The `dispatchTuning` table's values (its first rule, as hit policy FIRST would give); an output the table does not
 * have, or a file without the decision, keeps {@link DEFAULT_TUNING}. Throws naming what is wrong.
 */
export function parseTuning(dmnXml: string): DispatchTuning {
  const root = parseXmlTree(dmnXml);
  const decision = root.children.find((c) => c.tag === 'decision' && c.attrs.id === TUNING_DECISION);
  if (!decision) return { ...DEFAULT_TUNING };
  const table = child(decision, 'decisionTable');
  if (!table) fail(`${TUNING_DECISION} 不是决策表`);
  const outputs = table.children.filter((c) => c.tag === 'output').map((o) => o.attrs.name ?? '');
  const unknown = outputs.filter((o) => !Object.hasOwn(DEFAULT_TUNING, o));
  if (unknown.length) fail(`${TUNING_DECISION} 的输出“${unknown.join('、')}”不认识（可有 ${Object.keys(DEFAULT_TUNING).join('、')}）`);
  const rule = table.children.find((c) => c.tag === 'rule');
  if (!rule) fail(`${TUNING_DECISION} 没有规则`);
  const where = `${TUNING_DECISION} 规则 ${rule.attrs.id ?? ''}`;
  const values = rule.children.filter((c) => c.tag === 'outputEntry').map((v) => (child(v, 'text')?.text ?? '').trim());
  if (values.length !== outputs.length) fail(`${where}：输出条目数 ${values.length} 与输出列数 ${outputs.length} 不符`);
  const tuning: DispatchTuning = { ...DEFAULT_TUNING };
  outputs.forEach((name, i) => {
    const text = values[i];
    if (name === 'fallbackCategory') {
      const category = STRING.exec(text)?.[1] ?? '';
      if (!(CATEGORIES as readonly string[]).includes(category))
        fail(`${where}：fallbackCategory 须为 ${CATEGORIES.map((c) => `"${c}"`).join('、')} 之一，实为“${text}”`);
      tuning.fallbackCategory = category as Category;
      return;
    }
    const [min, max] = TUNING_RANGES[name as keyof typeof TUNING_RANGES];
    const value = NUMBER.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) fail(`${where}：${name} 须为 ${min} 到 ${max} 之间的数，实为“${text}”`);
    tuning[name as keyof typeof TUNING_RANGES] = value;
  });
  return tuning;
}

/** The scorer of a catalogue file as deployed: its matters, its cue words and its tuning. */
export const catalogueScorer = (dmnXml: string, units: CatalogueUnit[]): CatalogueScorer =>
  createCatalogueScorer(parseCatalogue(dmnXml), units, parseCues(dmnXml), parseTuning(dmnXml));

/** The entries of the catalogue table; throws an Error naming what is wrong when the table is not a catalogue. */
export function parseCatalogue(dmnXml: string): CatalogueEntry[] {
  let root: XmlNode;
  try {
    root = parseXmlTree(dmnXml);
  } catch (e) {
    fail(`不是有效的 DMN 文件（${e instanceof Error ? e.message : String(e)}）`);
  }
  const decision = root.children.find((c) => c.tag === 'decision' && c.attrs.id === CATALOGUE_DECISION);
  if (!decision) fail(`文件中没有 id 为“${CATALOGUE_DECISION}”的决策`);
  const table = child(decision, 'decisionTable');
  if (!table) fail('决策不是决策表（decisionTable）');
  if (table.attrs.hitPolicy !== 'COLLECT' || table.attrs.aggregation) fail(`命中策略须为 COLLECT（无聚合），实为“${table.attrs.hitPolicy ?? 'UNIQUE'}”`);
  const inputs = table.children.filter((c) => c.tag === 'input');
  if (inputs.length !== 1) fail(`须恰有一个输入（content），实有 ${inputs.length} 个`);
  const outputs = table.children.filter((c) => c.tag === 'output').map((o) => o.attrs.name ?? '');
  const missing = OUTPUTS.filter((o) => !outputs.includes(o));
  if (missing.length) fail(`缺少输出列 ${missing.join('、')}（须有 ${OUTPUTS.join('、')}）`);
  const rules = table.children.filter((c) => c.tag === 'rule');
  if (rules.length === 0) fail('决策表没有规则');
  return rules.map((rule, n) => {
    const where = `规则 ${rule.attrs.id ?? n + 1}`;
    const inputEntries = rule.children.filter((c) => c.tag === 'inputEntry');
    if (inputEntries.length !== 1) fail(`${where}：须恰有一个输入条目`);
    const input = (child(inputEntries[0], 'text')?.text ?? '').trim();
    if (input !== '-' && input !== '') fail(`${where}：输入条目须为“-”，实为“${input}”`);
    const values = rule.children.filter((c) => c.tag === 'outputEntry');
    if (values.length !== outputs.length) fail(`${where}：输出条目数 ${values.length} 与输出列数 ${outputs.length} 不符`);
    const out: Record<string, string> = {};
    values.forEach((v, i) => {
      const text = (child(v, 'text')?.text ?? '').trim();
      const m = STRING.exec(text);
      if (!m) fail(`${where}：输出“${outputs[i]}”须为 FEEL 字符串（"…"），实为“${text}”`);
      out[outputs[i]] = JSON.parse(`"${m[1]}"`) as string;
    });
    if (!out.matter) fail(`${where}：事项（matter）为空`);
    if (!out.unitId) fail(`${where}：承办单位（unitId）为空`);
    if (out.regional !== 'true' && out.regional !== 'false') fail(`${where}：属地（regional）须为 "true" 或 "false"，实为“${out.regional}”`);
    if (!(CATEGORIES as readonly string[]).includes(out.category)) fail(`${where}：类别（category）须为 ${CATEGORIES.join('、')} 之一，实为“${out.category}”`);
    const keywords = splitList(out.keywords, /[、,，]/);
    if (keywords.length === 0 || keywords.some((k) => !HAN.test(k))) fail(`${where}：关键词（keywords）须为以“、”分隔的中文词`);
    return {
      matter: out.matter,
      unitId: out.unitId,
      regional: out.regional === 'true',
      category: out.category as Category,
      keywords,
      examples: splitList(out.examples, /[；;]/),
    };
  });
}

/** An Aho–Corasick automaton over Han strings: every occurrence of every pattern, in one pass. */
class Automaton {
  private readonly next: Map<string, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  private readonly out: number[][] = [[]];

  constructor(patterns: string[]) {
    patterns.forEach((p, id) => {
      let s = 0;
      for (const ch of p) {
        let t = this.next[s].get(ch);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.out.push([]);
          this.next[s].set(ch, t);
        }
        s = t;
      }
      this.out[s].push(id);
    });
    const queue: number[] = [...this.next[0].values()];
    for (let i = 0; i < queue.length; i++) {
      const s = queue[i];
      for (const [ch, t] of this.next[s]) {
        let f = this.fail[s];
        while (f !== 0 && !this.next[f].has(ch)) f = this.fail[f];
        const g = this.next[f].get(ch);
        this.fail[t] = g !== undefined && g !== t ? g : 0;
        this.out[t] = [...this.out[t], ...this.out[this.fail[t]]];
        queue.push(t);
      }
    }
  }

  /** Calls back with each pattern id and the index just past its end, for every occurrence in `text` (an array of characters). */
  scan(chars: string[], found: (id: number, end: number) => void): void {
    let s = 0;
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      while (s !== 0 && !this.next[s].has(ch)) s = this.fail[s];
      s = this.next[s].get(ch) ?? 0;
      for (const id of this.out[s]) found(id, i + 1);
    }
  }
}

/** The share of the evidence for a unit's other matters that counts for a matter. */
const SUPPORT = 0.5;
/** The evidence of one keyword of an emergency matter: enough for {@link STRONG_HIT} on its own. */
const EMERGENCY_WORD = -2.5 * Math.log(1 - STRONG_HIT) + 1e-9;
/** An emergency matter makes the call D only among the first hits: a long letter that mentions 毒气 in passing is not an emergency call. */
const EMERGENCY_RANK = 3;
const lengthWeight = (chars: number) => (chars >= 4 ? 2 : chars === 3 ? 1.5 : 1);
const confidence = (evidence: number) => 1 - Math.exp(-evidence / 2.5);

interface Keyword {
  /** As written in the table. */
  text: string;
  /** Indexes into the pattern list, one per part. */
  parts: number[];
  weight: number;
  entries: number[];
}

/** District/county units by the ways an address names them: full name, name without its 区/县/市, and their streets. */
function placeNames(units: CatalogueUnit[]): { full: Map<string, string>; short: Map<string, string> } {
  const full = new Map<string, string>();
  const short = new Map<string, string>();
  const districts = new Map(units.filter((u) => u.kind === 'district').map((u) => [u.id, u]));
  for (const u of districts.values()) {
    const name = hanOnly(u.name).replace(/(人民政府|管委会|管理委员会)$/, '');
    if (name.length >= 2) full.set(name, u.id);
    const bare = name.replace(/(区|县|市)$/, '');
    if (bare.length >= 2 && bare !== name) short.set(bare, u.id);
    if (name.endsWith('示范区') && name !== '示范区') short.set('示范区', u.id);
  }
  for (const u of units) {
    if (u.kind === 'district' || !u.parentId || !districts.has(u.parentId)) continue;
    const name = hanOnly(u.name).replace(/办事处$/, '');
    if (name.length >= 3) full.set(name, u.parentId);
    const bare = name.replace(/(街道|镇|乡)$/, '');
    if (bare.length >= 2 && bare !== name) short.set(bare, u.parentId);
  }
  return { full, short };
}

/**
 * A classifier of emergency against everything else, learned from the catalogue's own example phrasings (the
 * D matters' against the others'): what counts as an emergency stays policy, and an admin who adds a phrasing
 * to a D matter teaches it. Null when the catalogue has too few emergency examples to learn from.
 */
function emergencyClassifier(entries: CatalogueEntry[]): Classifier | null {
  const samples = entries.flatMap((e) => e.examples.map((text) => ({ text, label: e.category === 'D' ? 'D' : '-' })));
  if (samples.filter((s) => s.label === 'D').length < MIN_EMERGENCY_EXAMPLES) return null;
  return classifier(train(samples, { minDf: 1, epochs: 30 }));
}
const MIN_EMERGENCY_EXAMPLES = 20;
/** Too short a text (a greeting, a name) says too little to be judged by likeness. */
const MIN_LIKENESS_CHARS = 6;

export function createCatalogueScorer(entries: CatalogueEntry[], units: CatalogueUnit[], cues: Cues, tuning: DispatchTuning = DEFAULT_TUNING): CatalogueScorer {
  const emergencies = emergencyClassifier(entries);
  const patterns: string[] = [];
  const patternIndex = new Map<string, number>();
  const pattern = (p: string) => {
    let i = patternIndex.get(p);
    if (i === undefined) {
      i = patterns.length;
      patterns.push(p);
      patternIndex.set(p, i);
    }
    return i;
  };
  const keywords: Keyword[] = [];
  const keywordIndex = new Map<string, number>();
  entries.forEach((entry, e) => {
    for (const text of entry.keywords) {
      const parts = text.split('+').map(hanOnly).filter(Boolean);
      if (parts.length === 0) continue;
      const key = parts.join('+');
      let k = keywordIndex.get(key);
      if (k === undefined) {
        k = keywords.length;
        keywordIndex.set(key, k);
        keywords.push({ text, parts: parts.map(pattern), weight: lengthWeight(parts.join('').length), entries: [] });
      }
      if (!keywords[k].entries.includes(e)) keywords[k].entries.push(e);
    }
  });
  for (const k of keywords) k.weight /= Math.sqrt(k.entries.length);
  // For each pattern, the keywords it is a part of.
  const byPattern: number[][] = patterns.map(() => []);
  keywords.forEach((k, i) => new Set(k.parts).forEach((p) => byPattern[p].push(i)));
  const automaton = new Automaton(patterns);

  const places = placeNames(units);
  const placeAutomaton = new Automaton([...places.full.keys(), ...places.short.keys()]);
  const placeUnits = [...places.full.values(), ...places.short.values()];
  const fullCount = places.full.size;
  /** The district/county unit a text names; `short` also accepts names without 区/县/市 (for addresses). */
  const district = (text: string, short: boolean): string | null => {
    let best: { unit: string; len: number; at: number } | null = null;
    placeAutomaton.scan([...hanOnly(text)], (id, end) => {
      if (id >= fullCount && !short) return;
      const len = [...(id < fullCount ? [...places.full.keys()][id] : [...places.short.keys()][id - fullCount])].length;
      const at = end - len;
      // The earliest mention wins (an address runs from large to small); a longer name at the same place is preferred.
      if (!best || at < best.at || (at === best.at && len > best.len)) best = { unit: placeUnits[id], len, at };
    });
    return (best as { unit: string } | null)?.unit ?? null;
  };

  /** A hit's score from its own keywords only: an emergency is told by its own words, not by its unit's other matters. */
  const own = new WeakMap<CatalogueHit, number>();

  return {
    tuning,

    score(text, address) {
      const chars = [...hanOnly(text)];
      // Where each pattern occurs (start positions), for the patterns of conjunctions; counts for the others.
      const seen = new Map<number, number[]>();
      automaton.scan(chars, (id, end) => {
        const starts = seen.get(id);
        const start = end - [...patterns[id]].length;
        if (starts) starts.push(start);
        else seen.set(id, [start]);
      });
      const evidence = new Map<number, { sum: number; matched: string[] }>();
      const done = new Set<number>();
      for (const p of seen.keys()) {
        for (const k of byPattern[p]) {
          if (done.has(k)) continue;
          done.add(k);
          const kw = keywords[k];
          const count = occurrences(kw, seen, patterns);
          if (count === 0) continue;
          const plain = kw.weight * (1 + 0.25 * Math.min(count - 1, 4));
          for (const e of kw.entries) {
            // An emergency matter lists only words that name the emergency itself: any one of them is strong.
            const value = entries[e].category === 'D' ? Math.max(plain, EMERGENCY_WORD) : plain;
            const acc = evidence.get(e);
            if (acc) {
              acc.sum += value;
              acc.matched.push(kw.text);
            } else evidence.set(e, { sum: value, matched: [kw.text] });
          }
        }
      }
      if (evidence.size === 0) return [];
      let place: string | null | undefined;
      const where = () => (place === undefined ? (place = (address && district(address, true)) || district(text, false)) : place);
      // A matter is more likely when other matters of the same unit are hit too (a long letter names its remit many ways).
      const byUnit = new Map<string, number>();
      for (const [e, { sum }] of evidence) byUnit.set(entries[e].unitId, (byUnit.get(entries[e].unitId) ?? 0) + sum);
      const hits: CatalogueHit[] = [];
      for (const [e, { sum, matched }] of evidence) {
        const entry = entries[e];
        const support = SUPPORT * (byUnit.get(entry.unitId)! - sum);
        const hit = { entry, unitId: (entry.regional && where()) || entry.unitId, score: confidence(sum + support), matched };
        own.set(hit, confidence(sum));
        hits.push(hit);
      }
      return hits.sort((a, b) => b.score - a.score || b.matched.length - a.matched.length);
    },

    category(hits, text) {
      const emergency = hits.find((h, i) => h.entry.category === 'D' && i < EMERGENCY_RANK && (own.get(h) ?? h.score) >= STRONG_HIT && !calm(cues, text, h));
      if (emergency) return { category: 'D', reason: `派单目录「${emergency.entry.matter}」命中“${emergency.matched[0]}”：紧急` };
      // Worded unlike any keyword, yet like the emergency matters' example phrasings.
      const likeness = emergencies?.predict(text).find((p) => p.label === 'D')?.score ?? 0;
      // A call that plainly names an ordinary matter needs more likeness than one the keywords leave open.
      const ordinary = hits[0] && hits[0].entry.category !== 'D' && hits[0].score >= STRONG_HIT;
      if (
        likeness >= (ordinary ? tuning.emergencyLikenessOrdinary : tuning.emergencyLikeness) &&
        hanOnly(text).length >= MIN_LIKENESS_CHARS &&
        !calm(cues, text, null)
      ) {
        const nearest = hits.find((h) => h.entry.category === 'D');
        return {
          category: 'D',
          reason: `与派单目录紧急事项的例句相近（${Math.round(likeness * 100)}%）${nearest ? `，如「${nearest.entry.matter}」` : ''}：紧急`,
        };
      }
      if (hits.length === 0) return { category: null, reason: '派单目录无命中' };
      // A consultation (an A matter among the first hits) can be answered on the spot, whatever it is about.
      const consultation = hits.slice(0, EMERGENCY_RANK).find((h) => h.entry.category === 'A');
      if (consultation)
        return { category: 'A', reason: `派单目录「${consultation.entry.matter}」命中“${consultation.matched.join('、')}”：${CATEGORY_REASON.A}` };
      const top = hits.find((h) => h.entry.category !== 'D') ?? hits[0];
      const category = top.entry.category === 'D' ? 'C' : top.entry.category;
      const strength = top.score >= STRONG_HIT ? '' : '（弱命中）';
      return { category, reason: `派单目录「${top.entry.matter}」命中“${top.matched.join('、')}”${strength}：${CATEGORY_REASON[category]}` };
    },
  };
}

const CATEGORY_REASON: Record<Category, string> = { A: '咨询类，可即办', B: '一般诉求', C: '复杂诉求', D: '紧急' };

/**
 * Whether the text, though it names an emergency, is about something else: an old event, money, paperwork or
 * prevention, or asking how (unless the matched words are the emergency itself). Said to be happening now, it
 * never is. Such a call is not made D by the catalogue (the operator still can). The words: `dispatchCues`.
 */
function calm(cues: Cues, text: string, hit: CatalogueHit | null): boolean {
  const han = hanOnly(text);
  const has = (words: readonly string[], where: string) => words.some((c) => where.includes(c));
  if (has(cues.now, han)) return false;
  // Only what is said near the emergency's own words: a long call may mention last year's pothole before today's fire.
  const near = hit ? around(han, hit.matched) : han;
  if (has(cues.past, near) || has(cues.settled, near)) return true;
  return has(cues.asking, near) && !hit?.matched.some((m) => cues.urgent.some((u) => m.includes(u)));
}

/** How many Han characters before and after a matched word a cue still speaks of the same thing. */
const CUE_BEFORE = 20;
const CUE_AFTER = 15;

/** The stretches of the text around each occurrence of the matched words, apart (a cue never spans two). */
function around(han: string, matched: readonly string[]): string {
  const stretches: string[] = [];
  for (const part of matched.flatMap((m) => m.split('+')))
    for (let i = han.indexOf(part); i >= 0; i = han.indexOf(part, i + 1)) stretches.push(han.slice(Math.max(0, i - CUE_BEFORE), i + part.length + CUE_AFTER));
  return stretches.join('|');
}

/** How often a keyword occurs: a plain word each time, a conjunction each time a part starts with the others near. */
function occurrences(kw: Keyword, seen: Map<number, number[]>, patterns: string[]): number {
  if (kw.parts.length === 1) return seen.get(kw.parts[0])?.length ?? 0;
  const lists = kw.parts.map((p) => seen.get(p));
  if (lists.some((l) => !l)) return 0;
  const [first, ...rest] = lists as number[][];
  const lens = kw.parts.map((p) => [...patterns[p]].length);
  let count = 0;
  for (const s of first) {
    let lo = s;
    let hi = s + lens[0];
    let ok = true;
    for (let i = 0; i < rest.length; i++) {
      // The occurrence of this part nearest to the first part's.
      let best = -1;
      let dist = Infinity;
      for (const t of rest[i]) {
        const d = Math.abs(t - s);
        if (d < dist) {
          dist = d;
          best = t;
        }
      }
      lo = Math.min(lo, best);
      hi = Math.max(hi, best + lens[i + 1]);
      if (hi - lo > NEAR) {
        ok = false;
        break;
      }
    }
    if (ok) count++;
  }
  return count;
}
