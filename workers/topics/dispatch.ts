/**
 * Dispatch suggestions and the model behind them.
 * - Topic `case-suggest`: the category and lead unit the 分类交办 task proposes, from the same suggester the
 *   intake screen asks (派单目录 + the newest learned model).
 * - Topic `dispatch-model-train` (process dispatchModelTraining: nightly, or on demand): trains on closed
 *   history in a child process and stores the new version; a redelivered task finds its run already done.
 */
import type { DispatchSuggester } from '../../core/dispatch/suggester';
import type { ModelStore, TrainingResult, TrainingSamples } from '../../core/dispatch/store';
import { isTransient } from '../../core/errors';
import { isString, required, type Worker } from '../types';

/** At most this many of the newest closed work orders are learned from. */
export const MAX_TRAINING_SAMPLES = 200_000;
/** A training run holds its task this long (it takes seconds to minutes; the engine redelivers after it). */
const TRAINING_LOCK_MS = 30 * 60_000;

export function caseSuggestWorker({ suggestions }: { suggestions: DispatchSuggester }): Worker {
  return {
    topic: 'case-suggest',
    variables: ['content', 'address'],
    async handler(input) {
      const content = required(input, 'content', isString, 'the call content');
      const s = await suggestions.suggest({ content, address: typeof input.address === 'string' ? input.address : '' });
      return { suggestedCategory: s.category, suggestedUnitId: s.unitId, suggestionSource: s.source };
    },
  };
}

export interface TrainWorkerDeps {
  models: ModelStore;
  suggestions: DispatchSuggester;
  train: (samples: TrainingSamples) => Promise<TrainingResult>;
}

export function dispatchModelTrainWorker({ models, suggestions, train }: TrainWorkerDeps): Worker {
  return {
    topic: 'dispatch-model-train',
    variables: ['modelVersion'],
    lockDuration: TRAINING_LOCK_MS,
    async handler(input, ctx) {
      const requested = typeof input.modelVersion === 'number' ? input.modelVersion : null;
      const run = await models.claim(ctx.processInstanceId, requested);
      if (run.status !== 'training') return { modelVersion: run.version, modelStatus: run.status };
      try {
        const result = await train(await models.samples(MAX_TRAINING_SAMPLES));
        await models.finish(run.version, result);
      } catch (e) {
        if (isTransient(e)) throw e;
        // The run failed for a reason a retry does not change (no history, a bug): recorded, shown by GET /api/dispatch-model.
        await models.fail(run.version, e instanceof Error ? e.message : String(e));
        return { modelVersion: run.version, modelStatus: 'failed' };
      }
      await suggestions.refreshModel();
      return { modelVersion: run.version, modelStatus: 'done' };
    },
  };
}
