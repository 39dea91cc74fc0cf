/**
 * `npm run eval:routing -- <csv> [--train <csv>] [--folds K]`: how right the dispatch suggestions are on
 * labelled messages, with the same code the service answers with (core/dispatch/suggester.ts suggestFrom).
 *
 * - cold: the 派单目录 alone (bpmn/dispatch-catalogue.dmn), as on a fresh installation;
 * - `--train <csv>`: a model trained on those messages (as imported history, reading the catalogue's hits as a
 *   training run does) combined with the catalogue as the suggester does;
 * - `--folds K`: K-fold cross-validation within the one file.
 *
 * The csv is `text,label` or `received_at,title,text,label` (title and text joined); labels map to units by
 * `label-units.csv` beside it (or `--labels <file>`): a suggestion is right when its unit is one of the
 * label's acceptable units; a model learns the label's primary unit. Prints top-1/top-3 per label and
 * overall, the share with no suggestion, and the share suggested D.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { catalogueScorer } from '../core/dispatch/catalogue';
import { classifier, train, type Sample } from '../core/dispatch/model';
import { suggestFrom, type LoadedModel, type SuggestionSources } from '../core/dispatch/suggester';
import { UNIT_MODEL, withCatalogue } from '../core/dispatch/training';
import { NETWORK } from '../core/db/seed';
import { parseCsv } from '../core/imports/table';

interface Message {
  text: string;
  label: string;
}

function readMessages(file: string): Message[] {
  const table = parseCsv(readFileSync(file, 'utf8'));
  const col = (name: string) => table.header.indexOf(name);
  const [title, text, label] = [col('title'), col('text'), col('label')];
  if (text < 0 || label < 0) throw new Error(`${file}: needs the columns text and label`);
  return table.rows.map(({ cells }) => ({
    text: [title >= 0 ? cells[title] : '', cells[text]].filter(Boolean).join(' '),
    label: String(cells[label] ?? ''),
  }));
}

function readLabels(file: string): Map<string, { primary: string; acceptable: Set<string> }> {
  const table = parseCsv(readFileSync(file, 'utf8'));
  const [l, p, a] = ['label', 'primary_unit', 'acceptable_units'].map((c) => table.header.indexOf(c));
  return new Map(table.rows.map(({ cells }) => [String(cells[l]), { primary: String(cells[p]), acceptable: new Set(String(cells[a]).split(/\s+/)) }]));
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { train: { type: 'string' }, folds: { type: 'string' }, labels: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: npm run eval:routing -- <csv> [--train <csv>] [--folds K] [--labels label-units.csv]');
  process.exit(2);
}
const file = path.resolve(positionals[0]);
const labels = readLabels(values.labels ?? path.join(path.dirname(file), 'label-units.csv'));
const messages = readMessages(file).filter((m) => labels.has(m.label));
const units = new Map(NETWORK.map((u) => [u.id, u]));
const catalogue = catalogueScorer(readFileSync(path.resolve(__dirname, '../bpmn/dispatch-catalogue.dmn'), 'utf8'), NETWORK);
const toSamples = (ms: Message[]): Sample[] => ms.map((m) => ({ text: m.text, label: labels.get(m.label)!.primary }));
// As a training run does: the lead-unit model reads the catalogue's hits too.
const modelOf = (ms: Message[]): LoadedModel => ({ version: 1, unit: classifier(train(withCatalogue(toSamples(ms), catalogue), UNIT_MODEL)), category: null });

interface Tally {
  n: number;
  top1: number;
  top3: number;
  none: number;
  d: number;
}
const tally = new Map<string, Tally>();
const count = (sources: SuggestionSources, m: Message) => {
  const s = suggestFrom(sources, m.text);
  const ok = labels.get(m.label)!.acceptable;
  for (const key of [m.label, '全部 overall']) {
    const t = tally.get(key) ?? { n: 0, top1: 0, top3: 0, none: 0, d: 0 };
    t.n++;
    if (s.unitId && ok.has(s.unitId)) t.top1++;
    if (s.candidates.some((c) => ok.has(c.unitId))) t.top3++;
    if (!s.unitId) t.none++;
    if (s.category === 'D') t.d++;
    tally.set(key, t);
  }
};

const began = Date.now();
let mode: string;
if (values.folds) {
  const k = Number(values.folds);
  mode = `${k}-fold cross-validation`;
  for (let f = 0; f < k; f++) {
    const model = modelOf(messages.filter((_, i) => i % k !== f));
    for (const m of messages.filter((_, i) => i % k === f)) count({ units, catalogue, model }, m);
  }
} else if (values.train) {
  const trainFile = path.resolve(values.train);
  const history = readMessages(trainFile).filter((m) => labels.has(m.label));
  mode = `trained on ${history.length} messages of ${path.basename(trainFile)}`;
  const model = modelOf(history);
  for (const m of messages) count({ units, catalogue, model }, m);
} else {
  mode = 'cold start (catalogue only)';
  for (const m of messages) count({ units, catalogue, model: null }, m);
}

const pct = (x: number, n: number) => `${((100 * x) / Math.max(1, n)).toFixed(1)}%`.padStart(7);
console.log(`${path.basename(file)}: ${messages.length} messages, ${mode} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
console.log(`${'label'.padEnd(14)}      n   top-1   top-3    none  cat. D`);
for (const [label, t] of [...tally].sort((a, b) => (a[0].startsWith('全部') ? 1 : b[0].startsWith('全部') ? -1 : b[1].n - a[1].n))) {
  console.log(`${label.padEnd(14)} ${String(t.n).padStart(6)} ${pct(t.top1, t.n)} ${pct(t.top3, t.n)} ${pct(t.none, t.n)} ${pct(t.d, t.n)}`);
}
