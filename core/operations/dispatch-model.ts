/**
 * Asking for a training run of the dispatch model (POST /api/dispatch-model/train). Two steps: the run is
 * recorded (status training, so GET shows it at once), then the process dispatchModelTraining starts with
 * its version. A crash between them leaves a run no process carries out: after START_GRACE it reads as
 * failed (swept by the next request or read); the engine being down fails it at once and answers 503.
 * The worker binds the process to the run (claim), so a start whose answer was lost is still found. While a
 * run is training, a new request answers with it instead of starting another.
 */
import type { ModelRun, ModelStore } from '../dispatch/store';
import type { EngineClient } from '../engine/client';

export const TRAINING_PROCESS_KEY = 'dispatchModelTraining';

export async function requestTraining(deps: { models: ModelStore; engine: EngineClient }, actor: string): Promise<ModelRun> {
  await deps.models.sweepUnstarted();
  // A run still training answers a second request: one training at a time, however often the button is pressed
  // and on however many servers (the store's unique index decides).
  const { run, created } = await deps.models.request(actor);
  if (!created) return run;
  try {
    const instance = await deps.engine.startProcess(TRAINING_PROCESS_KEY, `dispatch-model:${run.version}`, { modelVersion: run.version });
    await deps.models.claim(instance.id, run.version);
  } catch (e) {
    // The cause (an engine address, its answer) goes to the server's log with the refusal, not into the run admins read.
    await deps.models.fail(run.version, '训练流程未能启动，请稍后重试 / the training process did not start; try again later');
    throw e;
  }
  return run;
}
