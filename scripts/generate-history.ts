/**
 * `npm run generate:history -- [count=1000000] [years=2]`: writes realistic case history straight into
 * PostgreSQL (scripts/lib/history.ts), for the assessment reports and the benchmark. Targets DATABASE_URL,
 * or the project's embedded PostgreSQL when it is unset; migrates and seeds the network first.
 */
import { Client } from 'pg';
import { loadConfig } from '../core/config';
import { createDataSource } from '../core/db/data-source';
import { startDatabase } from '../core/db/postgres';
import { prepareDatabase } from '../core/system/prepare';
import { generateHistory } from './lib/history';

function arg(index: number, name: string, fallback: number): number {
  const raw =
    process.argv
      .slice(2)
      .find((a) => a.startsWith(`--${name}=`))
      ?.split('=')[1] ?? process.argv.slice(2).filter((a) => !a.startsWith('--'))[index];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

async function main() {
  const count = Math.round(arg(0, 'count', 1_000_000));
  const years = arg(1, 'years', 2);
  const config = loadConfig();
  const db = await startDatabase(config);
  const ds = createDataSource(db.adminUrl, 2);
  const client = new Client({ connectionString: db.adminUrl });
  try {
    await ds.initialize();
    await prepareDatabase(ds, config, db);
    await client.connect();
    const started = Date.now();
    await generateHistory(client, {
      count,
      years,
      progress: (done, total) => process.stdout.write(`生成历史工单 ${done}/${total}（${((Date.now() - started) / 1000).toFixed(0)} s）\n`),
    });
    process.stdout.write(`完成：${count} 件工单，${years} 年，用时 ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await client.end().catch(() => undefined);
    if (ds.isInitialized) await ds.destroy();
    await db.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
