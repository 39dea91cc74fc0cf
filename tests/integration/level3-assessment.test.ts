/**
 * 七(三) 二级考核三级: the city assesses the level-2 units, each level-2 unit its own level-3 units. A level-3 unit's
 * figures are those of the work orders its level-2 unit delegated to it (work_orders.delegated_unit_id).
 */
import { beijingDay } from '../../core/vocabulary';
import { answer, complete, dispatchedCase, feedback, http, login, openTask, satisfiedRevisit, sql, waitForStatus } from './helpers';

const DAY = 86_400_000;
/** A 不定期点评 from yesterday to tomorrow (Beijing): it holds everything this file does. */
const period = `${beijingDay(new Date(Date.now() - DAY))}~${beijingDay(new Date(Date.now() + DAY))}`;
const adhoc = async (user: string) => http('GET', `/api/reports/adhoc?period=${period}`, { token: await login(user) });

interface Row {
  unitId: string;
  rank: number | null;
  delegated: number;
  closed: number;
  onTimeRate: number | null;
}
interface Group {
  parentId: string;
  units: Row[];
}
const subRows = (body: { subUnits: Group[] }) => body.subUnits.flatMap((g) => g.units.map((u) => ({ ...u, parentId: g.parentId })));

/** xinhua delegates a case to `subUnitId`, which reports back. */
async function delegated(subUnitId: string, content: string) {
  const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' }, content);
  const res = await complete('xinhua', c.id, 'handle', { outcome: 'delegate', subUnitId });
  if (res.status !== 204) throw new Error(`delegate: ${res.status} ${JSON.stringify(res.body)}`);
  return c;
}

describe('七(三) 二级考核三级: level-3 units assessed by their level-2 unit', () => {
  beforeAll(async () => {
    // given: xinhua delegates one case to 矿工路街道 that is handled and closed, and one to 中兴路街道 left open
    const closed = await delegated('xinhua-kuanggonglu', '矿工路街道小区门口路灯不亮，夜间出行不便');
    expect((await complete('xinhua-kuanggonglu', closed.id, 'handleDelegated', { feedback: feedback.feedback })).status).toBe(204);
    await openTask(closed.id, 'handle');
    await answer('xinhua', closed.id);
    expect((await complete('office', closed.id, 'review', { reviewOutcome: 'accept' })).status).toBe(204);
    expect((await complete('office', closed.id, 'revisit', satisfiedRevisit)).status).toBe(204);
    expect((await complete('xinhua', closed.id, 'unitRevisit', satisfiedRevisit)).status).toBe(204);
    await waitForStatus(closed.id, 'closed');
    const open = await delegated('xinhua-zhongxinglu', '中兴路街道背街小巷垃圾清运不及时');
    await openTask(open.id, 'handleDelegated');
  }, 180_000);

  it('七(三) given cases xinhua delegated, when its handler reads the adhoc report, then it sees its own row and its level-3 units ranked among themselves', async () => {
    // when
    const res = await adhoc('xinhua');
    // then
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: Row) => u.unitId)).toEqual(['xinhua']);
    expect(res.body.units[0].delegated).toBeGreaterThanOrEqual(2);
    expect(res.body.subUnits.map((g: Group) => g.parentId)).toEqual(['xinhua']);
    const rows = subRows(res.body);
    expect(rows.map((u) => u.unitId).sort()).toEqual(['xinhua-kuanggonglu', 'xinhua-xishichang', 'xinhua-zhongxinglu']);
    const kuanggonglu = rows.find((u) => u.unitId === 'xinhua-kuanggonglu')!;
    expect(kuanggonglu.delegated).toBeGreaterThanOrEqual(1);
    expect(kuanggonglu.closed).toBeGreaterThanOrEqual(1);
    expect(rows.find((u) => u.unitId === 'xinhua-zhongxinglu')!.delegated).toBeGreaterThanOrEqual(1);
    // ranks within xinhua only: 1..n without gaps
    const ranks = rows.flatMap((u) => (u.rank === null ? [] : [u.rank])).sort((a, b) => a - b);
    expect(ranks).toEqual(ranks.map((_, i) => i + 1));
  });

  it('七(三) given the same report, when the figures are read, then they match the written definitions in the database', async () => {
    // when
    const office = (await adhoc('office')).body;
    // then: delegated is the delegations of the period; closed and on-time by delegated_unit_id (docs/indicators.md)
    const [from, to] = [office.from, office.to];
    const [{ delegated: n }] = await sql(
      `SELECT count(DISTINCT case_id)::int AS delegated FROM case_events
        WHERE type = 'task-completed' AND data->>'taskKey' = 'handle' AND data->'variables'->>'outcome' = 'delegate'
          AND data->'variables'->>'subUnitId' = 'xinhua-kuanggonglu' AND occurred_at >= $1 AND occurred_at < $2`,
      [from, to],
    );
    const [{ closed, on_time: onTime }] = await sql(
      `SELECT count(*)::int AS closed,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM case_events o WHERE o.case_id = w.id AND o.type = 'overdue'))::int AS on_time
         FROM work_orders w WHERE w.delegated_unit_id = 'xinhua-kuanggonglu' AND w.status = 'closed' AND w.closed_at >= $1 AND w.closed_at < $2`,
      [from, to],
    );
    const row = subRows(office).find((u) => u.unitId === 'xinhua-kuanggonglu')!;
    expect(row).toMatchObject({ parentId: 'xinhua', delegated: n, closed });
    expect(row.onTimeRate).toBeLessThanOrEqual(onTime / closed);
  });

  it('七(三) given xinhua delegated cases, when another district reads the report, then no xinhua level-3 row is there', async () => {
    // when
    const res = await adhoc('weidong');
    // then
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: Row) => u.unitId)).toEqual(['weidong']);
    expect(res.body.subUnits.map((g: Group) => g.parentId)).toEqual(['weidong']);
    expect(subRows(res.body).every((u) => u.unitId.startsWith('weidong-'))).toBe(true);
  });

  it('七(三) given a level-3 unit, when its handler reads the report, then it sees its own row only', async () => {
    // when
    const res = await adhoc('xinhua-kuanggonglu');
    // then
    expect(res.status).toBe(200);
    expect(res.body.units).toEqual([]);
    expect(subRows(res.body).map((u) => u.unitId)).toEqual(['xinhua-kuanggonglu']);
  });

  it('七(三) given the office, when it reads the report, then the city ranking holds level-2 units only and every level-3 row is grouped under its parent', async () => {
    // when
    const res = await adhoc('office');
    // then
    expect(res.status).toBe(200);
    const levels = new Map(((await sql(`SELECT id, level, parent_id FROM units`)) as { id: string; level: number; parent_id: string }[]).map((u) => [u.id, u]));
    expect(res.body.units.length).toBeGreaterThan(0);
    expect(res.body.units.every((u: Row) => levels.get(u.unitId)?.level === 2)).toBe(true);
    const rows = subRows(res.body);
    expect(rows.find((u) => u.unitId === 'xinhua-kuanggonglu')!.delegated).toBeGreaterThanOrEqual(1);
    expect(rows.every((u) => levels.get(u.unitId)?.level === 3 && levels.get(u.unitId)?.parent_id === u.parentId)).toBe(true);
    expect(res.body.city.delegated).toBeGreaterThanOrEqual(2);
  });
});
