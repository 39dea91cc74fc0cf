/**
 * A second API server beside the test system, run as its own process by tests that need the engine or the
 * database out of reach: SECOND_DB_URL, SECOND_ENGINE_URL and SECOND_ENGINE_DB_URL say where it looks for
 * them; SECOND_CONFIG_ENV (JSON) is the environment its configuration is read from (default: none, the demo's).
 * It listens on a free port, prints "ready <port>", and stops on SIGTERM.
 */
import { createCalendarRepository } from '../../../core/calendar/repository';
import { createCaseRepository } from '../../../core/cases/repository';
import { loadConfig } from '../../../core/config';
import { createDataSource } from '../../../core/db/data-source';
import { EngineClient } from '../../../core/engine/client';
import { serviceAccount } from '../../../core/engine/credentials';
import { createTaskList } from '../../../core/engine/task-list';
import { createReportRepository } from '../../../core/reports/repository';
import { buildApp } from '../../../server/app';

async function main(): Promise<void> {
  const [dbUrl, engineUrl, engineDbUrl] = ['SECOND_DB_URL', 'SECOND_ENGINE_URL', 'SECOND_ENGINE_DB_URL'].map((name) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  });
  const ds = createDataSource(dbUrl, 2);
  await ds.initialize();
  const taskList = createTaskList(engineDbUrl, 'Asia/Shanghai', 1);
  const deps = {
    ds,
    engine: new EngineClient(engineUrl, serviceAccount(loadConfig())),
    cases: createCaseRepository(ds),
    calendar: createCalendarRepository(ds),
    reports: createReportRepository(ds),
    taskList,
  };
  const app = await buildApp(deps, loadConfig(JSON.parse(process.env.SECOND_CONFIG_ENV ?? '{}') as Record<string, string>));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  process.on('SIGTERM', () => {
    void Promise.allSettled([app.close(), taskList.close(), ds.destroy()]).then(() => process.exit(0));
  });
  process.stdout.write(`ready ${port}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`second server: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
