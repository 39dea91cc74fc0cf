/**
 * `npm run workers`: one process of external-task workers against DATABASE_URL (as hotline_app) and the engine
 * nodes of ENGINE_URL, one fetch-and-lock client per node. Any number may run: the engine locks each task for
 * one of them, and the workers are idempotent since the engine delivers at least once.
 */
import path from 'node:path';
import { createCalendarRepository } from '../core/calendar/repository';
import { createCaseRepository } from '../core/cases/repository';
import { loadConfig } from '../core/config';
import { createDataSource } from '../core/db/data-source';
import { startDatabase } from '../core/db/postgres';
import { EngineClient } from '../core/engine/client';
import { serviceAccount } from '../core/engine/credentials';
import { compileReport } from '../core/reports/compile';
import { createReportRepository } from '../core/reports/repository';
import { createDispatchSuggester, MODEL_CHECK_MS } from '../core/dispatch/suggester';
import { createModelStore } from '../core/dispatch/store';
import { trainInChild } from '../core/dispatch/training';
import { DEFAULT_OPERATIONS } from '../core/operations';
import { startWorkers } from '../workers';
import type { WorkerDeps } from '../workers/handlers';
import { requireDeployment, runPart } from './lib/part';

runPart('workers', async (log) => {
  const config = loadConfig();
  requireDeployment(config, 'workers');
  const db = await startDatabase(config);
  const ds = createDataSource(db.appUrl);
  await ds.initialize();
  const account = serviceAccount(config);
  const engine = new EngineClient(config.engine.urls, account);
  const models = createModelStore(ds);
  const suggestions = createDispatchSuggester({ ds, engine, models, bpmnDir: path.join(config.rootDir, 'bpmn'), log: (msg) => log(`warn ${msg}`) });
  const deps: WorkerDeps = {
    models,
    suggestions,
    train: trainInChild,
    cases: createCaseRepository(ds),
    calendar: createCalendarRepository(ds),
    engine,
    reports: createReportRepository(ds),
    compileReport: (period) => compileReport(ds, engine, period),
  };
  const workers = await startWorkers(deps, config.engine.urls, account, config, (level, msg) => log(`${level} ${msg}`));
  // The catalogue an admin deploys reaches the workers' suggestions within the same period as the servers'.
  const refresh = () => void suggestions.refresh().catch((e: unknown) => log(`warn dispatch catalogue: ${String(e)}`));
  refresh();
  const timer = setInterval(refresh, DEFAULT_OPERATIONS.suggestionRefreshMs);
  const modelTimer = setInterval(() => void suggestions.refreshModel().catch((e: unknown) => log(`warn dispatch model: ${String(e)}`)), MODEL_CHECK_MS);
  return {
    ready: `${workers.topics.length} topics at ${config.engine.urls.join(', ')}`,
    async stop() {
      clearInterval(timer);
      clearInterval(modelTimer);
      await workers.stop();
      await ds.destroy();
    },
  };
});
