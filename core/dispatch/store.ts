/**
 * The dispatch models in PostgreSQL (table dispatch_models): one row per training run, its version. A run is
 * requested (status training), carried out by the `dispatch-model-train` worker, and ends done (with the
 * model) or failed (with the reason). Every server and worker process reads the newest done version.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { returned } from '../db/sql';
import { ConflictError } from '../errors';
import { CATEGORIES, type DispatchModelStatus, type DispatchModelTrigger } from '../vocabulary';
import type { Sample, TrainedModel } from './model';

export interface ModelRun {
  version: number;
  status: DispatchModelStatus;
  trigger: DispatchModelTrigger;
  requestedBy: string;
  requestedAt: Date;
  startedAt: Date | null;
  trainedAt: Date | null;
  samples: number | null;
  heldBack: number | null;
  accuracy: number | null;
  top3Accuracy: number | null;
  categoryAccuracy: number | null;
  error: string | null;
}

/** What a training run stores: a model of the lead unit and, when the history has categories, one of the category. */
export interface DispatchModelData {
  unit: TrainedModel;
  category: TrainedModel | null;
}

export interface TrainingResult {
  samples: number;
  heldBack: number;
  accuracy: number;
  top3Accuracy: number;
  categoryAccuracy: number | null;
  model: DispatchModelData;
}

/** Weights as little-endian float32 in base64 and the whole gzipped: a fifth of plain JSON. */
export function encodeModel(data: DispatchModelData): Buffer {
  const pack = (m: TrainedModel | null) =>
    m && {
      classes: m.classes,
      features: m.features.join('\n'),
      idf: f32(m.idf),
      weights: f32(m.weights),
      sublinearTf: m.sublinearTf ?? true,
      ...(m.side?.length ? { side: m.side } : {}),
    };
  return gzipSync(JSON.stringify({ unit: pack(data.unit), category: pack(data.category) }));
}

export function decodeModel(buf: Buffer): DispatchModelData {
  type Packed = { classes: string[]; features: string; idf: string; weights: string; sublinearTf?: boolean; side?: string[] } | null;
  const raw = JSON.parse(gunzipSync(buf).toString('utf8')) as { unit: Packed; category: Packed };
  const unpack = (p: Packed): TrainedModel | null =>
    p && {
      classes: p.classes,
      features: p.features ? p.features.split('\n') : [],
      idf: fromF32(p.idf),
      weights: fromF32(p.weights),
      sublinearTf: p.sublinearTf ?? true,
      ...(p.side?.length ? { side: p.side } : {}),
    };
  const unit = unpack(raw.unit);
  if (!unit) throw new Error('dispatch model without a unit model');
  return { unit, category: unpack(raw.category) };
}

const f32 = (xs: number[]) => Buffer.from(Float32Array.from(xs).buffer).toString('base64');
const fromF32 = (b64: string) => {
  const buf = Buffer.from(b64, 'base64');
  return Array.from(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4));
};

const COLUMNS = `version, status, trigger, requested_by AS "requestedBy", requested_at AS "requestedAt", started_at AS "startedAt",
  trained_at AS "trainedAt", samples, held_back AS "heldBack", accuracy, top3_accuracy AS "top3Accuracy",
  category_accuracy AS "categoryAccuracy", error`;

export interface TrainingSamples {
  unit: Sample[];
  category: Sample[];
}

/** A manual run whose process has not started after this long never will (its requester crashed). */
export const START_GRACE_MINUTES = 10;
/** A run still training after this long is failed: longer than two task locks (30 minutes) of redelivered training. */
export const STALE_TRAINING_MINUTES = 90;

export interface ModelStore {
  /**
   * A manual run, recorded before its process starts: GET shows `training` at once. One run trains at a time
   * (a unique index): while one does, it is the answer (`created` false) and nothing is recorded.
   */
  request(actor: string): Promise<{ run: ModelRun; created: boolean }>;
  /**
   * Binds a run to the process instance that carries it out; a nightly run (no version) is recorded here, or null
   * when another run is training (that one is the night's). Idempotent.
   */
  claim(processInstanceId: string, version: number | null): Promise<ModelRun | null>;
  finish(version: number, result: TrainingResult): Promise<void>;
  /** Fails the runs whose process never started (START_GRACE_MINUTES) and those training too long (STALE_TRAINING_MINUTES). */
  sweepUnstarted(): Promise<void>;
  fail(version: number, error: string): Promise<void>;
  /** The newest run (any status), for GET /api/dispatch-model. */
  latest(): Promise<ModelRun | null>;
  /** The newest done version, or null. */
  newestDoneVersion(): Promise<number | null>;
  load(version: number): Promise<DispatchModelData>;
  /** Closed history (imported or handled here): the final lead unit and the final category are the labels. */
  samples(limit: number): Promise<TrainingSamples>;
}

export function createModelStore(ds: DataSource): ModelStore {
  const one = async (sql: string, params: unknown[]) => (returned(await ds.query(sql, params)) as ModelRun[])[0] ?? null;
  return {
    async request(actor) {
      // The insert and the read race only with a run ending in between: a few rounds settle it.
      for (let round = 0; round < 3; round++) {
        const created = await one(
          `INSERT INTO dispatch_models (status, trigger, requested_by) VALUES ('training', 'manual', $1) ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
          [actor],
        );
        if (created) return { run: created, created: true };
        const training = await one(`SELECT ${COLUMNS} FROM dispatch_models WHERE status = 'training'`, []);
        if (training) return { run: training, created: false };
      }
      throw new ConflictError(undefined, '训练请求冲突，请重试', 'training runs kept changing while asked for; try again');
    },

    async claim(processInstanceId, version) {
      const bound = await one(`SELECT ${COLUMNS} FROM dispatch_models WHERE process_instance_id = $1`, [processInstanceId]);
      if (bound) return bound;
      if (version !== null) {
        const run = await one(
          `UPDATE dispatch_models SET process_instance_id = $2, started_at = now() WHERE version = $1 AND (process_instance_id IS NULL OR process_instance_id = $2) RETURNING ${COLUMNS}`,
          [version, processInstanceId],
        );
        if (!run) throw new Error(`dispatch model run ${version} is missing or bound to another process`);
        return run;
      }
      const nightly = await one(
        `INSERT INTO dispatch_models (status, trigger, requested_by, process_instance_id, started_at) VALUES ('training', 'nightly', 'system', $1, now())
         ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [processInstanceId],
      );
      // Not inserted: the same process delivered twice at once (its row), or another run training (none tonight).
      return nightly ?? (await one(`SELECT ${COLUMNS} FROM dispatch_models WHERE process_instance_id = $1`, [processInstanceId]));
    },

    async finish(version, r) {
      await ds.query(
        `UPDATE dispatch_models SET status = 'done', trained_at = now(), samples = $2, held_back = $3, accuracy = $4, top3_accuracy = $5,
           category_accuracy = $6, model = $7, error = NULL WHERE version = $1 AND status = 'training'`,
        [version, r.samples, r.heldBack, r.accuracy, r.top3Accuracy, r.categoryAccuracy, encodeModel(r.model)],
      );
    },

    async fail(version, error) {
      await ds.query(`UPDATE dispatch_models SET status = 'failed', trained_at = now(), error = $2 WHERE version = $1 AND status = 'training'`, [
        version,
        error.slice(0, 2000),
      ]);
    },

    async sweepUnstarted() {
      await ds.query(
        `UPDATE dispatch_models SET status = 'failed', error = '训练流程未能启动 / the training process never started'
         WHERE status = 'training' AND process_instance_id IS NULL AND requested_at < now() - make_interval(mins => $1)`,
        [START_GRACE_MINUTES],
      );
      // One run trains at a time (a unique index), so a run left training by what no redelivery heals ends here.
      await ds.query(
        `UPDATE dispatch_models SET status = 'failed', trained_at = now(), error = '训练超时 / the training run did not end in time'
         WHERE status = 'training' AND requested_at < now() - make_interval(mins => $1)`,
        [STALE_TRAINING_MINUTES],
      );
    },

    latest: () => one(`SELECT ${COLUMNS} FROM dispatch_models ORDER BY version DESC LIMIT 1`, []),

    async newestDoneVersion() {
      const rows = (await ds.query(`SELECT max(version) AS v FROM dispatch_models WHERE status = 'done'`)) as { v: number | null }[];
      return rows[0]?.v ?? null;
    },

    async load(version) {
      const rows = (await ds.query(`SELECT model FROM dispatch_models WHERE version = $1 AND status = 'done'`, [version])) as { model: Buffer }[];
      if (!rows[0]) throw new Error(`dispatch model ${version} is not done`);
      return decodeModel(rows[0].model);
    },

    async samples(limit) {
      const rows = (await ds.query(
        `SELECT content, lead_unit_id AS unit, category FROM work_orders
         WHERE status IN ('closed', 'transferred') AND lead_unit_id IS NOT NULL
         ORDER BY closed_at DESC NULLS LAST, id LIMIT $1`,
        [limit],
      )) as { content: string; unit: string; category: string | null }[];
      return {
        unit: rows.map((r) => ({ text: r.content, label: r.unit })),
        category: rows
          .filter((r) => r.category && (CATEGORIES as readonly string[]).includes(r.category))
          .map((r) => ({ text: r.content, label: r.category! })),
      };
    },
  };
}
