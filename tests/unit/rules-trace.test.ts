import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readDiagrams } from '../../core/bpmn/model';

const ROOT = path.resolve(__dirname, '../..');
const trace = readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8');
const digest = readFileSync(path.join(ROOT, 'docs/policy/RULES.md'), 'utf8');
const rows = trace
  .split('\n')
  .filter((l) => /^\| R\d/.test(l))
  .map((l) => {
    const cells = l.split('|').map((c) => c.trim());
    return {
      id: cells[1],
      enforcedBy: [...cells[3].matchAll(/`([\w.-]+)#(\w+)`/g)].map((m) => ({ file: m[1], id: m[2] })),
      provedBy: [...cells[4].matchAll(/`([^`]+)`/g)].map((m) => m[1]),
    };
  });

describe('docs/rules.md traces every rule to diagram elements and tests', () => {
  const elements = readDiagrams(path.join(ROOT, 'bpmn'));

  it('has a row for every rule of R1.4, R2.1 and R3–R6 in the digest', () => {
    const ids = [...digest.matchAll(/^\| (R[\d.A-E]+) \|/gm)].map((m) => m[1]).filter((id) => /^(R1\.4|R2\.1|R[3-6])/.test(id));
    expect(ids.length).toBeGreaterThan(25);
    expect(ids.filter((id) => !rows.some((r) => r.id === id))).toEqual([]);
  });

  it('every listed element exists in bpmn/', () => {
    const missing = rows.flatMap((r) =>
      r.enforcedBy.filter((e) => !elements.some((x) => x.file === e.file && x.id === e.id)).map((e) => `${r.id}: ${e.file}#${e.id}`),
    );
    expect(missing).toEqual([]);
    expect(rows.every((r) => r.enforcedBy.length > 0)).toBe(true);
  });

  it('every listed test file exists', () => {
    const missing = rows.flatMap((r) => r.provedBy.filter((f) => !existsSync(path.join(ROOT, f))).map((f) => `${r.id}: ${f}`));
    expect(missing).toEqual([]);
  });
});
