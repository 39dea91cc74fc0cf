/**
 * Dispatch suggestions (R2.1, R4): the lead unit and the category of a call, from the 派单目录 (decision
 * table dispatchCatalogue, the policy the office edits) and the model learned from closed work orders (the
 * newest done version in dispatch_models). The intake screen, intake itself, the 分类交办 form and the process's
 * `case-suggest` worker (for a case intake recorded no unit for) all ask this one module, in-process: nothing waits
 * for the engine.
 *
 * - No model yet: the catalogue alone (cold start).
 * - With a model: its ranking, except that a strong catalogue hit on another unit wins and says so.
 * - Category: an emergency matter hit in the catalogue is D whatever the model says; otherwise the model's
 *   category when it has one, else the catalogue's, else the fallback of the decision dispatchTuning (B).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { UnitEntity } from '../db/entities';
import type { EngineClient } from '../engine/client';
import type { IntakeSuggestion } from '../cases/repository';
import { CATEGORY, type Category } from '../vocabulary';
import { catalogueFeatures, catalogueScorer, DEFAULT_TUNING, STRONG_HIT, type CatalogueHit, type CatalogueScorer } from './catalogue';
import { classifier, type Classifier } from './model';
import type { ModelStore } from './store';
import type { CatalogueSource } from './training';
import type { Candidate, DispatchSuggestion } from './suggestion';

export type { Candidate, DispatchSuggestion };

export const CATALOGUE_DECISION = 'dispatchCatalogue';
export const CATALOGUE_FILE = 'dispatch-catalogue.dmn';

export interface DispatchSuggester {
  /** With `recorded` (a registered case's suggestion, as its 分类交办 form proposes it): that one, see {@link suggestFrom}. */
  suggest(input: { content: string; address?: string; recorded?: IntakeSuggestion }): Promise<DispatchSuggestion>;
  /** Reads the latest deployed catalogue and the units again. */
  refresh(): Promise<void>;
  /** Loads the newest done model now (after a training run, and before answering GET /api/dispatch-model). */
  refreshModel(): Promise<number | null>;
  /** The catalogue file in force and the units, for a training run to read calls as suggestions read them; null when none is readable. */
  catalogueInForce(): Promise<CatalogueSource | null>;
  /** The model version in use, null before the first training. */
  readonly modelVersion: number | null;
}

export interface LoadedModel {
  version: number;
  unit: Classifier;
  category: Classifier | null;
}

/**
 * How often a running server or workers process looks the newest model version up (one indexed query), on a timer
 * beside the suggestion path, so no suggestion waits for the database.
 */
export const MODEL_CHECK_MS = 1000;
/** A suggestion waits for the lookup only when none is this recent: the first one, or a suggester no timer checks for. */
const MODEL_STALE_MS = 5 * MODEL_CHECK_MS;

export interface SuggesterDeps {
  ds: DataSource;
  engine: EngineClient;
  models: ModelStore;
  bpmnDir: string;
  log?: (msg: string) => void;
}

/** What a suggestion is made from: the units, the catalogue in force and the model in use. */
export interface SuggestionSources {
  units: ReadonlyMap<string, { name: string; level: number }>;
  catalogue: CatalogueScorer | null;
  model: LoadedModel | null;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const describeHit = (h: CatalogueHit) => `派单目录「${h.entry.matter}」命中“${h.matched.slice(0, 3).join('、')}”`;

function rank({ units, catalogue, model }: SuggestionSources, content: string, hits: CatalogueHit[]): { candidates: Candidate[]; source: string | null } {
  const unitName = (id: string) => units.get(id)?.name ?? id;
  // A lead unit is of level 2 or 3 (R1.4): the office answers consultations itself but is never dispatched to.
  const dispatchable = (id: string) => (units.get(id)?.level ?? 0) >= 2;
  const bestHit = new Map<string, CatalogueHit>();
  for (const h of hits) if (!bestHit.has(h.unitId) && dispatchable(h.unitId)) bestHit.set(h.unitId, h);
  if (!model) {
    const best = hits[0]?.score || 1;
    const candidates = [...bestHit.values()].map((h) => ({
      unitId: h.unitId,
      unitName: unitName(h.unitId),
      score: round(h.score / best),
      reason: describeHit(h),
    }));
    return { candidates, source: candidates.length ? 'catalogue' : null };
  }
  // The model's probability plus the catalogue's evidence for the same unit: policy the office wrote and
  // history it made, weighed together (weights: the decision dispatchTuning, docs/dispatch.md).
  const { catalogueWeight, certainHit, unsureModel } = catalogue?.tuning ?? DEFAULT_TUNING;
  // A model trained with the catalogue's hits as features reads them here too (an older model ignores them).
  const probability = new Map(model.unit.predict(content, catalogue ? catalogueFeatures(hits) : undefined).map((p) => [p.label, p.score]));
  const ids = new Set([...probability.keys(), ...bestHit.keys()].filter(dispatchable));
  const mixed = [...ids]
    .map((id) => ({
      id,
      p: probability.get(id) ?? 0,
      hit: bestHit.get(id),
      score: (probability.get(id) ?? 0) + catalogueWeight * (bestHit.get(id)?.score ?? 0),
    }))
    .sort((a, b) => b.score - a.score);
  const [modelFirst, modelTop = 0] = [...probability].sort((a, b) => b[1] - a[1])[0] ?? [];
  // A strong hit wins outright: an emergency matter, or a near-certain hit where the model is unsure.
  const top = hits[0];
  if (top && dispatchable(top.unitId) && top.score >= STRONG_HIT && (top.entry.category === 'D' || (top.score >= certainHit && modelTop < unsureModel))) {
    const i = mixed.findIndex((m) => m.id === top.unitId);
    const [first] = mixed.splice(i, 1);
    mixed.unshift({ ...first, hit: top, score: Math.max(first.score, (mixed[0]?.score ?? 0) + 0.001) });
  }
  const total = mixed.reduce((sum, m) => sum + m.score, 0) || 1;
  const overridden = mixed[0] && mixed[0].id !== modelFirst && mixed[0].hit;
  const candidates = mixed.map((m, i) => ({
    unitId: m.id,
    unitName: unitName(m.id),
    score: round(m.score / total),
    reason:
      i === 0 && overridden
        ? `${describeHit(m.hit!)}，优先于派单模型 v${model.version} 的首选`
        : `派单模型 v${model.version}：同类已办结工单由该单位办理（概率 ${Math.round(m.p * 100)}%）${m.hit ? `；${describeHit(m.hit)}` : ''}`,
  }));
  return { candidates, source: candidates.length ? `model:${model.version}${overridden ? '+catalogue' : ''}` : null };
}

function categorise({ catalogue, model }: SuggestionSources, content: string, hits: CatalogueHit[]): { category: Category; reason: string } {
  const fromCatalogue = catalogue?.category(hits, content) ?? { category: null, reason: '' };
  if (fromCatalogue.category === 'D') return { category: 'D', reason: fromCatalogue.reason };
  const predicted = model?.category?.predict(content)[0];
  if (model && predicted && predicted.label in CATEGORY) {
    return { category: predicted.label as Category, reason: `派单模型 v${model.version}：同类已办结工单多为 ${CATEGORY[predicted.label as Category]}` };
  }
  if (fromCatalogue.category) return { category: fromCatalogue.category, reason: fromCatalogue.reason };
  const { fallbackCategory } = catalogue?.tuning ?? DEFAULT_TUNING;
  return { category: fallbackCategory, reason: `未命中派单目录的紧急或即办事项，按 ${CATEGORY[fallbackCategory]}` };
}

/** What a recorded source (`model:3`, `catalogue`, `model:3+catalogue`) says in a reason. */
function describeSource(source: string | null): string {
  const model = /^model:(\d+)/.exec(source ?? '')?.[1];
  if (!model) return source === 'catalogue' ? '派单目录' : '未记来源';
  return source!.endsWith('+catalogue') ? `派单目录优先于派单模型 v${model}` : `派单模型 v${model}`;
}

/**
 * A registered case's recorded suggestion said as it is (what its 分类交办 form proposes and 建议采纳率 compares
 * with), with the candidates of today's sources after it: its unit first, whatever ranks first now.
 */
function keepRecorded(
  recorded: IntakeSuggestion,
  now: { candidates: Candidate[]; source: string | null; category: Category; reason: string },
  unitName: (id: string) => string,
): { candidates: Candidate[]; source: string | null; category: Category; reason: string } {
  const category = recorded.category ?? now.category;
  const reason = category === now.category ? now.reason : `受理时的分类建议（${describeSource(recorded.source)}）`;
  if (!recorded.unitId) return { ...now, category, reason };
  const at = now.candidates.findIndex((c) => c.unitId === recorded.unitId);
  const first: Candidate =
    at === 0
      ? now.candidates[0]
      : {
          unitId: recorded.unitId,
          unitName: unitName(recorded.unitId),
          score: at > 0 ? now.candidates[at].score : 0,
          reason: `受理时的建议（${describeSource(recorded.source)}）${at > 0 ? `；${now.candidates[at].reason}` : ''}`,
        };
  return { candidates: [first, ...now.candidates.filter((c) => c.unitId !== recorded.unitId)], source: recorded.source, category, reason };
}

/**
 * The suggestion for one call: pure, so the service and `npm run eval:routing` answer alike. With `recorded`, the
 * suggestion of a registered case: its recorded category and unit, the unit first among the candidates.
 */
export function suggestFrom(sources: SuggestionSources, content: string, address = '', recorded?: IntakeSuggestion): DispatchSuggestion {
  const hits = sources.catalogue?.score(content, address) ?? [];
  const now = { ...rank(sources, content, hits), ...categorise(sources, content, hits) };
  const { candidates, source, category, reason } = recorded ? keepRecorded(recorded, now, (id) => sources.units.get(id)?.name ?? id) : now;
  const top = candidates[0];
  return { category, categoryReason: reason, unitId: top?.unitId ?? null, unitName: top?.unitName ?? null, candidates: candidates.slice(0, 3), source };
}

export function createDispatchSuggester({ ds, engine, models, bpmnDir, log = () => undefined }: SuggesterDeps): DispatchSuggester {
  let units = new Map<string, { id: string; name: string; level: number; kind: string; parentId: string | null }>();
  let catalogue: { definitionId: string | null; scorer: CatalogueScorer | null } = { definitionId: null, scorer: null };
  let model: LoadedModel | null = null;
  let checkedAt = 0;
  let loading: Promise<number | null> | null = null;

  let catalogueXml: string | null = null;
  try {
    catalogueXml = readFileSync(path.join(bpmnDir, CATALOGUE_FILE), 'utf8');
  } catch (e) {
    log(`suggestions: bpmn/${CATALOGUE_FILE} not readable: ${String(e)}`);
  }
  // Building a scorer compiles the keywords and learns the emergency examples: done when the units or the
  // deployed catalogue change, not at every periodic refresh.
  const build = (xml: string) => catalogueScorer(xml, [...units.values()]);
  let unitsKey = '';

  /** Reads the units; rebuilds the scorer when they changed. */
  async function loadUnits(): Promise<void> {
    const rows = await ds.getRepository(UnitEntity).find({ order: { id: 'ASC' } });
    const key = JSON.stringify(rows.map((u) => [u.id, u.name, u.level, u.kind, u.parentId]));
    if (key === unitsKey) return;
    unitsKey = key;
    units = new Map(rows.map((u) => [u.id, { id: u.id, name: u.name, level: u.level, kind: u.kind, parentId: u.parentId }]));
    if (catalogueXml) catalogue = { definitionId: catalogue.definitionId, scorer: build(catalogueXml) };
  }
  let unitsLoaded: Promise<void> | null = null;
  /** The units, loaded once before the first use (one load however many ask at once). */
  const unitsReady = async () => {
    if (units.size === 0) await (unitsLoaded ??= loadUnits().finally(() => (unitsLoaded = null)));
  };

  function refreshModel(): Promise<number | null> {
    loading ??= (async () => {
      try {
        checkedAt = Date.now();
        const newest = await models.newestDoneVersion();
        if (newest === null) model = null;
        else if (newest !== model?.version) {
          const data = await models.load(newest);
          model = { version: newest, unit: classifier(data.unit), category: data.category && classifier(data.category) };
          log(`suggestions: dispatch model v${newest} loaded`);
        }
        return model?.version ?? null;
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  const suggester: DispatchSuggester = {
    get modelVersion() {
      return model?.version ?? null;
    },

    async suggest({ content, address, recorded }) {
      await unitsReady();
      if (Date.now() - checkedAt > MODEL_STALE_MS) await refreshModel().catch((e: unknown) => log(`suggestions: model not refreshed: ${String(e)}`));
      return suggestFrom({ units, catalogue: catalogue.scorer, model }, content, address, recorded);
    },

    async refresh() {
      await loadUnits();
      const d = (await engine.latestDefinitions('decision')).find((x) => x.key === CATALOGUE_DECISION);
      if (!d || d.id === catalogue.definitionId) return;
      const xml = await engine.definitionXml('decision', d.id);
      try {
        catalogue = { definitionId: d.id, scorer: build(xml) };
        catalogueXml = xml;
      } catch (e) {
        // A deployed catalogue this code does not understand keeps the one in use, and says so.
        log(`suggestions: ${CATALOGUE_DECISION} (${d.id}) not usable: ${String(e)}`);
      }
    },

    refreshModel,

    async catalogueInForce() {
      await unitsReady();
      return catalogueXml && catalogue.scorer ? { xml: catalogueXml, units: [...units.values()] } : null;
    },
  };
  return suggester;
}
