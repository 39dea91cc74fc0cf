/**
 * `npm start`: the whole system from one command. Builds the engine if its sources changed, starts
 * PostgreSQL (embedded unless DATABASE_URL is set), migrates and seeds, starts the engine as a child
 * process, deploys bpmn/, starts the workers and the server. SIGINT/SIGTERM stop everything in reverse.
 */
import path from 'node:path';
import { createCalendarRepository } from '../core/calendar/repository';
import { createCaseRepository } from '../core/cases/repository';
import { ConfigError, loadConfig } from '../core/config';
import { createDataSource } from '../core/db/data-source';
import { startDatabase, toJdbc } from '../core/db/postgres';
import { grantTaskListRead } from '../core/db/roles';
import { DEMO_PASSWORD, demoAccounts } from '../core/db/seed';
import { EngineClient } from '../core/engine/client';
import { createTaskList } from '../core/engine/task-list';
import { compileReport } from '../core/reports/compile';
import { createReportRepository } from '../core/reports/repository';
import { deployDiagrams } from '../core/system/deploy';
import { prepareDatabase } from '../core/system/prepare';
import { buildApp } from '../server/app';
import { startWorkers } from '../workers';

const log = (msg: string) => process.stdout.write(`[hotline] ${msg}\n`);

async function main() {
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const s of stops.reverse()) {
      await s.stop().catch((e: unknown) => log(`stopping ${s.name} failed: ${String(e)}`));
    }
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const config = loadConfig();
    const engineScripts = await import('./engine.mjs');
    if (!config.engine.url) {
      log('checking the engine build (Maven runs only when engine/ sources changed)…');
      await engineScripts.buildEngine();
    }
    const builtWeb = await (await import('./build-web.mjs')).buildWeb();
    if (builtWeb.length) log(`built web apps: ${builtWeb.join(', ')}`);

    const db = await startDatabase(config);
    stops.push({ name: 'PostgreSQL', stop: db.stop });
    log(`PostgreSQL ${db.embedded ? `embedded on port ${config.embeddedPg.port} (${path.relative(config.rootDir, config.embeddedPg.dataDir)})` : 'from DATABASE_URL'}`);

    const admin = createDataSource(db.adminUrl, 2);
    await admin.initialize();
    try {
      const prepared = await prepareDatabase(admin, config, db);
      if (prepared.migrations.length) log(`migrations applied: ${prepared.migrations.join(', ')}`);
      if (prepared.calendarYears.length) log(`holiday calendar loaded for ${prepared.calendarYears[0]}–${prepared.calendarYears.at(-1)}`);
    } finally {
      await admin.destroy();
    }
    if (db.managedRoles) log('database roles: hotline_app (server, workers), hotline_engine (engine), hotline_tasklist (tasklist)');
    const ds = createDataSource(db.appUrl);
    await ds.initialize();
    stops.push({ name: 'database pool', stop: () => ds.destroy() });

    let engineUrl = config.engine.url;
    if (!engineUrl) {
      const jdbc = toJdbc(db.engineUrl);
      log(`starting the engine on ${config.engine.bind}:${config.engine.port}…`);
      const engine = await engineScripts.startEngine({ ...jdbc, port: config.engine.port, bind: config.engine.bind, javaOpts: [`-Duser.timezone=${config.engine.timezone}`] });
      stops.push({ name: 'engine', stop: engine.stop });
      engine.child.on('exit', (code) => {
        if (!stopping) {
          log(`the engine exited unexpectedly (code ${code}); stopping`);
          void shutdown(1);
        }
      });
      engineUrl = engine.url;
    }
    const engine = new EngineClient(engineUrl);
    const deployment = await deployDiagrams(engine, path.join(config.rootDir, 'bpmn'));
    log(`deployed bpmn/ (deployment ${deployment.id})`);

    const cases = createCaseRepository(ds);
    const calendar = createCalendarRepository(ds);
    const reports = createReportRepository(ds);
    const workers = await startWorkers({ cases, calendar, engine, reports, compileReport: (period) => compileReport(ds, engine, period) }, engineUrl, config, (level, msg) => log(`${level} ${msg}`));
    stops.push({ name: 'workers', stop: workers.stop });

    if (db.managedRoles) await grantTaskListRead(db.engineAdminUrl);
    const taskList = createTaskList(db.taskListUrl, config.engine.timezone);
    stops.push({ name: 'tasklist pool', stop: () => taskList.close() });
    const app = await buildApp({ ds, engine, cases, calendar, reports, taskList }, config, { level: process.env.LOG_LEVEL ?? 'warn' });
    await app.listen({ host: config.server.host, port: config.server.port });
    stops.push({ name: 'server', stop: () => app.close() });

    const url = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${config.server.port}`;
    log(`ready: ${url}  (API docs ${url}/docs, engine ${engineUrl})`);
    if (config.mode === 'demo') {
      log(`demo accounts (password "${DEMO_PASSWORD}"): ${demoAccounts().slice(0, 3).map((a) => a.username).join(', ')}, one handler per unit named by its id (e.g. xinhua, city-mgmt) and one leader per level-2 unit (e.g. xinhua-leader)`);
    }
  } catch (e) {
    log(e instanceof ConfigError ? e.message : `start failed: ${e instanceof Error ? e.stack : String(e)}`);
    await shutdown(1);
  }
}

void main();
