/**
 * `npm run bench:import`: the history import on real volume, never a pass/fail test. Starts its own system, writes a
 * synthetic CSV of BENCH_IMPORT_ROWS work orders (default 100,000; Chinese headers, quoted fields) into a temporary
 * directory, uploads it as the admin and times upload → done (target ≤ 60 s), polling GET /api/imports/:id.
 * Ports: BENCH_IMPORT_PORTS=api,engine,pg (default 3790,18790,54790).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { CATEGORIES, CHANNEL, CHANNELS, IMPORT_COLUMN, IMPORT_COLUMNS, BEIJING_OFFSET_MS } from '../core/vocabulary';
import { startSystemProcess, stopSystemProcess } from './lib/system-process';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const [API, ENGINE, PG] = (process.env.BENCH_IMPORT_PORTS ?? '3790,18790,54790').split(',').map(Number);

const UNITS = ['city-mgmt', '市住房和城乡建设局', 'ecology', '市市场监督管理局', 'hrss', 'education', 'health', 'transport', 'xinhua', 'weidong'];
const PROBLEMS = ['小区门口占道经营，晚上收摊后垃圾遍地', '路灯不亮已经一周', '楼上漏水多次协调无果', '施工噪音扰民，夜间十一点后仍在施工', '公交站台破损'];
const ROADS = ['矿工路', '建设路', '中兴路', '开源路', '湛河路', '光明路'];

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const wallClock = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');

/** A CSV of `rows` closed work orders over the last two years, as an old platform would export it. */
function syntheticCsv(rows: number): string {
  const lines = [IMPORT_COLUMNS.map((c) => IMPORT_COLUMN[c]).join(',')];
  const start = Date.now() - 2 * 365 * 86_400_000;
  for (let i = 0; i < rows; i += 1) {
    const received = start + Math.floor((i / rows) * 700 * 86_400_000);
    const row: Record<(typeof IMPORT_COLUMNS)[number], string> = {
      content: `${PROBLEMS[i % PROBLEMS.length]}，编号${i}，希望尽快处理，"请回电"`,
      lead_unit: UNITS[i % UNITS.length],
      received_at: wallClock(received),
      closed_at: wallClock(received + (1 + (i % 10)) * 86_400_000),
      address: `新华区${ROADS[i % ROADS.length]}${i % 300}号`,
      category: CATEGORIES[i % CATEGORIES.length],
      citizen_name: `市民${i % 1000}`,
      citizen_phone: `138${String(i).padStart(8, '0')}`,
      channel: CHANNEL[CHANNELS[i % CHANNELS.length]],
    };
    lines.push(IMPORT_COLUMNS.map((c) => quote(row[c])).join(','));
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

async function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
  const file = path.join(dir, 'history.csv');
  writeFileSync(file, syntheticCsv(ROWS));
  const bytes = readFileSync(file);
  process.stdout.write(`生成 ${ROWS} 行 CSV（${(bytes.length / 1024 / 1024).toFixed(1)} MB）：${file}\n`);
  const sys = await startSystemProcess({ api: API, engine: ENGINE, pg: PG }, `.data/bench-import-pg-${PG}`, { LOG_LEVEL: 'error' });
  try {
    const login = await fetch(`${sys.api}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'hotline-demo' }),
    });
    const token = ((await login.json()) as { token: string }).token;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'text/csv' }), 'history.csv');
    const began = performance.now();
    const res = await fetch(`${sys.api}/api/imports/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const accepted = (performance.now() - began) / 1000;
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    let job: { status: string; stage: string; processed: number; total: number; imported: number; rejectedRows: number; message: unknown };
    for (;;) {
      job = (await (await fetch(`${sys.api}/api/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as typeof job;
      process.stdout.write(`\r${job.status} ${job.stage} ${job.processed}/${job.total}   `);
      if (job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - began) / 1000;
    process.stdout.write('\n');
    if (job.status !== 'done') throw new Error(`import ${job.status}: ${JSON.stringify(job.message)} (${job.rejectedRows} bad rows)`);
    const client = new Client({ connectionString: sys.db });
    await client.connect();
    const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM work_orders WHERE imported`)).rows as { n: number }[];
    await client.end();
    process.stdout.write(
      `导入 ${job.imported} 件（数据库中 imported = ${n}）：上传到 202 用时 ${accepted.toFixed(2)} s，上传到完成 ${seconds.toFixed(1)} s（目标 ≤ 60 s），${Math.round(job.imported / seconds)} 行/秒\n`,
    );
  } finally {
    await stopSystemProcess(sys.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
