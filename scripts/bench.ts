/**
 * `npm run bench`: performance figures for the spine, never a pass/fail test.
 *  (a) intake: POST /api/cases throughput and p50/p99 latency at a fixed concurrency;
 *  (b) end to end: cases per second through the whole slice, a driver completing every human task via the API;
 *  (c) the engine's bare POST /process-definition/key/hotlineCase/start in the same run, and the ratio (a)/(c);
 *  (f) the outbox relay's drain rate: a backlog of accepted intakes (held back, then released at once) becoming
 *      running processes, beside (c);
 *  (g) GET /api/suggestions p50/p99 at 8 in flight, cold and after training on imported history
 *      (scripts/lib/bench-suggestions.ts). BENCH_ONLY=suggestions runs (g) alone;
 *  (d) (b)'s driver against two engine nodes on one PostgreSQL (one server, one workers process, both pointed at
 *      both nodes: scripts/lib/cluster.ts, as the cluster tests start them);
 *  (e) the engine's own ceiling for the same work: `hotlineCase` driven straight through the engine's REST API,
 *      its external tasks completed by workers that do no work (scripts/lib/bench-ceiling.ts), and the ratio (b)/(e).
 *      BENCH_ONLY=ceiling runs (b), (d) and (e) alone.
 * It starts its own system on its own ports (BENCH_API_PORT, BENCH_ENGINE_PORT, BENCH_PG_PORT) and data
 * directory, and stops it at the end; then, one after the other, (d)'s cluster on the ports after those (API +1,
 * engines +1 and +2, PostgreSQL +1) and (e)'s bare engine (engine +3, PostgreSQL +2).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCaseRepository } from '../core/cases/repository';
import { createDataSource } from '../core/db/data-source';
import { EngineClient, toEngineVariables } from '../core/engine/client';
import { startVariables } from '../core/operations/intake';
import { enqueue, OUTBOX_CHANNEL } from '../core/operations/outbox';
import { loadConfig } from '../core/config';
import { basicAuth, serviceAccount } from '../core/engine/credentials';
import { deployDiagrams } from '../core/system/deploy';
import { engineCase, startIdleWorkers, type Json } from './lib/bench-ceiling';
import { benchSuggestions, type Timed } from './lib/bench-suggestions';
import { startCluster, type Cluster, type ClusterLayout } from './lib/cluster';
import { ROOT, startSystemProcess, stopSystemProcess } from './lib/system-process';

const INTAKE_REQUESTS = Number(process.env.BENCH_INTAKE ?? 1000);
const ENGINE_REQUESTS = Number(process.env.BENCH_ENGINE ?? 1000);
const E2E_CASES = Number(process.env.BENCH_E2E ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const E2E_CONCURRENCY = Number(process.env.BENCH_E2E_CONCURRENCY ?? 8);
/** Cases walked before each end-to-end figure ((b), (d), (e)) is taken, untimed: a fresh JVM warms up first. */
const E2E_WARMUP = Number(process.env.BENCH_E2E_WARMUP ?? 10);
const ONLY = process.env.BENCH_ONLY;
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 1000);
const PORTS = {
  api: Number(process.env.BENCH_API_PORT ?? 3590),
  engine: Number(process.env.BENCH_ENGINE_PORT ?? 18590),
  pg: Number(process.env.BENCH_PG_PORT ?? 54590),
};
/** The smallest document the upload accepts (its bytes are sniffed), attached to every feedback. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

type Run = Timed;

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

/** JSON over HTTP: a bearer token for the API, the service account for an engine node's REST API. */
function jsonClient(engineAuth: string): Json {
  return async (method, url, token, body) => {
    const res = await fetch(url, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : url.includes('/engine-rest') ? { authorization: engineAuth } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

interface Tokens {
  operator: string;
  office: string;
  unit: string;
  leader: string;
}

async function login(json: Json, api: string, username: string): Promise<string> {
  return (await json('POST', `${api}/api/auth/login`, undefined, { username, password: 'hotline-demo' })).body.token as string;
}

async function loginAll(json: Json, api: string): Promise<Tokens> {
  const [operator, office, unit, leader] = [
    await login(json, api, 'operator'),
    await login(json, api, 'office'),
    await login(json, api, 'xinhua'),
    await login(json, api, 'xinhua-leader'),
  ];
  return { operator, office, unit, leader };
}

const complaint = (i: number) => ({
  channel: 'phone',
  citizen: { name: `市民${i}`, phone: `1380000${String(i).padStart(4, '0')}` },
  address: '新华区矿工路128号',
  content: `第${i}号：小区门口占道经营，影响通行`,
});

/**
 * The driver of (b) and (d): case `first + i` through the whole slice via the API, every human task completed as
 * its person would — intake → dispatch → handle with attachment → leader sign-off → review → revisit → unit
 * revisit → closed.
 */
function sliceCase(json: Json, api: string, t: Tokens, first: number): (i: number) => Promise<boolean> {
  const waitTask = async (caseId: string, key: string) => {
    for (let n = 0; n < 2000; n++) {
      const c2 = await json('GET', `${api}/api/cases/${caseId}`, t.office);
      const found = c2.body.tasks?.find((x: { taskKey: string }) => x.taskKey === key);
      if (found) return found.id as string;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no ${key} task`);
  };
  const done = (status: number) => status === 204;
  return async (i) => {
    const created = (await json('POST', `${api}/api/cases`, t.operator, complaint(first + i))).body;
    const complete = async (token: string, key: string, variables: unknown) =>
      done((await json('POST', `${api}/api/tasks/${await waitTask(created.id, key)}/complete`, token, { variables })).status);
    if (!(await complete(t.office, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' }))) return false;
    // 五(四): every feedback carries a picture or document and the unit leader's sign-off
    const photo = new FormData();
    photo.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), '办理过程.pdf');
    const uploaded = await fetch(`${api}/api/cases/${created.id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.unit}` },
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
    if (!(await complete(t.unit, 'handle', { outcome: 'feedback', feedback }))) return false;
    if (!(await complete(t.leader, 'leaderSignoff', { signoffApproved: true }))) return false;
    if (!(await complete(t.office, 'review', { reviewOutcome: 'accept' }))) return false;
    const revisit = { reached: true, solved: true, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied', truthful: true };
    if (!(await complete(t.office, 'revisit', { revisit }))) return false;
    if (!(await complete(t.unit, 'unitRevisit', { revisit }))) return false;
    for (let n = 0; n < 2000; n++) {
      if ((await json('GET', `${api}/api/cases/${created.id}`, t.office)).body.status === 'closed') return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  };
}

/** An end-to-end figure: E2E_WARMUP cases untimed, then E2E_CASES at E2E_CONCURRENCY in flight. */
async function timeCases(one: (i: number) => Promise<boolean>): Promise<Run> {
  await load(E2E_WARMUP, E2E_CONCURRENCY, (i) => one(E2E_CASES + i));
  const before = os.loadavg()[0];
  const run = await load(E2E_CASES, E2E_CONCURRENCY, one);
  return { ...run, loadAverage: [before, os.loadavg()[0]] };
}

/** (b) and (d): the slice driver against one server. */
function timeSlice(json: Json, api: string, tokens: Tokens, first: number): Promise<Run> {
  return timeCases(sliceCase(json, api, tokens, first));
}

/** Starts a cluster (scripts/lib/cluster.ts), runs `work` on it and stops it whatever happens. */
async function onCluster<T>(layout: ClusterLayout, work: (cluster: Cluster) => Promise<T>): Promise<T> {
  const log = (msg: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
  const cluster = await startCluster({ ...layout, env: { ENGINE_HEAP: process.env.ENGINE_HEAP ?? loadConfig().engine.heap, LOGIN_RATE_LIMIT: '1000' } }, log);
  try {
    return await work(cluster);
  } finally {
    await cluster.stop();
  }
}

/** (d): the slice driver against two engine nodes on one PostgreSQL, one server and one workers process polling both. */
function twoEngines(): Promise<Run> {
  const layout = { pg: PORTS.pg + 1, engines: [PORTS.engine + 1, PORTS.engine + 2], apis: [PORTS.api + 1], workers: 1 };
  return onCluster(layout, async (cluster) => {
    const json = jsonClient(cluster.engineAuth);
    return timeSlice(json, cluster.apis[0], await loginAll(json, cluster.apis[0]), 300000);
  });
}

/** (e): the same cases straight through one engine node's REST API, its external tasks completed by idle workers. */
function engineCeiling(): Promise<Run> {
  return onCluster({ pg: PORTS.pg + 2, engines: [PORTS.engine + 3], apis: [], workers: 0 }, async (cluster) => {
    await deployDiagrams(new EngineClient(cluster.engineUrls, cluster.account), path.join(ROOT, 'bpmn'));
    const workers = await startIdleWorkers(cluster.engineUrls, cluster.account);
    try {
      return await timeCases(engineCase(cluster.engineUrls[0], jsonClient(cluster.engineAuth)));
    } finally {
      await workers.stop();
    }
  });
}

/**
 * (f) accepted intakes written as intake writes them, each claimed for a long while so no relay starts it yet;
 * then every claim is dropped at once and the server's relay drains the backlog.
 */
async function relayDrain(db: string): Promise<{ held: Run; f: { count: number; seconds: number; perSecond: number } }> {
  const ds = createDataSource(db, 8);
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

  return { held, f };
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
const fmt = (r: Run) =>
  `${r.count} in ${r.seconds.toFixed(1)} s = ${r.perSecond.toFixed(1)}/s, p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms, errors ${r.errors}${r.loadAverage ? ` (load average ${r.loadAverage.map((l) => l.toFixed(1)).join(' → ')})` : ''}`;
const E2E_LINE = `intake → dispatch → handle with attachment → leader sign-off → review → revisit → unit revisit → closed, ${E2E_CONCURRENCY} in flight`;

/** (d) and (e) after the system has stopped, and the lines that report them beside (b). */
async function ceilingFigures(b: Run): Promise<{ d: Run; e: Run; lines: string[] }> {
  const d = await twoEngines();
  const e = await engineCeiling();
  const lines = [
    `(d) end to end through the slice against two engine nodes on one PostgreSQL (one server, one workers process), ${E2E_LINE}: ${fmt(d)} (latency = one whole case); ratio (d)/(b): ${(d.perSecond / b.perSecond).toFixed(2)}`,
    `(e) the engine's ceiling for the same work (hotlineCase through the engine's REST API, external tasks completed by idle workers, no server), ${E2E_CONCURRENCY} in flight: ${fmt(e)}`,
    `ratio (b)/(e) throughput: ${(b.perSecond / e.perSecond).toFixed(2)} (goal ≥ 0.7)`,
  ];
  return { d, e, lines };
}

async function main() {
  const out = path.join(ROOT, 'bench-results');
  mkdirSync(out, { recursive: true });
  const sys = await startSystemProcess(PORTS, `.data/bench-pg-${PORTS.pg}`, { LOGIN_RATE_LIMIT: '1000', LOG_LEVEL: 'error' });
  let figures: Record<string, unknown>;
  let lines: string[];
  let b: Run;
  try {
    const json = jsonClient(basicAuth(serviceAccount(loadConfig())));
    const tokens = await loginAll(json, sys.api);
    if (ONLY === 'ceiling') {
      b = await timeSlice(json, sys.api, tokens, 200000);
      figures = { endToEnd: b };
      lines = [`(b) end to end through the slice (${E2E_LINE}): ${fmt(b)} (latency = one whole case)`];
    } else {
      // (g) first, on a fresh system: the model is trained on the imported history alone.
      const g = await benchSuggestions(sys.api, json, load, { office: tokens.office, admin: await login(json, sys.api, 'admin') });
      const suggestionLines = [
        `(g) GET /api/suggestions, 8 in flight, cold (派单目录 only): ${fmt(g.cold)}`,
        `(g) trained on ${g.training.samples} imported work orders in ${g.training.seconds.toFixed(1)} s (v${g.training.version} ${g.training.status}, held-back top-1 ${(100 * g.training.heldBackAccuracy).toFixed(1)}%); GET /api/suggestions, 8 in flight: ${fmt(g.trained)}`,
      ];
      if (ONLY === 'suggestions') {
        process.stdout.write(`\nmachine: ${machine}\n${suggestionLines.join('\n')}\n`);
        writeFileSync(path.join(out, 'suggestions.json'), JSON.stringify({ machine, at: new Date().toISOString(), ...g }, null, 2));
        return;
      }
      const intake = (i: number) => json('POST', `${sys.api}/api/cases`, tokens.operator, complaint(i));

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
      b = await timeSlice(json, sys.api, tokens, 200000);
      const { held, f } = await relayDrain(sys.db);
      figures = { intake: a, endToEnd: b, engineStart: c, ratio: a.perSecond / c.perSecond, intakeTransaction: held, relayDrain: f, suggestions: g };
      lines = [
        `(a) POST /api/cases, concurrency ${CONCURRENCY}: ${fmt(a)}`,
        `(b) end to end through the slice (${E2E_LINE}): ${fmt(b)} (latency = one whole case)`,
        `(c) engine bare start, concurrency ${CONCURRENCY}: ${fmt(c)}`,
        `ratio (a)/(c) throughput: ${(a.perSecond / c.perSecond).toFixed(2)}`,
        `(f0) the intake transaction alone (work order, events, outbox row; no HTTP, no relay at work), concurrency ${CONCURRENCY}: ${fmt(held)}`,
        `(f) relay drain: a backlog of ${f.count} accepted intakes started in ${f.seconds.toFixed(1)} s = ${f.perSecond.toFixed(1)}/s; ratio (f)/(c): ${(f.perSecond / c.perSecond).toFixed(2)}`,
        ...suggestionLines,
      ];
    }
  } finally {
    await stopSystemProcess(sys.child);
  }
  // one system at a time on this machine: (d)'s cluster and (e)'s engine start once (b)'s system has stopped
  const ceiling = await ceilingFigures(b);
  lines.splice(ONLY === 'ceiling' ? 1 : 2, 0, ...ceiling.lines);
  process.stdout.write(`\nmachine: ${machine}\n${lines.join('\n')}\n`);
  writeFileSync(
    path.join(out, ONLY === 'ceiling' ? 'ceiling.json' : 'latest.json'),
    JSON.stringify(
      { machine, at: new Date().toISOString(), ...figures, twoEngines: ceiling.d, engineCeiling: ceiling.e, ratioToCeiling: b.perSecond / ceiling.e.perSecond },
      null,
      2,
    ),
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
