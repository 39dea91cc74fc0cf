/**
 * The dispatch classifier learned from closed work orders: TF-IDF over character 1–3-grams and jieba words,
 * multinomial logistic regression trained with AdaGrad. Plain TypeScript, nothing downloaded: a model is a
 * JSON-serialisable object stored in the database and loaded by every server and worker process.
 *
 * Text is reduced to its Chinese characters first, so a raw call ("A3区…路灯，") and a segmented export
 * ("区路灯") give the same features.
 */
import { segmenter } from '../reports/hotspots';

export interface Sample {
  text: string;
  label: string;
  /** Side features beside the text's (e.g. the catalogue's evidence per unit), named `c:…`, taken as they are (no IDF, not normalised). */
  side?: ReadonlyMap<string, number>;
}

export interface TrainedModel {
  /** Class labels (unit ids or categories), index = column of the weights. */
  classes: string[];
  /** Feature → row of the weights. */
  features: string[];
  idf: number[];
  /** rows × classes, row-major; the last row is the bias. */
  weights: number[];
  /** Term frequency as counted (false) or as 1 + log (true; models stored before the field existed). */
  sublinearTf?: boolean;
  /** The side features the model was trained with (also in `features`, after the text's): predict wants them too. */
  side?: string[];
}

export interface Scored {
  label: string;
  score: number;
}

const HAN = /\p{Script=Han}+/gu;

/** The Chinese characters of a text, runs joined with a separator so n-grams never span punctuation. */
export function normalise(text: string): string {
  return (text.match(HAN) ?? []).join('|');
}

/** Term frequencies of a text's features: character 1–3-grams within runs, and jieba words of two or more characters. */
export function featurise(text: string): Map<string, number> {
  const tf = new Map<string, number>();
  const add = (f: string) => tf.set(f, (tf.get(f) ?? 0) + 1);
  const norm = normalise(text);
  for (const run of norm.split('|')) {
    const chars = Array.from(run);
    for (let i = 0; i < chars.length; i++) {
      add(chars[i]);
      if (i + 1 < chars.length) add(chars[i] + chars[i + 1]);
      if (i + 2 < chars.length) add(chars[i] + chars[i + 1] + chars[i + 2]);
    }
    if (chars.length >= 2) for (const w of segmenter().cut(run, false)) if (w.length >= 2) add(`w:${w}`);
  }
  return tf;
}

type Vector = { index: Int32Array; value: Float64Array };

/** TF (counted, or sublinear: 1 + log) × IDF, L2-normalised, over the model's features (unknown features are dropped). */
function vectorise(
  tf: Map<string, number>,
  lookup: Map<string, number>,
  idf: ArrayLike<number>,
  sublinear: boolean,
  side?: ReadonlyMap<string, number>,
): Vector {
  const index: number[] = [];
  const value: number[] = [];
  for (const [f, n] of tf) {
    const i = lookup.get(f);
    if (i === undefined) continue;
    index.push(i);
    value.push((sublinear ? 1 + Math.log(n) : n) * idf[i]);
  }
  const norm = Math.sqrt(value.reduce((s, v) => s + v * v, 0)) || 1;
  for (let t = 0; t < value.length; t++) value[t] /= norm;
  for (const [f, v] of side ?? []) {
    const i = lookup.get(f);
    if (i === undefined || v === 0) continue;
    index.push(i);
    value.push(v);
  }
  return { index: Int32Array.from(index), value: Float64Array.from(value) };
}

export interface TrainOptions {
  /** A feature must occur in at least this many samples. */
  minDf?: number;
  epochs?: number;
  /** L2 penalty per sample step. */
  lambda?: number;
  learningRate?: number;
  /** Seeded shuffling, so a training run is repeatable. */
  seed?: number;
  /** 1 + log of a feature's count instead of the count (default true). */
  sublinearTf?: boolean;
  /** Runs in differently seeded orders whose weights are averaged (default 1): a model less tied to one order. */
  runs?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < z.length; k++) sum += z[k] = Math.exp(z[k] - max);
  for (let k = 0; k < z.length; k++) z[k] /= sum;
  return z;
}

/**
 * Trains a model on the samples. `featurised` keeps each text's features across the trainings of one run (the
 * held-back model, the stored one, the category model), so a text is read once.
 */
export function train(samples: Sample[], options: TrainOptions = {}, featurised = new Map<string, Map<string, number>>()): TrainedModel {
  const { minDf = 2, epochs = 20, lambda = 3e-5, learningRate = 0.5, seed = 12345, sublinearTf = true, runs = 1 } = options;
  const classes = [...new Set(samples.map((s) => s.label))].sort();
  const classOf = new Map(classes.map((c, i) => [c, i]));
  const tfs = samples.map((s) => {
    let tf = featurised.get(s.text);
    if (!tf) featurised.set(s.text, (tf = featurise(s.text)));
    return tf;
  });
  const df = new Map<string, number>();
  for (const tf of tfs) for (const f of tf.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const textFeatures = [...df].filter(([, n]) => n >= minDf).map(([f]) => f);
  const side = [...new Set(samples.flatMap((s) => [...(s.side?.keys() ?? [])]))].sort();
  const features = [...textFeatures, ...side];
  const lookup = new Map(features.map((f, i) => [f, i]));
  const idf = [...textFeatures.map((f) => Math.log((1 + samples.length) / (1 + df.get(f)!)) + 1), ...side.map(() => 1)];
  const xs = tfs.map((tf, n) => vectorise(tf, lookup, idf, sublinearTf, samples[n].side));
  const ys = samples.map((s) => classOf.get(s.label)!);

  const K = classes.length;
  const bias = features.length;
  const averaged = new Float64Array((features.length + 1) * K);
  for (let run = 0; run < runs; run++) {
    const w = fit(xs, ys, bias, K, { epochs, lambda, learningRate, seed: seed + run });
    for (let i = 0; i < w.length; i++) averaged[i] += w[i] / runs;
  }
  return { classes, features, idf, weights: Array.from(averaged, (v) => Math.round(v * 1e5) / 1e5), sublinearTf, ...(side.length ? { side } : {}) };
}

/** One run of AdaGrad over the samples in a seeded order: the weights, rows × classes, the bias row last. */
function fit(
  xs: Vector[],
  ys: number[],
  bias: number,
  K: number,
  { epochs, lambda, learningRate, seed }: { epochs: number; lambda: number; learningRate: number; seed: number },
): Float64Array {
  const w = new Float64Array((bias + 1) * K);
  const g2 = new Float64Array(w.length).fill(1e-8);
  const order = xs.map((_, i) => i);
  const random = rng(seed);
  const z = new Float64Array(K);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const n of order) {
      const { index, value } = xs[n];
      const nnz = index.length;
      for (let k = 0; k < K; k++) z[k] = w[bias * K + k];
      for (let t = 0; t < nnz; t++) {
        const row = index[t] * K;
        const v = value[t];
        for (let k = 0; k < K; k++) z[k] += w[row + k] * v;
      }
      softmax(z);
      z[ys[n]] -= 1; // gradient of the cross-entropy on the logits
      // AdaGrad: each weight's step shrinks with the root of its summed squared gradients.
      for (let t = 0; t <= nnz; t++) {
        const row = (t < nnz ? index[t] : bias) * K;
        const v = t < nnz ? value[t] : 1;
        const decay = t < nnz ? lambda : 0;
        for (let k = 0; k < K; k++) {
          const at = row + k;
          const grad = z[k] * v + decay * w[at];
          g2[at] += grad * grad;
          w[at] -= (learningRate * grad) / Math.sqrt(g2[at]);
        }
      }
    }
  }
  return w;
}

export interface Classifier {
  classes: readonly string[];
  /** Every class with its probability, best first; `side`: the side features, for a model trained with them. */
  predict(text: string, side?: ReadonlyMap<string, number>): Scored[];
}

export function classifier(model: TrainedModel): Classifier {
  const lookup = new Map(model.features.map((f, i) => [f, i]));
  const K = model.classes.length;
  const bias = model.features.length;
  const w = Float64Array.from(model.weights);
  const idf = Float64Array.from(model.idf);
  const sublinear = model.sublinearTf ?? true;
  const textCount = model.features.length - (model.side?.length ?? 0);
  return {
    classes: model.classes,
    predict(text, side) {
      if (K === 0) return [];
      // The same sum as training's vectorise, without building the vector: the L2 norm scales the sum once at the end.
      const z = new Float64Array(K);
      let norm2 = 0;
      for (const [f, n] of featurise(text)) {
        const i = lookup.get(f);
        if (i === undefined) continue;
        const v = (sublinear ? 1 + Math.log(n) : n) * idf[i];
        norm2 += v * v;
        const row = i * K;
        for (let k = 0; k < K; k++) z[k] += w[row + k] * v;
      }
      const scale = 1 / (Math.sqrt(norm2) || 1);
      for (let k = 0; k < K; k++) z[k] = w[bias * K + k] + z[k] * scale;
      for (const [f, v] of side ?? []) {
        const i = lookup.get(f);
        if (i === undefined || i < textCount) continue;
        for (let k = 0; k < K; k++) z[k] += w[i * K + k] * v;
      }
      softmax(z);
      return model.classes.map((label, k) => ({ label, score: z[k] })).sort((a, b) => b.score - a.score);
    },
  };
}
