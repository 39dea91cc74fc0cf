/**
 * `npm start`: the whole system on one machine from one command. Builds the engine if its sources changed
 * and the web apps, starts PostgreSQL (embedded unless DATABASE_URL is set), then supervises the parts as
 * separate processes: the engine JVM (unless ENGINE_URL names engines elsewhere), the server and the workers
 * (`npm run server`, `npm run workers`). A part that dies is started again with back-off while the others
 * keep serving. SIGINT/SIGTERM stop the server, the workers, the engine and PostgreSQL in that order.
 *
 * After a crash (even a kill -9 of this process) the next start recognises what the last one left: the
 * server and workers end with their parent; the engine's pid file and PostgreSQL's postmaster.pid name the
 * JVM and the postmaster, which are stopped when they are ours (scripts/lib/own-process.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../core/config';
import { startDatabase } from '../core/db/postgres';
import { DEMO_PASSWORD, demoAccounts } from '../core/db/seed';
import { serviceAccount } from '../core/engine/credentials';
import { prepareSystem } from '../core/system/prepare';
import { buildWeb } from './build-web';
import { buildEngine, engineOptions, startEngine } from './engine';
import { Supervised, type Running } from './lib/supervise';

const log = (msg: string) => process.stdout.write(`[hotline] ${msg}\n`);

/** Starts `scripts/<script>` as a part (scripts/lib/part.ts) and resolves once it says it is ready. */
function startPart(script: string, env: NodeJS.ProcessEnv): Promise<Running> {
  // detached: a Ctrl-C in the terminal reaches only this process, which stops the parts in order
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script)], {
    cwd: path.resolve(__dirname, '..'),
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve({ exited, stop }));
    void exited.then((how) => reject(new Error(`${script} exited before it was ready (${JSON.stringify(how)})`)));
  });
}

/** The order parts stop in: what serves requests first, the database last. */
const STOP_ORDER = ['the server', 'the workers', 'the engine', 'PostgreSQL'];

async function main() {
  const parts: Supervised[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const part of parts.sort((a, b) => STOP_ORDER.indexOf(a.name) - STOP_ORDER.indexOf(b.name))) {
      await part.stop().catch((e: unknown) => log(`stopping ${part.name} failed: ${String(e)}`));
    }
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    const config = loadConfig();
    if (config.engine.urls.length === 0) {
      log('checking the engine build (Maven runs only when engine/ sources changed)…');
      await buildEngine();
    }
    const builtWeb = await buildWeb();
    if (builtWeb.length) log(`built web apps: ${builtWeb.join(', ')}`);

    const db = await startDatabase(config);
    const { cluster } = db;
    if (cluster) {
      const running = () => ({ exited: cluster.exited, stop: () => cluster.stop() });
      const postgres = new Supervised('PostgreSQL', () => cluster.start().then(running), log);
      parts.push(postgres);
      await postgres.run(running());
      if (cluster.leftover === 'stopped') log('stopped the PostgreSQL a previous run left running');
    }
    log(
      `PostgreSQL ${cluster ? `embedded on port ${config.embeddedPg.port} (${cluster.clusterDir.startsWith(config.rootDir) ? path.relative(config.rootDir, cluster.clusterDir) : cluster.clusterDir})` : 'from DATABASE_URL'}`,
    );

    const account = serviceAccount(config);
    let engineUrls = config.engine.urls;
    if (engineUrls.length === 0) {
      // The engine connects as hotline_engine, which must exist and own its database first.
      const prepared = await prepareSystem(db, config);
      if (prepared.migrations.length) log(`migrations applied: ${prepared.migrations.join(', ')}`);
      log(`starting the engine on ${config.engine.bind}:${config.engine.port} (heap ${config.engine.heap})…`);
      let url = '';
      const engine = new Supervised(
        'the engine',
        async () => {
          const running = await startEngine(engineOptions(config, db.engineUrl, account));
          if (running.leftover === 'stopped') log('stopped the engine a previous run left running');
          url = running.url;
          return running;
        },
        log,
      );
      parts.push(engine);
      await engine.run();
      engineUrls = [url];
    }

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: db.adminUrl,
      ENGINE_URL: engineUrls.join(','),
      ENGINE_SERVICE_USER: account.user,
      ENGINE_SERVICE_PASSWORD: account.password,
    };
    // The server first: it migrates, seeds and deploys bpmn/, which the workers' topics need.
    const server = new Supervised('the server', () => startPart('server.ts', env), log);
    parts.push(server);
    await server.run();
    const workers = new Supervised('the workers', () => startPart('workers.ts', env), log);
    parts.push(workers);
    await workers.run();

    const url = `http://${config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host}:${config.server.port}`;
    log(`ready: ${url}  (API docs ${url}/docs, engine ${engineUrls.join(', ')})`);
    if (config.mode === 'demo') {
      log(
        `demo accounts (password "${DEMO_PASSWORD}"): ${demoAccounts()
          .slice(0, 3)
          .map((a) => a.username)
          .join(', ')}, one handler per unit named by its id (e.g. xinhua, city-mgmt) and one leader per level-2 unit (e.g. xinhua-leader)`,
      );
    }
  } catch (e) {
    log(e instanceof ConfigError ? e.message : `start failed: ${e instanceof Error ? e.stack : String(e)}`);
    await shutdown(1);
  }
}

void main();
