/**
 * A cluster on one machine, for the cluster tests (tests/cluster/) and the benchmark (scripts/bench.ts): one
 * embedded PostgreSQL (this process runs it), and engine nodes, worker processes and servers started through
 * their own entry points (`npm run engine`, `npm run workers`, `npm run server`) as separate processes, which a
 * test may kill -9 and start again. Any part may be absent: no server and no workers is a bare engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import { startDatabase, engineUrlFor, type DatabaseHandle } from '../../core/db/postgres';
import { basicAuth, serviceAccount, type ServiceAccount } from '../../core/engine/credentials';
import { buildWeb } from '../build-web';
import { buildEngine, enginePidFile } from '../engine';
import { pidIn } from './own-process';

const ROOT = path.resolve(__dirname, '../..');

export interface ClusterLayout {
  /** The embedded PostgreSQL's port; its data directory is .data/cluster-pg-<port>, fresh at every start. */
  pg: number;
  /** One engine node per port. */
  engines: number[];
  /** One server per port (none: no server). */
  apis: number[];
  /** How many worker processes, each polling every node. */
  workers: number;
  /** Over the defaults every part gets (ENGINE_HEAP 512m, LOGIN_RATE_LIMIT 10000, WORKER_RETRY_BACKOFF_MS 500, LOG_LEVEL error). */
  env?: Record<string, string>;
}

export type Kind = 'engine' | 'workers' | 'server';

/** One process of the cluster, by kind and index; `start()` again after a kill. */
export class Part {
  child: ChildProcess | null = null;
  output = '';

  constructor(
    readonly kind: Kind,
    readonly index: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get name() {
    return `${this.kind}-${this.index}`;
  }

  /** Starts the entry point and resolves when it says it is ready. */
  start(): Promise<void> {
    const script = { engine: 'scripts/engine.ts', workers: 'scripts/workers.ts', server: 'scripts/server.ts' }[this.kind];
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...(this.kind === 'engine' ? ['run'] : [])], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const ready = `[${this.kind}] ready`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name} not ready in 5 minutes:\n${this.output.slice(-3000)}`)), 5 * 60_000);
      const onData = (d: Buffer) => {
        this.output = (this.output + d.toString()).slice(-20_000);
        if (this.output.includes(ready)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited with ${code} before it was ready:\n${this.output.slice(-3000)}`));
      });
    });
  }

  /** The process that does the work: the JVM for an engine node (the launcher ends with it), else the Node process. */
  workPid(): number {
    if (this.kind === 'engine') return pidIn(enginePidFile(Number(this.env.ENGINE_PORT)))!;
    return this.child!.pid!;
  }

  /** kill -9 of the working process; resolves once the part's process has gone. */
  async crash(): Promise<void> {
    const child = this.child!;
    const gone = new Promise((r) => child.once('exit', r));
    process.kill(this.workPid(), 'SIGKILL');
    await gone;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await gone;
    clearTimeout(timer);
  }
}

export interface Cluster {
  db: DatabaseHandle;
  engines: Part[];
  workers: Part[];
  servers: Part[];
  apis: string[];
  engineUrls: string[];
  /** The engine's database as its administrator (ACT_HI_PROCINST, incidents). */
  engineDb: string;
  engineAuth: string;
  /** The engine's REST account (the workers' and servers'). */
  account: ServiceAccount;
  stop(): Promise<void>;
}

export async function startCluster(layout: ClusterLayout, log: (msg: string) => void): Promise<Cluster> {
  await buildEngine();
  if (layout.apis.length) await buildWeb();
  const dataDir = `.data/cluster-pg-${layout.pg}`;
  rmSync(path.join(ROOT, dataDir), { recursive: true, force: true });
  const config = loadConfig({ EMBEDDED_PG_PORT: String(layout.pg), EMBEDDED_PG_DIR: dataDir });
  const db = await startDatabase(config);
  const account = serviceAccount(loadConfig());
  const engineUrls = layout.engines.map((p) => `http://127.0.0.1:${p}/engine-rest`);
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    HOTLINE_MODE: 'demo',
    DATABASE_URL: db.adminUrl,
    ENGINE_URL: engineUrls.join(','),
    ENGINE_SERVICE_USER: account.user,
    ENGINE_SERVICE_PASSWORD: account.password,
    ENGINE_HEAP: process.env.ENGINE_HEAP ?? '512m',
    LOGIN_RATE_LIMIT: '10000',
    WORKER_RETRY_BACKOFF_MS: '500',
    LOG_LEVEL: 'error',
    ...layout.env,
  };
  delete base.EMBEDDED_PG_PASSWORD;
  const engines = layout.engines.map((port, i) => new Part('engine', i, { ...base, ENGINE_PORT: String(port) }));
  const servers = layout.apis.map((port, i) => new Part('server', i, { ...base, PORT: String(port) }));
  const workers = Array.from({ length: layout.workers }, (_, i) => new Part('workers', i, base));
  const all = [...servers, ...workers, ...engines];
  const cluster: Cluster = {
    db,
    engines,
    workers,
    servers,
    apis: layout.apis.map((p) => `http://127.0.0.1:${p}`),
    engineUrls,
    engineDb: engineUrlFor(db.adminUrl),
    engineAuth: basicAuth(account),
    account,
    async stop() {
      for (const part of all) await part.stop();
      await db.stop();
    },
  };
  try {
    // all at once, as a deployment would: the system lock lets one of them migrate, seed and deploy
    let t = Date.now();
    await Promise.all(engines.map((e) => e.start()));
    log(`engines ready in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    t = Date.now();
    await Promise.all(servers.map((s) => s.start()));
    await Promise.all(workers.map((w) => w.start()));
    log(`servers and workers ready in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}
