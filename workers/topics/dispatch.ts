/**
 * Dispatch suggestions and the model behind them.
 * - Topic `case-suggest`: the category and lead unit the 分类交办 task proposes: the suggestion recorded with the
 *   work order at intake, which 建议采纳率 compares the dispatch with, even if a new model or catalogue came since.
 *   Only a case without a suggested lead unit (registered before the column existed, or nothing suggested then)
 *   is asked of the suggester now (派单目录 + the newest learned model), and what it says is recorded first.
 * - Topic `dispatch-model-train` (process dispatchModelTraining: nightly, or on demand): trains on closed
 *   history in a child process and stores the new version; a redelivered task finds its run already done.
 */
import type { CaseRepository } from '../../core/cases/repository';
import type { DispatchSuggester } from '../../core/dispatch/suggester';
import type { ModelStore, TrainingResult, TrainingSamples } from '../../core/dispatch/store';
import type { CatalogueSource } from '../../core/dispatch/training';
import { isTransient } from '../../core/errors';
import { isString, required, type Worker } from '../types';

/** At most this many of the newest closed work orders are learned from. */
export const MAX_TRAINING_SAMPLES = 200_000;
/** A training run holds its task this long (it takes seconds to minutes; the engine redelivers after it). */
const TRAINING_LOCK_MS = 30 * 60_000;

export function caseSuggestWorker({ cases, suggestions }: { cases: CaseRepository; suggestions: DispatchSuggester }): Worker {
  return {
    topic: 'case-suggest',
    variables: ['caseId', 'content', 'address'],
    async handler(input) {
      const caseId = required(input, 'caseId', isString, 'a work-order id');
      const c = await cases.get(caseId);
      if (!c) {
        // An instance without its work order (an orphan the reconciler counts) may carry the only record of a call:
        // it goes on to 分类交办 with a suggestion from its own variables, recorded nowhere.
        const content = required(input, 'content', isString, 'the call content');
        const s = await suggestions.suggest({ content, address: typeof input.address === 'string' ? input.address : '' });
        return { suggestedCategory: s.category, suggestedUnitId: s.unitId, suggestionSource: s.source };
      }
      let s = { category: c.suggestedCategory, unitId: c.suggestedUnitId, source: c.suggestionSource };
      if (!s.unitId) {
        const computed = await suggestions.suggest({ content: c.content, address: c.address });
        s = await cases.recordSuggestion(caseId, { category: computed.category, unitId: computed.unitId, source: computed.source });
      }
      return { suggestedCategory: s.category, suggestedUnitId: s.unitId, suggestionSource: s.source };
    },
  };
}

export interface TrainWorkerDeps {
  models: ModelStore;
  suggestions: DispatchSuggester;
  /** Trains on the samples; with the catalogue in force, the lead-unit model reads its hits too. */
  train: (samples: TrainingSamples, catalogue: CatalogueSource | null) => Promise<TrainingResult>;
}

export function dispatchModelTrainWorker({ models, suggestions, train }: TrainWorkerDeps): Worker {
  return {
    topic: 'dispatch-model-train',
    variables: ['modelVersion'],
    lockDuration: TRAINING_LOCK_MS,
    async handler(input, ctx) {
      const requested = typeof input.modelVersion === 'number' ? input.modelVersion : null;
      const run = await models.claim(ctx.processInstanceId, requested);
      // A nightly run while another is training: that run is tonight's.
      if (!run) return { modelVersion: null, modelStatus: 'skipped' };
      if (run.status !== 'training') return { modelVersion: run.version, modelStatus: run.status };
      try {
        const result = await train(await models.samples(MAX_TRAINING_SAMPLES), await suggestions.catalogueInForce());
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
