/**
 * One training run over closed history: a held-back slice (every tenth sample, at most 1,000) measures the
 * model, then the model is trained again on everything, so the held-back messages teach it too. Runs in a
 * worker thread, so the process that trains keeps serving its other topics meanwhile.
 */
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { classifier, train, type Sample } from './model';
import type { TrainingResult, TrainingSamples } from './store';

/** Fewer samples than this (or a single class) trains no category model. */
const MIN_CATEGORY_SAMPLES = 50;

function split(samples: Sample[]): { fit: Sample[]; held: Sample[] } {
  const every = Math.max(10, Math.ceil(samples.length / 1000));
  const fit: Sample[] = [];
  const held: Sample[] = [];
  samples.forEach((s, i) => (i % every === every - 1 ? held : fit).push(s));
  return { fit, held };
}

function measure(fit: Sample[], held: Sample[]): { top1: number; top3: number } {
  if (held.length === 0) return { top1: 0, top3: 0 };
  const c = classifier(train(fit));
  let top1 = 0;
  let top3 = 0;
  for (const s of held) {
    const ranked = c.predict(s.text).map((p) => p.label);
    if (ranked[0] === s.label) top1++;
    if (ranked.slice(0, 3).includes(s.label)) top3++;
  }
  return { top1: top1 / held.length, top3: top3 / held.length };
}

export function trainDispatchModel(samples: TrainingSamples): TrainingResult {
  if (samples.unit.length === 0) throw new Error('没有可训练的已办结工单 / no closed work orders to train on');
  const unitSplit = split(samples.unit);
  const unitScore = measure(unitSplit.fit, unitSplit.held);
  const categories = new Set(samples.category.map((s) => s.label));
  const withCategory = samples.category.length >= MIN_CATEGORY_SAMPLES && categories.size > 1;
  const categorySplit = split(samples.category);
  return {
    samples: samples.unit.length,
    heldBack: unitSplit.held.length,
    accuracy: unitScore.top1,
    top3Accuracy: unitScore.top3,
    categoryAccuracy: withCategory ? measure(categorySplit.fit, categorySplit.held).top1 : null,
    model: { unit: train(samples.unit), category: withCategory ? train(samples.category) : null },
  };
}

/** Trains in a worker thread (the thread inherits this process's TypeScript loader). */
export function trainInThread(samples: TrainingSamples): Promise<TrainingResult> {
  return new Promise((resolve, reject) => {
    // The thread loads this TypeScript module through tsx's CommonJS hook, as the process itself was started.
    const thread = new Worker(`require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'training.ts'))});`, { eval: true, workerData: samples });
    thread.once('message', (m: { ok: true; result: TrainingResult } | { ok: false; error: string }) => (m.ok ? resolve(m.result) : reject(new Error(m.error))));
    thread.once('error', reject);
    thread.once('exit', (code) => code !== 0 && reject(new Error(`training thread exited with ${code}`)));
  });
}

if (!isMainThread && parentPort && (workerData as TrainingSamples | undefined)?.unit) {
  try {
    parentPort.postMessage({ ok: true, result: trainDispatchModel(workerData as TrainingSamples) });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
