/**
 * `npm run eval:emergencies -- <set.json> [...]`: how many of a phrasing set's emergencies the 派单目录 makes D, and
 * how many of its ordinary calls it wrongly makes D. A set is `{"emergencies": [...], "ordinary": [...]}` written
 * apart from the catalogue (docs/dispatch.md); the deployed-as-shipped bpmn/dispatch-catalogue.dmn is read, or
 * `--dmn <file>` (an edited table before deploying it). Misses and false alarms are listed with their reason.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { NETWORK } from '../core/db/seed';
import { catalogueScorer } from '../core/dispatch/catalogue';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dmn: { type: 'string' } } });
if (positionals.length === 0) {
  console.error('usage: npm run eval:emergencies -- <set.json> [...] [--dmn dispatch-catalogue.dmn]');
  process.exit(2);
}
const scorer = catalogueScorer(readFileSync(values.dmn ?? path.resolve(__dirname, '../bpmn/dispatch-catalogue.dmn'), 'utf8'), NETWORK);
const judge = (text: string) => scorer.category(scorer.score(text), text);

for (const file of positionals) {
  const set = JSON.parse(readFileSync(file, 'utf8')) as { emergencies: string[]; ordinary: string[] };
  const missed = set.emergencies.map((t) => ({ t, ...judge(t) })).filter((r) => r.category !== 'D');
  const alarms = set.ordinary.map((t) => ({ t, ...judge(t) })).filter((r) => r.category === 'D');
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(of, 1)).toFixed(1)}%`;
  console.log(
    `${file}: D ${set.emergencies.length - missed.length}/${set.emergencies.length} (${pct(set.emergencies.length - missed.length, set.emergencies.length)}), ` +
      `false D ${alarms.length}/${set.ordinary.length} (${pct(alarms.length, set.ordinary.length)})`,
  );
  for (const r of missed) console.log(`  missed  ${r.t}  ← ${r.reason}`);
  for (const r of alarms) console.log(`  false D ${r.t}  ← ${r.reason}`);
}
