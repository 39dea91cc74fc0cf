/**
 * Least privilege in the database. Migrations and seeding run as the administrator that owns the schema;
 * the system itself runs as three roles that are no superuser and own nothing of the application:
 *
 * - `hotline_app` (server, workers): SELECT/INSERT/UPDATE/DELETE on the application tables, but only SELECT
 *   and INSERT on `audit_log` and `case_events` — it cannot rewrite, truncate or (not being the owner) alter
 *   or disable the triggers of the audit trail;
 * - `hotline_engine` (the engine): owns the engine's database and its tables;
 * - `hotline_tasklist` (the tasklist's read): SELECT on ACT_RU_TASK and ACT_RU_IDENTITYLINK only.
 *
 * Their passwords are derived from the administrator's (HMAC), so nothing more is stored; every start sets
 * them again, which also follows a changed administrator password. Everything here is idempotent.
 */
import { createHmac } from 'node:crypto';
import { Client } from 'pg';

export type RoleName = 'hotline_app' | 'hotline_engine' | 'hotline_tasklist';
export const ROLES: readonly RoleName[] = ['hotline_app', 'hotline_engine', 'hotline_tasklist'];

/** Tables whose rows are never rewritten (their triggers refuse UPDATE and DELETE; the grants refuse TRUNCATE too). */
export const APPEND_ONLY_TABLES = ['audit_log', 'case_events'] as const;

/** The engine's tables the tasklist reads (core/engine/task-list.ts). */
export const TASKLIST_TABLES = ['act_ru_task', 'act_ru_identitylink'] as const;

export function rolePassword(adminUrl: string, role: RoleName): string {
  return createHmac('sha256', decodeURIComponent(new URL(adminUrl).password))
    .update(`hotline-role:${role}`)
    .digest('base64url');
}

/** `base` (same server and database) as `role`. */
export function roleUrl(base: string, role: RoleName, adminUrl: string): string {
  const u = new URL(base);
  u.username = role;
  u.password = encodeURIComponent(rolePassword(adminUrl, role));
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const database = (url: string) => decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));

/**
 * Creates the roles, grants the application's tables to hotline_app (run after migrations, so every table
 * exists) and hands the engine's database and its tables to hotline_engine (before the engine starts).
 */
export async function ensureRoles(adminUrl: string, engineAdminUrl: string): Promise<void> {
  const appDb = database(adminUrl);
  const engineDb = database(engineAdminUrl);
  await withClient(adminUrl, async (c) => {
    for (const role of ROLES) {
      const exists = (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role])).rowCount === 1;
      const password = c.escapeLiteral(rolePassword(adminUrl, role));
      await c.query(`${exists ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${password}`);
    }
    await c.query(`REVOKE ALL ON DATABASE "${appDb}" FROM PUBLIC`);
    await c.query(`GRANT CONNECT, TEMPORARY ON DATABASE "${appDb}" TO hotline_app`);
    await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await c.query('GRANT USAGE ON SCHEMA public TO hotline_app');
    await c.query('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO hotline_app');
    await c.query('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO hotline_app');
    for (const table of APPEND_ONLY_TABLES) await c.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM hotline_app`);
    await c.query(`ALTER DATABASE "${engineDb}" OWNER TO hotline_engine`);
    await c.query(`REVOKE ALL ON DATABASE "${engineDb}" FROM PUBLIC`);
    await c.query(`GRANT CONNECT ON DATABASE "${engineDb}" TO hotline_engine, hotline_tasklist`);
  });
  await withClient(engineAdminUrl, async (c) => {
    await c.query('ALTER SCHEMA public OWNER TO hotline_engine');
    await c.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    // Tables the engine created while it still ran as the administrator (installations from before).
    const { rows } = await c.query<{ kind: string; name: string }>(
      `SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END AS kind, c.relname AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v') AND pg_get_userbyid(c.relowner) <> 'hotline_engine'`,
    );
    for (const r of rows) await c.query(`ALTER ${r.kind} "${r.name}" OWNER TO hotline_engine`);
  });
}

/** Lets the tasklist read the engine's two task tables, once the engine has created them. */
export async function grantTaskListRead(engineAdminUrl: string): Promise<void> {
  await withClient(engineAdminUrl, async (c) => {
    await c.query('GRANT USAGE ON SCHEMA public TO hotline_tasklist');
    for (const table of TASKLIST_TABLES) {
      const exists = (await c.query('SELECT to_regclass($1) IS NOT NULL AS ok', [table])).rows[0].ok;
      if (exists) await c.query(`GRANT SELECT ON ${table} TO hotline_tasklist`);
    }
  });
}
