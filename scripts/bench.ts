/**
 * `npm run bench`: performance figures for the spine, never a pass/fail test.
 *  (a) intake: POST /api/cases throughput and p50/p99 latency at a fixed concurrency;
 *  (b) end to end: cases per second through the whole slice, a driver completing every human task via the API;
 *  (c) the engine's bare POST /process-definition/key/hotlineCase/start in the same run, and the ratio (a)/(c);
 *  (f) the outbox relay's drain rate: a backlog of accepted intakes (held back, then released at once) becoming
 *      running processes, beside (c);
 *  (g) GET /api/suggestions p50/p99 at 8 in flight, cold and after training on imported history
 *      (scripts/lib/bench-suggestions.ts). BENCH_ONLY=suggestions runs (g) alone.
 * It starts its own system on its own ports (BENCH_API_PORT, BENCH_ENGINE_PORT, BENCH_PG_PORT) and data
 * directory, and stops it at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCaseRepository } from '../core/cases/repository';
import { createDataSource } from '../core/db/data-source';
import { toEngineVariables } from '../core/engine/client';
import { startVariables } from '../core/operations/intake';
import { enqueue, OUTBOX_CHANNEL } from '../core/operations/outbox';
import { loadConfig } from '../core/config';
import { basicAuth, serviceAccount } from '../core/engine/credentials';
import { benchSuggestions } from './lib/bench-suggestions';
import { ROOT, startSystemProcess, stopSystemProcess } from './lib/system-process';

const INTAKE_REQUESTS = Number(process.env.BENCH_INTAKE ?? 1000);
const ENGINE_REQUESTS = Number(process.env.BENCH_ENGINE ?? 1000);
const E2E_CASES = Number(process.env.BENCH_E2E ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const E2E_CONCURRENCY = Number(process.env.BENCH_E2E_CONCURRENCY ?? 8);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 1000);
const PORTS = {
  api: Number(process.env.BENCH_API_PORT ?? 3590),
  engine: Number(process.env.BENCH_ENGINE_PORT ?? 18590),
  pg: Number(process.env.BENCH_PG_PORT ?? 54590),
};
/** The smallest document the upload accepts (its bytes are sniffed), attached to every feedback. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Run {
  count: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Runs `count` calls of `one` with `concurrency` in flight; measures each call. */
async function load(count: number, concurrency: number, one: (i: number) => Promise<boolean>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const t = performance.now();
        const ok = await one(i).catch(() => false);
        latencies.push(performance.now() - t);
        if (!ok) errors++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count, seconds, perSecond: count / seconds, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99), errors };
}

async function main() {
  const sys = await startSystemProcess(PORTS, `.data/bench-pg-${PORTS.pg}`, { LOGIN_RATE_LIMIT: '1000', LOG_LEVEL: 'error' });
  try {
    const engineAuth = basicAuth(serviceAccount(loadConfig()));
    const json = async (method: string, url: string, token?: string, body?: unknown) => {
      const res = await fetch(url, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : url.startsWith(sys.engine) ? { authorization: engineAuth } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    };
    const login = async (u: string) =>
      (await json('POST', `${sys.api}/api/auth/login`, undefined, { username: u, password: 'hotline-demo' })).body.token as string;
    const [operator, office, unit, leader] = [await login('operator'), await login('office'), await login('xinhua'), await login('xinhua-leader')];
    const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
    const fmt = (r: Run) =>
      `${r.count} in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s, p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms, errors ${r.errors}`;
    const out = path.join(ROOT, 'bench-results');
    mkdirSync(out, { recursive: true });

    // (g) first, on a fresh system: the model is trained on the imported history alone.
    const g = await benchSuggestions(sys.api, json, load, { office, admin: await login('admin') });
    const suggestionLines = [
      `(g) GET /api/suggestions, 8 in flight, cold (派单目录 only): ${fmt(g.cold)}`,
      `(g) trained on ${g.training.samples} imported work orders in ${g.training.seconds.toFixed(1)} s (v${g.training.version} ${g.training.status}, held-back top-1 ${(100 * g.training.heldBackAccuracy).toFixed(1)}%); GET /api/suggestions, 8 in flight: ${fmt(g.trained)}`,
    ];
    if (process.env.BENCH_ONLY === 'suggestions') {
      process.stdout.write(`\nmachine: ${machine}\n${suggestionLines.join('\n')}\n`);
      writeFileSync(path.join(out, 'suggestions.json'), JSON.stringify({ machine, at: new Date().toISOString(), ...g }, null, 2));
      return;
    }
    const complaint = (i: number) => ({
      channel: 'phone',
      citizen: { name: `市民${i}`, phone: `1380000${String(i).padStart(4, '0')}` },
      address: '新华区矿工路128号',
      content: `第${i}号：小区门口占道经营，影响通行`,
    });
    const intake = (i: number) => json('POST', `${sys.api}/api/cases`, operator, complaint(i));

    await load(100, CONCURRENCY, async (i) => (await intake(100000 + i)).status === 201);

    const a = await load(INTAKE_REQUESTS, CONCURRENCY, async (i) => (await intake(i)).status === 201);
    const c = await load(ENGINE_REQUESTS, CONCURRENCY, async (i) => {
      const vars = toEngineVariables({
        caseId: randomUUID(),
        caseCode: `bench-${i}`,
        channel: 'phone',
        address: '新华区矿工路128号',
        content: `第${i}号：小区门口占道经营，影响通行`,
      });
      const res = await json('POST', `${sys.engine}/process-definition/key/hotlineCase/start`, undefined, {
        businessKey: `bench-${i}`,
        variables: vars,
        withVariablesInReturn: true,
      });
      return res.status === 200;
    });

    const waitTask = async (caseId: string, key: string) => {
      for (let n = 0; n < 2000; n++) {
        const c2 = await json('GET', `${sys.api}/api/cases/${caseId}`, office);
        const t = c2.body.tasks?.find((x: { taskKey: string }) => x.taskKey === key);
        if (t) return t.id as string;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no ${key} task`);
    };
    const done = (status: number) => status === 204;
    const b = await load(E2E_CASES, E2E_CONCURRENCY, async (i) => {
      const created = (await intake(200000 + i)).body;
      const complete = async (token: string, key: string, variables: unknown) =>
        done((await json('POST', `${sys.api}/api/tasks/${await waitTask(created.id, key)}/complete`, token, { variables })).status);
      if (!(await complete(office, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' }))) return false;
      // 五(四): every feedback carries a picture or document and the unit leader's sign-off
      const photo = new FormData();
      photo.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), '办理过程.pdf');
      const uploaded = await fetch(`${sys.api}/api/cases/${created.id}/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${unit}` },
        body: photo,
      });
      if (uploaded.status !== 201) return false;
      const attachmentIds = [((await uploaded.json()) as { id: string }).id];
      const feedback = {
        handledAt: new Date().toISOString(),
        responsible: { name: '李明', title: '队长', phone: '0375-2345678' },
        process: '现场核查',
        result: '已处理',
        attachmentIds,
      };
      if (!(await complete(unit, 'handle', { outcome: 'feedback', feedback }))) return false;
      if (!(await complete(leader, 'leaderSignoff', { signoffApproved: true }))) return false;
      if (!(await complete(office, 'review', { reviewOutcome: 'accept' }))) return false;
      const revisit = { reached: true, solved: true, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied', truthful: true };
      if (!(await complete(office, 'revisit', { revisit }))) return false;
      if (!(await complete(unit, 'unitRevisit', { revisit }))) return false;
      for (let n = 0; n < 2000; n++) {
        if ((await json('GET', `${sys.api}/api/cases/${created.id}`, office)).body.status === 'closed') return true;
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    });

    // (f) accepted intakes written as intake writes them, each claimed for a long while so no relay starts it yet;
    // then every claim is dropped at once and the server's relay drains the backlog.
    const ds = createDataSource(sys.db, 8);
    await ds.initialize();
    let f: { count: number; seconds: number; perSecond: number };
    let held: Run;
    try {
      const cases = createCaseRepository(ds);
      held = await load(BACKLOG, CONCURRENCY, async (i) => {
        await cases.register(
          { channel: 'phone', citizenName: `市民${i}`, citizenPhone: '13800000000', address: '新华区矿工路128号', content: `积压第${i}号：占道经营` },
          'bench',
          { category: 'B', unitId: null, source: null },
          async (tx, wo) => {
            await enqueue(tx, 'process-start', wo.code, wo.id, { businessKey: wo.code, variables: startVariables(wo) }, 3_600_000);
          },
        );
        return true;
      });
      const began = performance.now();
      await ds.transaction(async (tx) => {
        await tx.query(`UPDATE outbox SET locked_until = NULL WHERE kind = 'process-start' AND done_at IS NULL`);
        await tx.query(`SELECT pg_notify($1, 'process-start')`, [OUTBOX_CHANNEL]);
      });
      for (;;) {
        const [{ pending }] = await ds.query(`SELECT count(*)::int AS pending FROM outbox WHERE kind = 'process-start' AND done_at IS NULL`);
        if (pending === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const seconds = (performance.now() - began) / 1000;
      f = { count: BACKLOG, seconds, perSecond: BACKLOG / seconds };
    } finally {
      await ds.destroy();
    }

    const lines = [
      `machine: ${machine}`,
      `(a) POST /api/cases, concurrency ${CONCURRENCY}: ${fmt(a)}`,
      `(b) end to end through the slice (intake → dispatch → handle with attachment → leader sign-off → review → revisit → unit revisit → closed), ${E2E_CONCURRENCY} in flight: ${fmt(b)} (latency = one whole case)`,
      `(c) engine bare start, concurrency ${CONCURRENCY}: ${fmt(c)}`,
      `ratio (a)/(c) throughput: ${(a.perSecond / c.perSecond).toFixed(2)}`,
      `(f0) the intake transaction alone (work order, events, outbox row; no HTTP, no relay at work), concurrency ${CONCURRENCY}: ${fmt(held)}`,
      `(f) relay drain: a backlog of ${f.count} accepted intakes started in ${f.seconds.toFixed(1)} s = ${f.perSecond.toFixed(1)}/s; ratio (f)/(c): ${(f.perSecond / c.perSecond).toFixed(2)}`,
      ...suggestionLines,
    ];
    process.stdout.write(`\n${lines.join('\n')}\n`);
    writeFileSync(
      path.join(out, 'latest.json'),
      JSON.stringify(
        {
          machine,
          at: new Date().toISOString(),
          intake: a,
          endToEnd: b,
          engineStart: c,
          ratio: a.perSecond / c.perSecond,
          intakeTransaction: held,
          relayDrain: f,
          suggestions: g,
        },
        null,
        2,
      ),
    );
  } finally {
    await stopSystemProcess(sys.child);
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
