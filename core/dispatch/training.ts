/**
 * One training run over closed history: a held-back slice (every tenth sample, at most 1,000) measures the
 * model, then the model is trained again on everything, so the held-back messages teach it too. Runs in a
 * child process (trainInChild), so the process that trains keeps serving its other topics meanwhile.
 */
import { fork } from 'node:child_process';
import { catalogueFeatures, catalogueScorer, type CatalogueScorer, type CatalogueUnit } from './catalogue';
import { classifier, train, type Sample, type TrainOptions } from './model';
import type { TrainingResult, TrainingSamples } from './store';

/**
 * The lead-unit model counts a feature's occurrences as they are (a long letter that names its matter again and
 * again says so): better than 1 + log in 4-fold cross-validation on the dev messages and on the raw messages
 * (docs/dispatch.md), and averages three runs of 10 epochs in different orders: in two repeated 4-fold
 * cross-validations three runs of 20 were +0.5 points over one run of 20, and three of 10 as good as three of 20
 * (−0.1) in two thirds of the time (5,000 real messages: 43 s rather than 68 s for the whole run). The category
 * model keeps the defaults, unmeasured here.
 */
export const UNIT_MODEL: TrainOptions = { sublinearTf: false, runs: 3, epochs: 10 };

/** The catalogue in force as a training run reads it: the deployed file and the units (what the suggester builds its scorer from). */
export interface CatalogueSource {
  xml: string;
  units: CatalogueUnit[];
}

/**
 * The samples with what the catalogue says of each (catalogueFeatures): the lead-unit model learns, per unit, how much
 * each unit's and each matter's hit means, as the suggester asks it with the same features (docs/dispatch.md).
 */
export function withCatalogue(samples: Sample[], catalogue: CatalogueScorer | null): Sample[] {
  return catalogue ? samples.map((s) => ({ ...s, side: catalogueFeatures(catalogue.score(s.text)) })) : samples;
}

/** Fewer samples than this (or a single class) trains no category model. */
const MIN_CATEGORY_SAMPLES = 50;

function split(samples: Sample[]): { fit: Sample[]; held: Sample[] } {
  const every = Math.max(10, Math.ceil(samples.length / 1000));
  const fit: Sample[] = [];
  const held: Sample[] = [];
  samples.forEach((s, i) => (i % every === every - 1 ? held : fit).push(s));
  return { fit, held };
}

type Featurised = Map<string, Map<string, number>>;

function measure(fit: Sample[], held: Sample[], options: TrainOptions, featurised: Featurised): { top1: number; top3: number } {
  if (held.length === 0) return { top1: 0, top3: 0 };
  const c = classifier(train(fit, options, featurised));
  let top1 = 0;
  let top3 = 0;
  for (const s of held) {
    const ranked = c.predict(s.text).map((p) => p.label);
    if (ranked[0] === s.label) top1++;
    if (ranked.slice(0, 3).includes(s.label)) top3++;
  }
  return { top1: top1 / held.length, top3: top3 / held.length };
}

/** With `catalogue`, the lead-unit model also reads what the catalogue says of each text (withCatalogue). */
export function trainDispatchModel(samples: TrainingSamples, catalogue: CatalogueScorer | null = null): TrainingResult {
  if (samples.unit.length === 0) throw new Error('没有可训练的已办结工单 / no closed work orders to train on');
  // Each text is featurised once for the four trainings below.
  const featurised: Featurised = new Map();
  const unit = withCatalogue(samples.unit, catalogue);
  const unitSplit = split(unit);
  const unitScore = measure(unitSplit.fit, unitSplit.held, UNIT_MODEL, featurised);
  const categories = new Set(samples.category.map((s) => s.label));
  const withCategory = samples.category.length >= MIN_CATEGORY_SAMPLES && categories.size > 1;
  const categorySplit = split(samples.category);
  return {
    samples: samples.unit.length,
    heldBack: unitSplit.held.length,
    accuracy: unitScore.top1,
    top3Accuracy: unitScore.top3,
    categoryAccuracy: withCategory ? measure(categorySplit.fit, categorySplit.held, {}, featurised).top1 : null,
    model: { unit: train(unit, UNIT_MODEL, featurised), category: withCategory ? train(samples.category, {}, featurised) : null },
  };
}

/** The argument that makes this module, run as a child process, train what its parent sends. */
const CHILD_FLAG = '--dispatch-training';

/**
 * Trains in a child process: the process that trains keeps serving its other topics meanwhile, and a crash of
 * the training (memory, a native module) is an exit code here, never the loss of the workers process.
 */
export function trainInChild(samples: TrainingSamples, catalogue: CatalogueSource | null = null): Promise<TrainingResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [CHILD_FLAG], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let settled = false;
    const settle = (f: () => void) => {
      if (!settled) {
        settled = true;
        f();
      }
    };
    child.once('message', (m: { ok: true; result: TrainingResult } | { ok: false; error: string }) =>
      settle(() => (m.ok ? resolve(m.result) : reject(new Error(m.error)))),
    );
    child.once('error', (e) => settle(() => reject(e)));
    child.once('exit', (code, signal) => settle(() => reject(new Error(`训练进程意外退出 / the training process exited (${signal ?? code})`))));
    child.send({ samples, catalogue });
  });
}

if (process.argv.includes(CHILD_FLAG) && process.send) {
  process.once('message', ({ samples, catalogue }: { samples: TrainingSamples; catalogue: CatalogueSource | null }) => {
    let answer: { ok: true; result: TrainingResult } | { ok: false; error: string };
    try {
      answer = { ok: true, result: trainDispatchModel(samples, catalogue && catalogueScorer(catalogue.xml, catalogue.units)) };
    } catch (e) {
      answer = { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
    process.send!(answer, undefined, {}, () => process.exit(0));
  });
}
