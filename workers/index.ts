/** Starts every worker against the engine and returns the handle that stops them. */
import type { Config } from '../core/config';
import type { ServiceAccount } from '../core/engine/credentials';
import { createHandlers, type WorkerDeps } from './handlers';
import { runWorkers, type RunningWorkers } from './runtime';

export function startWorkers(
  deps: WorkerDeps,
  engineUrls: string[],
  account: ServiceAccount,
  config: Config,
  log: (level: 'info' | 'warn' | 'error', msg: string) => void,
): Promise<RunningWorkers> {
  return runWorkers(createHandlers(deps), engineUrls, account, config.workers, log);
}
