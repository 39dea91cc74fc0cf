/**
 * `node --import tsx scripts/profile-annual.ts`: the annual report on PostgreSQL alone (no engine: the weights
 * decision is stubbed), for iterating on the report queries. Writes PROFILE_HISTORY work orders (default 200,000)
 * into an embedded PostgreSQL at PROFILE_PG_DIR/PROFILE_PG_PORT once, then times compileReport for the busiest year
 * and each report query alone. PROFILE_EXPLAIN=1 prints EXPLAIN ANALYZE of the queries over 500 ms.
 *
 * The annual report sums monthly aggregates (core/reports/months.ts): the script first times building the year's
 * stale months, then compileReport from the months and computed live (as before them) in turns, and checks that both
 * give the same indicators. PROFILE_PG_DIR may name the data directory another run (bench:reports) left behind.
 */
import { writeFileSync } from 'node:fs';
import { Client } from 'pg';
import { loadConfig } from '../core/config';
import { createDataSource } from '../core/db/data-source';
import { startDatabase } from '../core/db/postgres';
import type { EngineClient } from '../core/engine/client';
import { compileReport } from '../core/reports/compile';
import { computeHotspots, SQL as HOTSPOT_SQL } from '../core/reports/hotspots';
import { isDeepStrictEqual } from 'node:util';
import { computeIndicators, SQL, SUB_SQL } from '../core/reports/indicators';
import { BUILD_SQL, monthIndicators, monthsOf, READ_SQL, refreshMonths } from '../core/reports/months';
import { parsePeriod } from '../core/reports/period';
import { computeTypicalCases, TYPICAL_SQL } from '../core/reports/typical';
import { prepareDatabase } from '../core/system/prepare';
import { generateHistory } from './lib/history';

const HISTORY = Number(process.env.PROFILE_HISTORY ?? 200_000);

async function main() {
  process.env.EMBEDDED_PG_PORT ??= process.env.PROFILE_PG_PORT ?? '55171';
  process.env.EMBEDDED_PG_DIR ??= process.env.PROFILE_PG_DIR ?? `.data/profile-annual-${HISTORY}`;
  const config = loadConfig();
  const db = await startDatabase(config);
  const ds = createDataSource(db.adminUrl, 20);
  const client = new Client({ connectionString: db.adminUrl });
  try {
    await ds.initialize();
    await client.connect();
    for (const sql of (process.env.PROFILE_PRE ?? '').split(';').filter((q) => q.trim())) await client.query(sql);
    await prepareDatabase(ds, config, db);
    const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM work_orders')).rows;
    if (n === 0) {
      const t = performance.now();
      await generateHistory(client, { count: HISTORY, years: 2, progress: (d, total) => process.stdout.write(`\r${d}/${total}`) });
      process.stdout.write(`\ngenerated in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
    }
    for (const sql of (process.env.PROFILE_SETUP ?? '').split(';').filter((q) => q.trim())) await client.query(sql);
    const [{ year }] = (
      await client.query(
        `SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY') AS year FROM work_orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      )
    ).rows;
    const period = parsePeriod('annual', year)!;
    const decision = Object.fromEntries(
      [
        ...['onTimeRate', 'satisfaction', 'solvedRate', 'supervisionPenalty'].map((w) => [w, 1]),
        ['praiseCount', 3],
        ['criticiseCount', 3],
        ['minCases', 10],
        ['typicalCases', 5],
      ].map(([k, v]) => [k, { value: v }]),
    );
    const engine = { evaluateDecision: async () => [decision] } as unknown as EngineClient;
    if (process.env.PROFILE_OUT) {
      // The report itself, to compare two versions of the queries (compiledAt aside).
      const { compiledAt: _, ...report } = await compileReport(ds, engine, period);
      writeFileSync(process.env.PROFILE_OUT, JSON.stringify(report, null, 1));
      return;
    }
    const months = monthsOf(period);
    let t = performance.now();
    const rebuilt = await refreshMonths(ds, months);
    process.stdout.write(`monthly aggregates of ${year}: ${rebuilt} of 12 months rebuilt in ${(performance.now() - t).toFixed(0)} ms\n`);
    for (let i = 0; i < 3; i++) {
      for (const source of ['months', 'live'] as const) {
        t = performance.now();
        await compileReport(ds, engine, period, source);
        process.stdout.write(`compileReport annual ${year} (${source}): ${(performance.now() - t).toFixed(0)} ms\n`);
      }
    }
    const [fromMonths, live] = [await monthIndicators(ds, period), await computeIndicators(ds, period)];
    process.stdout.write(`indicators from the months and live: ${isDeepStrictEqual(fromMonths, live) ? 'identical' : 'DIFFERENT'}\n`);
    if (!isDeepStrictEqual(fromMonths, live)) {
      process.stdout.write(`${JSON.stringify({ months: fromMonths.city, live: live.city })}\n`);
      process.exitCode = 1;
    }
    for (const [name, part] of [
      ['computeIndicators (months)', () => monthIndicators(ds, period)],
      ['computeIndicators (live)', () => computeIndicators(ds, period)],
      ['computeHotspots', () => computeHotspots(ds, period)],
      ['computeTypicalCases', () => computeTypicalCases(ds, period, 5)],
    ] as const) {
      const t = performance.now();
      await part();
      process.stdout.write(`${name}: ${(performance.now() - t).toFixed(0)} ms\n`);
    }
    const queries: [string, string, unknown[]][] = [
      ...Object.entries(SQL).map(([k, s]): [string, string, unknown[]] => [`SQL.${k}`, s, [period.from, period.to]]),
      ...Object.entries(SUB_SQL).map(([k, s]): [string, string, unknown[]] => [`SUB_SQL.${k}`, s, [period.from, period.to]]),
      ...Object.entries(READ_SQL).map(([k, s]): [string, string, unknown[]] => [`READ_SQL.${k}`, s, [period.from, period.to]]),

      ...Object.entries(HOTSPOT_SQL).map(([k, s]): [string, string, unknown[]] => [
        `HOTSPOT.${k}`,
        s,
        k === 'contents' ? [period.from, period.to, 25] : [period.from, period.to],
      ]),
      ...Object.entries(TYPICAL_SQL).map(([k, s]): [string, string, unknown[]] => [`TYPICAL.${k}`, s, [period.from, period.to, 5]]),
    ];
    for (const [name, sql, args] of queries) {
      const t = performance.now();
      await client.query(sql, args);
      const msTaken = performance.now() - t;
      process.stdout.write(`${name}: ${msTaken.toFixed(0)} ms\n`);
      if (process.env.PROFILE_EXPLAIN && msTaken > Number(process.env.PROFILE_EXPLAIN_MS ?? 300)) {
        const plan = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, args);
        process.stdout.write(plan.rows.map((r) => r['QUERY PLAN']).join('\n') + '\n');
      }
    }
    // Each part of one month's rebuild (the busiest: the last), in a transaction rolled back.
    const month = months[months.length - 1];
    await client.query('BEGIN');
    await client.query(`DELETE FROM report_months WHERE month = $1`, [month.from]);
    for (const [name, sql] of Object.entries(BUILD_SQL)) {
      const t = performance.now();
      await client.query(sql, sql.includes('$3') ? [month.from, month.to, period.from] : [month.from, month.to]);
      process.stdout.write(`BUILD_SQL.${name} (${month.label}): ${(performance.now() - t).toFixed(0)} ms\n`);
    }
    await client.query('ROLLBACK');
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
