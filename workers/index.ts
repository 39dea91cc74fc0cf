/** Starts every worker against the engine and returns the handle that stops them. */
import type { Config } from '../core/config';
import { createHandlers, type WorkerDeps } from './handlers';
import { runWorkers, type RunningWorkers } from './runtime';

export function startWorkers(deps: WorkerDeps, engineUrl: string, config: Config, log: (level: 'info' | 'warn' | 'error', msg: string) => void): Promise<RunningWorkers> {
  return runWorkers(createHandlers(deps), engineUrl, config.workers, log);
}
