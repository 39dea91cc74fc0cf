/**
 * Measures the dispatch catalogue (bpmn/dispatch-catalogue.dmn) on labelled messages, read where they lie
 * (never copied into the repository): `node --import tsx scripts/eval-catalogue.ts <csv> [label-units.csv]`.
 * The csv has a `label` column and either `text` (segmented) or `title` + `text` (raw). A suggestion is
 * right when its unit is one of the label's acceptable units (label-units.csv, by default next to the csv).
 * Prints top-1 and top-3 unit accuracy, the share with no suggestion, the D rate and the time per message.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NETWORK } from '../core/db/seed';
import { createCatalogueScorer, parseCatalogue, STRONG_HIT } from '../core/dispatch/catalogue';

/** RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else field += c;
  }
  if (field || row.length) endRow();
  return rows.filter((r) => r.some((f) => f.trim()));
}

function main() {
  const [csv, unitsCsv = path.join(path.dirname(csv ?? '.'), 'label-units.csv')] = process.argv.slice(2);
  if (!csv) {
    console.error('usage: node --import tsx scripts/eval-catalogue.ts <messages.csv> [label-units.csv]');
    process.exit(2);
  }
  const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8').replace(/^\uFEFF/, ''));
  const col = (name: string) => header.indexOf(name);
  const [title, text, label] = [col('title'), col('text'), col('label')];
  if (text < 0 || label < 0) throw new Error(`${csv}: needs the columns text and label`);
  const [, ...unitRows] = parseCsv(readFileSync(unitsCsv, 'utf8'));
  const acceptable = new Map(unitRows.map(([l, , units]) => [l, new Set(units.split(/\s+/))]));

  const entries = parseCatalogue(readFileSync(path.resolve(__dirname, '../bpmn/dispatch-catalogue.dmn'), 'utf8'));
  const scorer = createCatalogueScorer(entries, NETWORK);
  const verbose = process.env.EVAL_VERBOSE === '1';
  let top1 = 0;
  let top3 = 0;
  let none = 0;
  let d = 0;
  let strong = 0;
  let strongRight = 0;
  let ms = 0;
  let chars = 0;
  const byLabel = new Map<string, { n: number; right: number }>();
  for (const r of rows) {
    const content = title >= 0 ? `${r[title]} ${r[text]}` : r[text];
    const ok = acceptable.get(r[label]);
    if (!ok) throw new Error(`label ${r[label]} is not in ${unitsCsv}`);
    const t0 = performance.now();
    const hits = scorer.score(content);
    const { category } = scorer.category(hits, content);
    ms += performance.now() - t0;
    chars += content.length;
    const units = [...new Set(hits.map((h) => h.unitId))];
    const right = units.length > 0 && ok.has(units[0]);
    const stats = byLabel.get(r[label]) ?? { n: 0, right: 0 };
    byLabel.set(r[label], { n: stats.n + 1, right: stats.right + (right ? 1 : 0) });
    if (right) top1++;
    if (units.slice(0, 3).some((u) => ok.has(u))) top3++;
    if (units.length === 0) none++;
    if (category === 'D') d++;
    if (hits[0] && hits[0].score >= STRONG_HIT) {
      strong++;
      if (right) strongRight++;
    }
    if (verbose && (!right || category === 'D'))
      console.log(
        `${right ? 'ok ' : 'BAD'} ${category} ${r[label]} → ${hits[0]?.entry.matter ?? '-'} (${hits[0]?.matched.join('、') ?? ''}) | ${content.slice(0, 80)}`,
      );
  }
  const n = rows.length;
  const pct = (x: number, of = n) => `${((100 * x) / of).toFixed(1)}%`;
  console.log(`${path.basename(csv)}: ${n} messages, catalogue of ${entries.length} matters`);
  console.log(`top-1 unit accuracy  ${pct(top1)}`);
  console.log(`top-3 unit accuracy  ${pct(top3)}`);
  console.log(`no suggestion        ${pct(none)}`);
  console.log(`D rate               ${pct(d)}`);
  console.log(`strong top hit       ${pct(strong)} of messages, right ${strong ? pct(strongRight, strong) : '-'}`);
  console.log(`time                 ${(ms / n).toFixed(3)} ms per message (${Math.round(chars / n)} chars on average)`);
  for (const [l, s] of [...byLabel].sort((a, b) => b[1].n - a[1].n))
    console.log(`  ${l.padEnd(8, '　')} ${String(s.n).padStart(5)}  top-1 ${pct(s.right, s.n)}`);
}

main();
