/**
 * `npm run server`: one API server (and the web apps) on PORT/HOST, against DATABASE_URL and the engine nodes
 * of ENGINE_URL. Any number may run against one PostgreSQL: at start each takes the system lock to migrate,
 * seed and deploy bpmn/, which only the first finds to do (core/system/prepare.ts).
 */
import { createCalendarRepository } from '../core/calendar/repository';
import { createCaseRepository } from '../core/cases/repository';
import { loadConfig } from '../core/config';
import { createDataSource } from '../core/db/data-source';
import { withSystemLock } from '../core/db/lock';
import { startDatabase } from '../core/db/postgres';
import { EngineClient } from '../core/engine/client';
import { serviceAccount } from '../core/engine/credentials';
import { createTaskList } from '../core/engine/task-list';
import { createReportRepository } from '../core/reports/repository';
import { prepareSystem } from '../core/system/prepare';
import { buildApp } from '../server/app';
import { buildWeb } from './build-web';
import { requireDeployment, runPart, waitForEngine } from './lib/part';

runPart('server', async (log) => {
  const config = loadConfig();
  requireDeployment(config, 'server');
  const db = await startDatabase(config);
  // Servers of one checkout build the web apps one at a time.
  const built = await withSystemLock(db.adminUrl, () => buildWeb());
  if (built.length) log(`built web apps: ${built.join(', ')}`);
  const engine = new EngineClient(config.engine.urls, serviceAccount(config));
  await waitForEngine(engine, log);
  const prepared = await prepareSystem(db, config, engine);
  if (prepared.migrations.length) log(`migrations applied: ${prepared.migrations.join(', ')}`);

  const ds = createDataSource(db.appUrl);
  await ds.initialize();
  const taskList = createTaskList(db.taskListUrl, config.engine.timezone);
  const deps = { ds, engine, cases: createCaseRepository(ds), calendar: createCalendarRepository(ds), reports: createReportRepository(ds), taskList };
  const app = await buildApp(deps, config, { level: process.env.LOG_LEVEL ?? 'warn' });
  await app.listen({ host: config.server.host, port: config.server.port });
  return {
    ready: `listening on ${config.server.host}:${config.server.port} (deployment ${prepared.deploymentId}, engine ${config.engine.urls.join(', ')})`,
    async stop() {
      await app.close();
      await taskList.close();
      await ds.destroy();
    },
  };
});
