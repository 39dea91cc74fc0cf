/**
 * R7.4 年终考核 from monthly aggregates (core/reports/months.ts): the annual report sums twelve monthly rows, and its
 * figures are the live computation's (SQL and SUB_SQL over the year, docs/indicators.md) — after a history import into
 * a past month, after late changes to months already built, with several builders at once and after a builder died.
 * The history is written into 2021, a year no other test writes.
 */
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../core/db/data-source';
import { computeIndicators, emptyIndicators, type Indicators, type PeriodIndicators } from '../../core/reports/indicators';
import { monthIndicators, monthsOf, rebuildMonth, refreshMonths, REPORT_MONTH_LOCK, staleMonths } from '../../core/reports/months';
import { parsePeriod, type Period } from '../../core/reports/period';
import { stack } from './setup/stack';
import { http, importCases, login, sql } from './helpers';

const YEAR = '2021';
const period = parsePeriod('annual', YEAR)!;
const months = monthsOf(period);
const at = (day: string, time = '10:00') => `${day}T${time}:00+08:00`;
const satisfied = { reached: true, solved: true, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied', truthful: true };

interface Order {
  unit: string | null;
  status: string;
  created: string;
  dispatched?: string;
  closed?: string;
  delegated?: string;
  dispatchCount?: number;
  suggested?: string;
}
async function order(o: Order): Promise<string> {
  const [{ id }] = await sql(
    `INSERT INTO work_orders(code, status, channel, citizen_name, citizen_phone, address, content, category, lead_unit_id, delegated_unit_id,
                             dispatch_count, suggested_unit_id, dispatched_at, created_by, created_at, closed_at)
     VALUES ('AGG-' || nextval('work_order_code_seq'), $1, 'phone', '张先生', '13800000000', '新华区矿工路1号', '月度汇总测试', 'B', $2, $3, $4, $5, $6, 'test', $7, $8)
     RETURNING id`,
    [o.status, o.unit, o.delegated ?? null, o.dispatchCount ?? (o.dispatched ? 1 : 0), o.suggested ?? null, o.dispatched ?? null, o.created, o.closed ?? null],
  );
  return id;
}
const event = (caseId: string, type: string, when: string, data: Record<string, unknown> = {}, toStatus: string | null = null) =>
  sql(`INSERT INTO case_events(case_id, type, actor, to_status, data, occurred_at) VALUES ($1, $2, 'test', $3, $4, $5)`, [caseId, type, toStatus, data, when]);
const task = (caseId: string, taskKey: string, when: string, variables: Record<string, unknown>) =>
  event(caseId, 'task-completed', when, { taskKey, variables });
let noticeNumber = 0;
const notice = (caseId: string, unit: string | null, level: string, when: string) =>
  sql(
    `INSERT INTO supervision_notices(case_id, number, level, trigger, reason, unit_id, dedupe_key, issued_at) VALUES ($1, $2, $3, 'manual', '月度汇总测试', $4, $2, $5)`,
    [caseId, `AGG-${Date.now()}-${++noticeNumber}`, level, unit, when],
  );

let ds: DataSource;
let other: DataSource;
const live = () => computeIndicators(ds, period);
const fromMonths = () => monthIndicators(ds, period);

/** The annual report the API serves (from the months), field by field against the live figures. */
async function expectApiMatchesLive(expected: PeriodIndicators) {
  const res = await http('GET', `/api/reports/annual?period=${YEAR}`, { token: await login('office') });
  expect(res.status).toBe(200);
  const figures = (row: Record<string, unknown>) => Object.fromEntries(Object.keys(emptyIndicators()).map((k) => [k, row[k]])) as unknown as Indicators;
  expect(res.body.city).toEqual(expected.city);
  for (const row of res.body.units) expect([row.unitId, figures(row)]).toEqual([row.unitId, expected.units.get(row.unitId) ?? emptyIndicators()]);
  for (const group of res.body.subUnits) {
    for (const row of group.units) expect([row.unitId, figures(row)]).toEqual([row.unitId, expected.subUnits.get(row.unitId) ?? emptyIndicators()]);
  }
}

/**
 * The month was marked by a change at or after `since`: it is stale now, or the servers' background upkeep
 * (refreshChangedMonths, every minute) has rebuilt it since.
 */
async function markedSince(month: Period, since: Date): Promise<boolean> {
  const [row] = await sql(
    `SELECT NOT EXISTS (SELECT 1 FROM report_months WHERE month = $1) OR EXISTS (SELECT 1 FROM report_month_changes WHERE month = $1)
            OR (SELECT built_at FROM report_months WHERE month = $1) > $2 AS marked`,
    [month.from, since],
  );
  return row.marked;
}
const dbNow = async (): Promise<Date> => (await sql(`SELECT clock_timestamp() AS now`))[0].now;

let late: string;
let openOverdue: string;
let redispatched: string;

beforeAll(async () => {
  ds = createDataSource(stack.db, 6);
  other = createDataSource(stack.db, 6);
  await Promise.all([ds.initialize(), other.initialize()]);
  // Closed on time, revisited by the office and by the unit; suggested and first dispatched to the same unit.
  const onTime = await order({
    unit: 'hrss',
    status: 'closed',
    created: at('2021-01-10', '08:00'),
    dispatched: at('2021-01-10'),
    closed: at('2021-01-20'),
    suggested: 'hrss',
  });
  await task(onTime, 'dispatch', at('2021-01-10'), { leadUnitId: 'hrss' });
  await task(onTime, 'revisit', at('2021-01-19'), { revisit: satisfied });
  await task(onTime, 'unitRevisit', at('2021-01-19'), { revisit: satisfied });
  // Overdue in March and again in April (one case in the year's overdue count), closed late in May, unsatisfied and untrue.
  late = await order({ unit: 'education', status: 'closed', created: at('2021-02-25', '08:00'), dispatched: at('2021-02-25'), closed: at('2021-05-03') });
  await event(late, 'overdue', at('2021-03-05'));
  await event(late, 'overdue', at('2021-04-10'));
  await notice(late, 'education', 'written', at('2021-03-05', '11:00'));
  await notice(late, 'education', 'onsite', at('2021-03-09'));
  await task(late, 'revisit', at('2021-05-02'), {
    revisit: { reached: true, solved: false, processSatisfaction: 'unsatisfied', resultSatisfaction: 'unsatisfied', truthful: false },
  });
  // Overdue in December 2020 and January 2021: in 2021 it counts in January.
  const acrossYears = await order({ unit: 'city-mgmt', status: 'closed', created: at('2020-11-20'), dispatched: at('2020-11-20'), closed: at('2021-02-01') });
  await event(acrossYears, 'overdue', at('2020-12-01'));
  await event(acrossYears, 'overdue', at('2021-01-15'));
  // Still open past its deadline in December.
  openOverdue = await order({ unit: 'city-mgmt', status: 'dispatched', created: at('2021-11-20'), dispatched: at('2021-11-20') });
  await event(openOverdue, 'overdue', at('2021-12-01'));
  // 七(三): xinhua delegates to 矿工路街道 in June and again in August (one delegation in the year), closed in September.
  const delegated = await order({
    unit: 'xinhua',
    status: 'closed',
    created: at('2021-05-30'),
    dispatched: at('2021-05-30'),
    closed: at('2021-09-01'),
    delegated: 'xinhua-kuanggonglu',
  });
  await task(delegated, 'handle', at('2021-06-01'), { outcome: 'delegate', subUnitId: 'xinhua-kuanggonglu' });
  await task(delegated, 'handle', at('2021-08-01'), { outcome: 'delegate', subUnitId: 'xinhua-kuanggonglu' });
  await event(delegated, 'overdue', at('2021-08-20'));
  await notice(delegated, 'xinhua', 'written', at('2021-08-20', '11:00'));
  await task(delegated, 'revisit', at('2021-08-31'), { revisit: satisfied });
  // Transferred away (移交) in July.
  const transferred = await order({ unit: 'planning', status: 'transferred', created: at('2021-07-01'), dispatched: at('2021-07-01') });
  await event(transferred, 'status', at('2021-07-07'), {}, 'transferred');
  // First dispatched to housing, returned and re-dispatched to market; suggested housing.
  redispatched = await order({
    unit: 'market',
    status: 'closed',
    created: at('2021-10-01', '08:00'),
    dispatched: at('2021-10-06'),
    closed: at('2021-10-20'),
    dispatchCount: 2,
    suggested: 'housing',
  });
  await task(redispatched, 'dispatch', at('2021-10-01'), { leadUnitId: 'housing' });
  await task(redispatched, 'decideReturn', at('2021-10-05'), { returnDecision: 'redispatch' });
  await task(redispatched, 'dispatch', at('2021-10-06'), { leadUnitId: 'market' });
  // Answered and guided at intake; a notice with no unit (the city's only).
  await order({ unit: null, status: 'answered', created: at('2021-03-03'), closed: at('2021-03-03', '10:10') });
  const guided = await order({ unit: null, status: 'guided', created: at('2021-03-04'), closed: at('2021-03-04', '10:10') });
  await notice(guided, null, 'written', at('2021-03-04', '11:00'));
}, 60_000);

afterAll(async () => {
  await Promise.all([ds?.destroy(), other?.destroy()]);
});

describe('R7.4 年终考核 from monthly aggregates: the live figures, summed from twelve months', () => {
  it('given a year of history, when the annual report is compiled, then its figures are the live computation and the plain reading of the definitions', async () => {
    // when
    const [summed, computed] = [await fromMonths(), await live()];
    // then
    expect(summed).toEqual(computed);
    expect(await staleMonths(ds, months)).toEqual([]);
    // the plain reading of docs/indicators.md: distinct cases over the year, not per month
    expect(computed.units.get('education')).toMatchObject({ overdue: 1, closed: 1, onTimeRate: 0, untrueRedone: 1, supervision: { written: 1, onsite: 1 } });
    expect(computed.units.get('city-mgmt')).toMatchObject({ overdue: 2, openOverdue: 1, closed: 1, onTimeRate: 0 });
    expect(computed.units.get('hrss')).toMatchObject({ closed: 1, onTimeRate: 1, revisited: 1, unitRevisited: 1, revisitRate: 1, suggestionAdoption: 1 });
    expect(computed.units.get('housing')).toMatchObject({ firstDispatched: 1, dispatchAccuracy: 0, suggestionAdoption: 1 });
    expect(computed.units.get('planning')).toMatchObject({ transferred: 1, onTimeRate: 0 });
    expect(computed.units.get('xinhua')).toMatchObject({ delegated: 1, closed: 1 });
    expect(computed.subUnits.get('xinhua-kuanggonglu')).toMatchObject({
      delegated: 1,
      closed: 1,
      overdue: 1,
      onTimeRate: 0,
      revisited: 1,
      supervision: { written: 1 },
    });
    expect(computed.subUnits.get('xinhua-kuanggonglu')!.avgHandlingHours).toBeCloseTo(31 * 24);
    expect(computed.city).toMatchObject({ answered: 1, guided: 1, transferred: 1, openOverdue: 1 });
    expect(computed.city.supervision.written).toBe(3);
    await expectApiMatchesLive(computed);
  });

  it('given built months, when history is imported into a past month, then that month is rebuilt and the annual report counts the import', async () => {
    // given
    await refreshMonths(ds, months);
    const before = await live();
    const since = await dbNow();
    // when: two closed work orders of March 2021 from the old platform
    const job = await importCases(
      'old-2021.csv',
      `诉求内容,承办单位,受理时间,办结时间\r\n年度汇总导入一,hrss,2021-03-15 09:00,2021-03-18 10:00\r\n年度汇总导入二,city-mgmt,2021-03-16 09:00,2021-03-20 10:00\r\n`,
    );
    expect(job).toMatchObject({ status: 'done', imported: 2 });
    // then: March was marked stale, no other month; the report is the live one with the import in the volumes only
    expect(await markedSince(months[2], since)).toBe(true);
    expect((await staleMonths(ds, months)).filter((m) => m.label !== '2021-03')).toEqual([]);
    const after = await live();
    expect(after.city.received).toBe(before.city.received + 2);
    expect(after.units.get('hrss')!.dispatched).toBe(before.units.get('hrss')!.dispatched + 1);
    expect(after.units.get('hrss')!.closed).toBe(before.units.get('hrss')!.closed);
    expect(await fromMonths()).toEqual(after);
    await expectApiMatchesLive(after);
  });

  it('given built months, when late changes reach them (an overdue event, a late closing, a re-dispatch), then the months they touch are rebuilt', async () => {
    // given
    await refreshMonths(ds, months);
    const since = await dbNow();
    // when: a late overdue event for May's closing, December's open overdue case closed, October's case moved to housing
    await event(late, 'overdue', at('2021-04-30'));
    await sql(`UPDATE work_orders SET status = 'closed', closed_at = $2 WHERE id = $1`, [openOverdue, at('2021-12-20')]);
    await sql(`UPDATE work_orders SET lead_unit_id = 'housing' WHERE id = $1`, [redispatched]);
    // then
    const touched = ['2021-02', '2021-03', '2021-04', '2021-05', '2021-10', '2021-11', '2021-12'];
    for (const m of months) expect([m.label, await markedSince(m, since)]).toEqual([m.label, touched.includes(m.label)]);
    const computed = await live();
    expect(computed.units.get('city-mgmt')).toMatchObject({ openOverdue: 0, closed: 2 });
    expect(computed.units.get('housing')).toMatchObject({ dispatched: 1, closed: 1 });
    expect(await fromMonths()).toEqual(computed);
  });

  it('given two processes rebuilding the same months at once, then both finish and every month holds the live figures', async () => {
    // given: every month stale
    await sql(`INSERT INTO report_month_changes(month) SELECT unnest($1::timestamptz[])`, [months.map((m) => m.from)]);
    // when
    const rebuilt = await Promise.all([refreshMonths(ds, months), refreshMonths(other, months), refreshMonths(ds, months)]);
    // then: no month built twice at once, none left stale
    expect(rebuilt.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(12);
    expect(await staleMonths(ds, months)).toEqual([]);
    expect(await fromMonths()).toEqual(await live());
  });

  it('given a change committed while a month is being rebuilt, then the month stays stale and the next report counts the change', async () => {
    // given
    const june = months[5];
    await sql(`INSERT INTO report_month_changes(month) VALUES ($1)`, [june.from]);
    const hrss = await order({ unit: 'hrss', status: 'closed', created: at('2021-06-01'), dispatched: at('2021-06-01'), closed: at('2021-06-03') });
    // when: a revisit of June is recorded after the rebuild took its snapshot, before it commits
    let since = new Date(0);
    const rebuilt = await rebuildMonth(ds, june, {
      beforeCommit: async () => {
        await task(hrss, 'revisit', at('2021-06-02'), { revisit: satisfied });
        since = await dbNow();
      },
    });
    // then: the rebuild committed, yet June is stale (or rebuilt again since)
    expect(rebuilt).toBe(true);
    expect(await markedSince(june, since)).toBe(true);
    const computed = await live();
    expect(computed.units.get('hrss')!.revisited).toBe(2);
    expect(await fromMonths()).toEqual(computed);
  });

  it('given a rebuild whose connection dies before it commits, then the month keeps its old rows, stays stale, and the next report rebuilds it', async () => {
    // given
    const july = months[6];
    await refreshMonths(ds, months);
    const transferred = await order({ unit: 'planning', status: 'transferred', created: at('2021-07-10'), dispatched: at('2021-07-10') });
    await event(transferred, 'status', at('2021-07-12'), {}, 'transferred');
    const [{ built_at: built }] = await sql(`SELECT built_at FROM report_months WHERE month = $1`, [july.from]);
    // when: the builder's backend is terminated inside its transaction, as a crash would end it
    let since = new Date(0);
    const died = rebuildMonth(ds, july, {
      beforeCommit: async () => {
        since = await dbNow();
        const [holder] = await sql(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2 AND granted`, [
          REPORT_MONTH_LOCK,
          2021 * 12 + 6,
        ]);
        await sql(`SELECT pg_terminate_backend($1)`, [holder.pid]);
      },
    });
    await expect(died).rejects.toThrow();
    // then: the month as it was and still stale (or rebuilt since by the background upkeep: the lock went with the connection)
    const [after] = await sql(
      `SELECT b.built_at, EXISTS (SELECT 1 FROM report_month_changes c WHERE c.month = b.month) AS stale FROM report_months b WHERE b.month = $1`,
      [july.from],
    );
    expect((after.stale && after.built_at.getTime() === built.getTime()) || after.built_at > since).toBe(true);
    const computed = await live();
    expect(computed.units.get('planning')!.transferred).toBe(2);
    expect(await fromMonths()).toEqual(computed);
    await expectApiMatchesLive(computed);
  });
});
