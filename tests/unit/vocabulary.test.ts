import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readDiagrams } from '../../core/bpmn/model';
import {
  CASE_STATUS,
  CASE_STATUSES,
  FINAL_STATUSES,
  inGroup,
  OPEN_STATUSES,
  ROLE,
  ROLE_GROUPS,
  SUPERVISION_LADDER,
  SUPERVISION_LEVEL,
} from '../../core/vocabulary';

const BPMN = path.resolve(__dirname, '../../bpmn');
const diagrams = readDiagrams(BPMN);

describe('a task is named by its diagram', () => {
  const userTasks = diagrams.filter((e) => e.tag === 'userTask');

  it('given every .bpmn in bpmn/, when read, then each user task has a Chinese name for the screens to show', () => {
    expect(userTasks.length).toBeGreaterThan(10);
    const unnamed = userTasks.filter((t) => !/\p{Script=Han}/u.test(t.attrs.name ?? '')).map((t) => `${t.file}#${t.id}`);
    expect(unnamed).toEqual([]);
  });

  it('given the tasks the issue found shown as raw ids, then their names come from the diagrams', () => {
    const names = Object.fromEntries(userTasks.map((t) => [t.id, t.attrs.name]));
    expect(names).toMatchObject({
      leaderSignoff: expect.stringContaining('签发'),
      reviewReport: expect.stringContaining('审核'),
      unitRevisit: expect.stringContaining('回访'),
    });
  });
});

describe('the vocabulary is one set of lists', () => {
  it('open and final statuses split every status once', () => {
    expect([...OPEN_STATUSES, ...FINAL_STATUSES].sort()).toEqual([...CASE_STATUSES].sort());
    expect(CASE_STATUSES).toEqual(Object.keys(CASE_STATUS));
  });

  it('the ladder is the supervision levels above none, in order', () => {
    expect(['none', ...SUPERVISION_LADDER]).toEqual(Object.keys(SUPERVISION_LEVEL));
  });

  it('every role group names known roles, and city-wide staff are never unit staff', () => {
    for (const roles of Object.values(ROLE_GROUPS)) for (const r of roles) expect(Object.keys(ROLE)).toContain(r);
    for (const r of ROLE_GROUPS.cityWide) expect(inGroup([r], 'unitStaff')).toBe(false);
  });

  it('the guide reasons are not a list in code: the forms name them by valuesKey and the table holds them', () => {
    for (const form of ['dispatch.form', 'decide-return.form']) {
      const field = JSON.parse(readFileSync(path.join(BPMN, form), 'utf8')).components.find((c: { key?: string }) => c.key === 'guideReason');
      expect(field).toMatchObject({ valuesKey: 'guideReasons' });
      expect(field.values).toBeUndefined();
    }
    const rules = diagrams.filter((e) => e.file === 'case-guide.dmn' && e.tag === 'rule');
    expect(rules.length).toBeGreaterThanOrEqual(9);
  });
});
