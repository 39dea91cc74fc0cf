/**
 * (g) GET /api/suggestions at 8 in flight: cold (the 派单目录 alone), then after a model trained on
 * BENCH_HISTORY synthetic closed work orders imported through POST /api/imports/cases. The texts are made
 * from the catalogue's own example phrasings with filler around them, so no citizen's message is used.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCatalogue } from '../../core/dispatch/catalogue';
import { ROOT } from './system-process';

/** A timed load: how many calls, how long, how fast, and how many failed (scripts/bench.ts `load`). */
export interface Timed {
  count: number;
  seconds: number;
  perSecond: number;
  p50ms: number;
  p99ms: number;
  errors: number;
  /** The machine's 1-minute load average when the timed part began and ended (end-to-end figures): on a shared machine, what else ran. */
  loadAverage?: [number, number];
}

type Load = (count: number, concurrency: number, one: (i: number) => Promise<boolean>) => Promise<Timed>;
type Json = (method: string, url: string, token?: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

const FILLER = [
  '您好，',
  '我想反映一个问题，',
  '麻烦尽快处理，',
  '已经好几天了，',
  '希望有关部门重视，',
  '谢谢！',
  '附近居民都很有意见。',
  '之前打过电话没人管。',
];

function texts(n: number, seed = 7): { text: string; unitId: string }[] {
  const entries = parseCatalogue(readFileSync(path.join(ROOT, 'bpmn', 'dispatch-catalogue.dmn'), 'utf8'));
  const examples = entries.flatMap((e) => e.examples.map((text) => ({ text, unitId: e.unitId })));
  let s = seed;
  const rand = (k: number) => ((s = (s * 1103515245 + 12345) % 2 ** 31), s % k);
  return Array.from({ length: n }, () => {
    const e = examples[rand(examples.length)];
    const parts = [FILLER[rand(FILLER.length)], e.text, FILLER[rand(FILLER.length)], FILLER[rand(FILLER.length)]];
    return { text: parts.join('').repeat(1 + rand(3)), unitId: e.unitId };
  });
}

export async function benchSuggestions(api: string, json: Json, load: Load, tokens: { office: string; admin: string }) {
  const requests = Number(process.env.BENCH_SUGGESTIONS ?? 2000);
  const history = Number(process.env.BENCH_HISTORY ?? 5000);
  const asked = texts(requests, 11);
  const suggest = (i: number) =>
    json('GET', `${api}/api/suggestions?content=${encodeURIComponent(asked[i].text)}&address=${encodeURIComponent('新华区矿工路')}`, tokens.office).then(
      (r) => r.status === 200,
    );
  // Warm-up as long as the measured load: a just-started system (the server's JIT, the engine's, the workers'
  // first polls) would otherwise be measured rather than the steady state (first 2,000 here: p99 33 ms, then 15–19 ms).
  const warmUp = () => load(requests, 8, suggest);
  await warmUp();
  const cold = await load(requests, 8, suggest);

  const rows = texts(history, 3).map((r, i) => `"${r.text.replace(/"/g, '""')}",${r.unitId},2025-0${1 + (i % 9)}-10 09:00,2025-0${1 + (i % 9)}-12 17:00`);
  const form = new FormData();
  form.append('file', new Blob([['诉求内容,承办单位,受理时间,办结时间', ...rows].join('\n')], { type: 'text/csv' }), 'bench-history.csv');
  const upload = await fetch(`${api}/api/imports/cases`, { method: 'POST', headers: { authorization: `Bearer ${tokens.admin}` }, body: form });
  const { id } = (await upload.json()) as { id: string };
  while (((await json('GET', `${api}/api/imports/${id}`, tokens.admin)).body as { status: string }).status === 'running')
    await new Promise((r) => setTimeout(r, 200));

  const began = performance.now();
  const { version } = (await json('POST', `${api}/api/dispatch-model/train`, tokens.admin)).body as { version: number };
  let run: { status: string; samples: number; accuracy: number };
  for (;;) {
    run = (await json('GET', `${api}/api/dispatch-model`, tokens.admin)).body as typeof run;
    if (run.status !== 'training') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const trainSeconds = (performance.now() - began) / 1000;
  await warmUp();
  const trained = await load(requests, 8, suggest);
  return { cold, trained, training: { version, status: run.status, samples: run.samples, heldBackAccuracy: run.accuracy, seconds: trainSeconds } };
}
