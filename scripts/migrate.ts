/**
 * `npm run migrate [run|revert|show]`: the migration CLI, on the same DataSource definition the app uses.
 * Targets DATABASE_URL, or the project's embedded PostgreSQL when it is unset.
 */
import { loadConfig } from '../core/config';
import { createDataSource } from '../core/db/data-source';
import { startDatabase } from '../core/db/postgres';

async function main() {
  const command = process.argv[2] ?? 'run';
  if (!['run', 'revert', 'show'].includes(command)) throw new Error(`unknown command "${command}": use run, revert or show`);
  const db = await startDatabase(loadConfig());
  const ds = createDataSource(db.adminUrl, 2);
  await ds.initialize();
  try {
    if (command === 'run') {
      const ran = await ds.runMigrations({ transaction: 'each' });
      process.stdout.write(ran.length ? `applied: ${ran.map((m) => m.name).join(', ')}\n` : 'schema is up to date\n');
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      process.stdout.write('reverted the last migration\n');
    } else {
      process.stdout.write((await ds.showMigrations()) ? 'pending migrations exist\n' : 'schema is up to date\n');
    }
  } finally {
    await ds.destroy();
    await db.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
