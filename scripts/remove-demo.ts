/**
 * `npm run demo:remove`: deletes the demo accounts (and disables any other account whose password is the
 * public demo password) in DATABASE_URL or the embedded database, so that production mode may start.
 */
import { loadConfig } from '../core/config';
import { createDataSource } from '../core/db/data-source';
import { startDatabase } from '../core/db/postgres';
import { removeDemoAccounts } from '../core/system/demo';

async function main() {
  // The accounts are removed for production: read the database settings without demo mode's checks.
  const config = loadConfig({ ...process.env, HOTLINE_MODE: 'demo', HOST: '127.0.0.1' });
  const db = await startDatabase(config);
  const ds = createDataSource(db.adminUrl, 2);
  try {
    await ds.initialize();
    const { deleted, disabled } = await removeDemoAccounts(ds);
    process.stdout.write(`删除演示账号 / deleted demo accounts: ${deleted.length ? deleted.join(', ') : '-'}\n`);
    process.stdout.write(`停用使用演示密码的账号 / disabled accounts with the demo password: ${disabled.length ? disabled.join(', ') : '-'}\n`);
  } finally {
    if (ds.isInitialized) await ds.destroy();
    await db.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
