/**
 * ASVS V1.2.1 / V7.3.3 / V2.10.2 no fail-open defaults: the system runs as roles that are no superuser, the
 * application role cannot rewrite or disable the audit trail nor run programs, the tasklist reads only the
 * engine's two task tables, the embedded superuser's password is generated, and production refuses to start
 * while demo accounts exist.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../core/config';
import { createDataSource } from '../../core/db/data-source';
import { dropDatabase, ensureDatabase, engineUrlFor, passwordFileOf } from '../../core/db/postgres';
import { roleUrl } from '../../core/db/roles';
import { seedDemoAccounts } from '../../core/db/seed';
import { removeDemoAccounts } from '../../core/system/demo';
import { prepareDatabase } from '../../core/system/prepare';
import { sql } from './helpers';
import { stack } from './setup/stack';

async function as<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const refused = (url: string, statement: string) =>
  expect(as(url, (c) => c.query(statement))).rejects.toThrow(/permission denied|must be (superuser|owner)|privileges of/);

describe('ASVS V1.2.1 / V7.3.3 least privilege in the database', () => {
  const appUrl = () => roleUrl(stack.db, 'hotline_app', stack.db);
  const taskListUrl = () => roleUrl(engineUrlFor(stack.db), 'hotline_tasklist', stack.db);

  it('the server, the workers, the engine and the tasklist connect as roles that are no superuser', async () => {
    const rows = await sql<{ usename: string; rolsuper: boolean }>(
      `SELECT DISTINCT a.usename, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
        WHERE a.application_name IN ('hotline', 'hotline-accounts', 'hotline-tasklist', 'PostgreSQL JDBC Driver')`,
    );
    expect(rows.map((r) => r.usename).sort()).toEqual(expect.arrayContaining(['hotline_app', 'hotline_engine']));
    expect(rows.filter((r) => r.rolsuper)).toEqual([]);
  });

  it('the application role cannot delete from, truncate, alter or disable the triggers of audit_log', async () => {
    expect((await as(appUrl(), (c) => c.query('SELECT count(*) FROM audit_log'))).rowCount).toBe(1);
    await refused(appUrl(), 'DELETE FROM audit_log');
    await refused(appUrl(), 'UPDATE audit_log SET username = username');
    await refused(appUrl(), 'TRUNCATE audit_log');
    await refused(appUrl(), 'ALTER TABLE audit_log DISABLE TRIGGER ALL');
    await refused(appUrl(), 'DROP TABLE audit_log');
    await refused(appUrl(), 'TRUNCATE case_events');
  });

  it('the application role cannot run a program on the database server (COPY … PROGRAM) nor create roles', async () => {
    await refused(appUrl(), "COPY (SELECT 1) TO PROGRAM 'touch /tmp/hotline-copy-program'");
    await refused(appUrl(), 'CREATE ROLE intruder SUPERUSER');
  });

  it('the tasklist role reads the two task tables and nothing else: not work_orders, not the engine’s other tables', async () => {
    await as(taskListUrl(), (c) => c.query('SELECT count(*) FROM act_ru_task JOIN act_ru_identitylink ON true LIMIT 1'));
    await refused(taskListUrl(), 'SELECT * FROM act_ru_variable LIMIT 1');
    await refused(taskListUrl(), 'SELECT * FROM act_ge_bytearray LIMIT 1');
    const onAppDb = new URL(taskListUrl());
    onAppDb.pathname = '/hotline';
    await expect(as(onAppDb.toString(), (c) => c.query('SELECT * FROM work_orders LIMIT 1'))).rejects.toThrow(/permission denied/);
  });

  it('the embedded superuser has a generated password in a file only its owner reads; the old fixed one no longer logs in', async () => {
    const file = passwordFileOf(path.resolve(__dirname, '../..', stack.dataDir));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const fixed = new URL(stack.db);
    fixed.password = 'hotline-embedded';
    await expect(as(fixed.toString(), (c) => c.query('SELECT 1'))).rejects.toThrow(/password authentication failed/);
  });
});

describe('ASVS V2.10.2 production refuses demo credentials', () => {
  const url = (() => {
    const u = new URL(stack.db);
    u.pathname = '/hotline_production_check';
    return u.toString();
  })();
  const production = loadConfig({ HOTLINE_MODE: 'production', AUTH_SECRET: 'p'.repeat(40) });
  const noRoles = { managedRoles: false, adminUrl: url, engineAdminUrl: url };

  afterAll(() => dropDatabase(url));

  it('production start stops while demo accounts exist, naming npm run demo:remove; after it, the start goes on', async () => {
    await ensureDatabase(url);
    const ds = createDataSource(url, 2);
    await ds.initialize();
    try {
      await expect(prepareDatabase(ds, production, noRoles)).resolves.toBeDefined();
      await seedDemoAccounts(ds);
      await ds.query(
        `INSERT INTO users(username, password_hash, display_name, roles) SELECT 'someone', password_hash, '某人', ARRAY['office'] FROM users WHERE username = 'admin'`,
      );
      await expect(prepareDatabase(ds, production, noRoles)).rejects.toThrow(/npm run demo:remove/);

      const removed = await removeDemoAccounts(ds);
      expect(removed.deleted).toEqual(expect.arrayContaining(['admin', 'operator', 'office']));
      expect(removed.disabled).toEqual(['someone']);
      await expect(prepareDatabase(ds, production, noRoles)).resolves.toBeDefined();
      expect(await ds.query(`SELECT active FROM users WHERE username = 'someone'`)).toEqual([{ active: false }]);
    } finally {
      await ds.destroy();
    }
  });
});
