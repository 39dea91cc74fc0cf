/**
 * Monthly partial aggregates of the indicators (issue 14 item 12; docs/indicators.md, "The annual report from monthly
 * aggregates"; tables and triggers: migrations/1765700000000-ReportMonths.ts). A month's rows hold, per unit, the parts
 * of every indicator of indicators.ts that add up: counts, the sum of handling seconds, and the handling times
 * themselves for the P90. Counts of distinct cases count a case in the month of its first such event in the calendar
 * year, so the twelve months of a year add up to the year's figure. An annual report sums its twelve months into rows
 * of the shape of SQL and SUB_SQL and reads them as the live figures are read (indicatorsFromRows).
 *
 * Freshness: triggers write (month, transaction) into report_month_changes with every change a month's figures can
 * see. A month is fresh when it is built (report_months) and has no change row. A rebuild runs under a session
 * advisory lock per month (one builder at a time across every process) in one REPEATABLE READ transaction: it
 * rewrites the month from its snapshot and deletes the change rows that snapshot saw, so a change committed meanwhile
 * leaves its row and the month stale. A crash rolls the rebuild back; the lock ends with the connection.
 */
import type { DataSource, QueryRunner } from 'typeorm';
import { OPEN_SQL } from '../cases/open';
import { BEIJING_OFFSET_MS, SUPERVISION_LADDER } from '../vocabulary';
import {
  CLOSED_IN_PERIOD,
  DELEGATE,
  DELEGATED_AT,
  dispatchQualitySql,
  indicatorsFromRows,
  LEAD,
  REVISITABLE,
  revisitSql,
  type IndicatorRows,
  type PeriodIndicators,
  type Row,
} from './indicators';
import type { Period } from './period';
import { REPORT_WORK_MEM, reportQuery } from './query';

/** pg_advisory_lock(REPORT_MONTH_LOCK, month key): one rebuild of a month at a time, across processes. */
export const REPORT_MONTH_LOCK = 12345_07;
/** How many months a report rebuilds at once (each on its own connection). */
const REBUILD_CONCURRENCY = 2;

const DELEGATE_EVENT = (e: string) => `${e}.type = 'task-completed' AND ${e}.data->>'taskKey' = 'handle' AND ${e}.data->'variables'->>'outcome' = 'delegate'`;

/** $1 = the month's start, $2 = its end, $3 = the start of its calendar year. */
const upsert = (scope: 'lead' | 'sub', columns: string[], select: string) => `
  INSERT INTO report_month_units (month, scope, unit_id, ${columns.join(', ')})
  SELECT $1::timestamptz, '${scope}', q.* FROM (${select}) q
  ON CONFLICT (month, scope, unit_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`;

/** Not this kind of event of the case earlier in the year: the case counts in the month of its first one. */
const firstInYear = (e: string, kind: (p: string) => string) =>
  `NOT EXISTS (SELECT 1 FROM case_events p WHERE p.case_id = ${e}.case_id AND ${kind('p')} AND p.occurred_at >= $3 AND p.occurred_at < $1)`;

const completion = (unit: string, from: string) => `
    SELECT ${unit}, count(*), count(*) FILTER (WHERE ${REVISITABLE}), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM case_events o WHERE o.case_id = w.id AND o.type = 'overdue')),
           count(h.seconds), coalesce(sum(h.seconds), 0), coalesce(array_agg(h.seconds::float8) FILTER (WHERE h.seconds IS NOT NULL), '{}')
      FROM work_orders w CROSS JOIN LATERAL (SELECT extract(epoch FROM w.closed_at - ${from}) AS seconds) h
     WHERE ${CLOSED_IN_PERIOD(unit)}
     GROUP BY ${unit}`;
const unfinished = (unit: string) => `
    SELECT ${unit}, count(*) FILTER (WHERE x.kind = 'overdue'), count(*) FILTER (WHERE x.kind = 'transferred'),
           count(*) FILTER (WHERE x.kind = 'overdue' AND w.status IN (${OPEN_SQL}))
      FROM (SELECT DISTINCT case_id, kind
              FROM (SELECT e.case_id, 'overdue' AS kind FROM case_events e
                     WHERE e.type = 'overdue' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND ${firstInYear('e', (p) => `${p}.type = 'overdue'`)}
                    UNION ALL
                    SELECT e.case_id, 'transferred' FROM case_events e
                     WHERE e.type = 'status' AND e.to_status = 'transferred' AND e.occurred_at >= $1 AND e.occurred_at < $2
                       AND ${firstInYear('e', (p) => `${p}.type = 'status' AND ${p}.to_status = 'transferred'`)}) k) x
      JOIN work_orders w ON w.id = x.case_id
     WHERE ${unit} IS NOT NULL AND NOT w.imported
     GROUP BY ${unit}`;
const noticeCounts = SUPERVISION_LADDER.map((l) => `count(*) FILTER (WHERE n.level = '${l}')`).join(', ');
const NOTICE_COLUMNS = SUPERVISION_LADDER.map((l) => `notices_${l}`);
const COMPLETION_COLUMNS = ['closed', 'revisitable', 'on_time', 'handled', 'handling_seconds', 'handling'];
const UNFINISHED_COLUMNS = ['overdue', 'transferred', 'open_overdue'];
/** In the order of revisitSql's columns. */
const REVISIT_COLUMNS = ['reached', 'solved', 'process_ok', 'result_ok', 'untrue', 'revisits'];

export const BUILD_SQL = {
  intake: `
    INSERT INTO report_months (month, received, answered, guided)
    SELECT $1::timestamptz, count(*), count(*) FILTER (WHERE status = 'answered'), count(*) FILTER (WHERE status = 'guided')
      FROM work_orders WHERE created_at >= $1 AND created_at < $2`,
  dispatch: upsert(
    'lead',
    ['dispatched', 'extensions', 'redispatches'],
    `SELECT lead_unit_id, count(*), sum(extension_count), sum(greatest(dispatch_count - 1, 0))
       FROM work_orders WHERE dispatched_at >= $1 AND dispatched_at < $2 AND lead_unit_id IS NOT NULL
      GROUP BY lead_unit_id`,
  ),
  completion: upsert('lead', COMPLETION_COLUMNS, completion(LEAD, 'w.dispatched_at')),
  unfinished: upsert('lead', UNFINISHED_COLUMNS, unfinished(LEAD)),
  revisit: upsert('lead', REVISIT_COLUMNS, revisitSql(LEAD, LEAD)),
  unitRevisit: upsert(
    'lead',
    ['unit_reached'],
    `SELECT w.lead_unit_id, count(*)
       FROM case_events e JOIN work_orders w ON w.id = e.case_id
      WHERE e.type = 'task-completed' AND e.data->>'taskKey' = 'unitRevisit' AND e.data->'variables'->'revisit'->>'reached' = 'true'
        AND e.occurred_at >= $1 AND e.occurred_at < $2 AND w.lead_unit_id IS NOT NULL AND NOT w.imported
      GROUP BY w.lead_unit_id`,
  ),
  dispatchQuality: upsert('lead', ['first_dispatched', 'accurate', 'suggested', 'adopted'], dispatchQualitySql('f.unit_id')),
  // A notice without a unit counts for the city only: unit '' (read back as NULL).
  supervision: upsert(
    'lead',
    NOTICE_COLUMNS,
    `SELECT coalesce(n.unit_id, ''), ${noticeCounts} FROM supervision_notices n WHERE n.issued_at >= $1 AND n.issued_at < $2 GROUP BY n.unit_id`,
  ),
  subDelegation: upsert(
    'sub',
    ['delegated'],
    `SELECT x.unit_id, count(*)
       FROM (SELECT DISTINCT e.case_id, e.data->'variables'->>'subUnitId' AS unit_id
               FROM case_events e
              WHERE ${DELEGATE_EVENT('e')} AND e.occurred_at >= $1 AND e.occurred_at < $2
                AND ${firstInYear('e', (p) => `${DELEGATE_EVENT(p)} AND ${p}.data->'variables'->>'subUnitId' = e.data->'variables'->>'subUnitId'`)}) x
      WHERE x.unit_id IS NOT NULL
      GROUP BY x.unit_id`,
  ),
  subCompletion: upsert('sub', COMPLETION_COLUMNS, completion(DELEGATE, DELEGATED_AT)),
  subUnfinished: upsert('sub', UNFINISHED_COLUMNS, unfinished(DELEGATE)),
  subRevisit: upsert('sub', REVISIT_COLUMNS, revisitSql(DELEGATE, DELEGATE)),
  subSupervision: upsert(
    'sub',
    NOTICE_COLUMNS,
    `SELECT w.delegated_unit_id, ${noticeCounts}
       FROM supervision_notices n JOIN work_orders w ON w.id = n.case_id
      WHERE n.issued_at >= $1 AND n.issued_at < $2 AND w.delegated_unit_id IS NOT NULL
      GROUP BY w.delegated_unit_id`,
  ),
};

/** The period's months' rows ($1 = from, $2 = to) summed into the rows SQL and SUB_SQL give for the period. */
const UNITS = (scope: 'lead' | 'sub') => `FROM report_month_units r WHERE r.scope = '${scope}' AND r.month >= $1 AND r.month < $2`;
const sum = (c: string) => `sum(r.${c})::int AS ${c}`;
const AVG_HOURS = `sum(r.handling_seconds) / nullif(sum(r.handled), 0)::numeric / 3600 AS avg_hours`;
// The P90 of the months' handling times: each unit's values fed in unit order (no sort of the year's values by
// unit before the percentile sorts them again); the city's, all of them, in a query of its own (no ROLLUP).
const P90 = (scope: 'lead' | 'sub') => `
    SELECT r.unit_id, percentile_cont(0.9) WITHIN GROUP (ORDER BY h) / 3600 AS p90_hours
      FROM (SELECT unit_id, handling FROM report_month_units
             WHERE scope = '${scope}' AND month >= $1 AND month < $2 ORDER BY unit_id) r
      CROSS JOIN LATERAL unnest(r.handling) h
     GROUP BY r.unit_id`;
const NOTICES = (scope: 'lead' | 'sub', unit: string) => `
    SELECT ${unit} AS unit_id, l.level, sum(l.n)::int AS n
      FROM report_month_units r CROSS JOIN LATERAL (VALUES ${SUPERVISION_LADDER.map((l) => `('${l}', r.notices_${l})`).join(', ')}) l(level, n)
     WHERE r.scope = '${scope}' AND r.month >= $1 AND r.month < $2
     GROUP BY 1, 2 HAVING sum(l.n) > 0`;

export const READ_SQL = {
  intake: `SELECT coalesce(sum(received), 0)::int AS received, coalesce(sum(answered), 0)::int AS answered, coalesce(sum(guided), 0)::int AS guided
             FROM report_months WHERE month >= $1 AND month < $2`,
  dispatch: `SELECT r.unit_id, ${['dispatched', 'extensions', 'redispatches'].map(sum).join(', ')} ${UNITS('lead')}
              GROUP BY ROLLUP (r.unit_id) HAVING sum(r.dispatched) > 0`,
  completion: `SELECT r.unit_id, ${sum('closed')}, ${sum('revisitable')}, ${sum('on_time')}, ${AVG_HOURS} ${UNITS('lead')} GROUP BY ROLLUP (r.unit_id) HAVING sum(r.closed) > 0`,
  completionP90: P90('lead'),
  cityP90: `SELECT NULL AS unit_id, percentile_cont(0.9) WITHIN GROUP (ORDER BY h) / 3600 AS p90_hours
              FROM report_month_units r CROSS JOIN LATERAL unnest(r.handling) h WHERE r.scope = 'lead' AND r.month >= $1 AND r.month < $2`,
  unfinished: `SELECT r.unit_id, ${sum('transferred')}, ${sum('open_overdue')} ${UNITS('lead')}
                GROUP BY ROLLUP (r.unit_id) HAVING sum(r.overdue) + sum(r.transferred) > 0`,
  overdue: `SELECT r.unit_id, ${sum('overdue')} ${UNITS('lead')} GROUP BY ROLLUP (r.unit_id) HAVING sum(r.overdue) > 0`,
  revisit: `SELECT r.unit_id, ${REVISIT_COLUMNS.slice(0, 5).map(sum).join(', ')} ${UNITS('lead')} GROUP BY r.unit_id HAVING sum(r.revisits) > 0`,
  unitRevisit: `SELECT r.unit_id, sum(r.unit_reached)::int AS reached ${UNITS('lead')} GROUP BY ROLLUP (r.unit_id) HAVING sum(r.unit_reached) > 0`,
  dispatchQuality: `SELECT r.unit_id, ${['first_dispatched', 'accurate', 'suggested', 'adopted'].map(sum).join(', ')} ${UNITS('lead')}
                     GROUP BY ROLLUP (r.unit_id) HAVING sum(r.first_dispatched) > 0`,
  supervision: NOTICES('lead', `nullif(r.unit_id, '')`),
  subDelegation: `SELECT u.parent_id, r.unit_id, ${sum('delegated')}
                    FROM report_month_units r JOIN units u ON u.id = r.unit_id WHERE r.scope = 'sub' AND r.month >= $1 AND r.month < $2
                   GROUP BY ROLLUP (u.parent_id, r.unit_id) HAVING sum(r.delegated) > 0`,
  subCompletion: `SELECT r.unit_id, ${sum('closed')}, ${sum('revisitable')}, ${sum('on_time')}, ${AVG_HOURS} ${UNITS('sub')} GROUP BY r.unit_id HAVING sum(r.closed) > 0`,
  subCompletionP90: P90('sub'),
  subUnfinished: `SELECT r.unit_id, ${sum('transferred')}, ${sum('open_overdue')} ${UNITS('sub')}
                   GROUP BY r.unit_id HAVING sum(r.overdue) + sum(r.transferred) > 0`,
  subOverdue: `SELECT r.unit_id, ${sum('overdue')} ${UNITS('sub')} GROUP BY r.unit_id HAVING sum(r.overdue) > 0`,
  subRevisit: `SELECT r.unit_id, ${REVISIT_COLUMNS.slice(0, 5).map(sum).join(', ')} ${UNITS('sub')} GROUP BY r.unit_id HAVING sum(r.revisits) > 0`,
  subSupervision: NOTICES('sub', 'r.unit_id'),
};

/** Beijing midnight of the first of a month (month 0 = January; 12 = January of the next year). */
const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1) - BEIJING_OFFSET_MS);

/** The Beijing calendar month of an instant, of any year: the upkeep builds whatever months changed. */
export function monthOf(at: Date): Period {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const [year, month] = [local.getUTCFullYear(), local.getUTCMonth()];
  const label = `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}`;
  return { kind: 'monthly', label, from: monthStart(year, month), to: monthStart(year, month + 1) };
}

/** The Beijing calendar months of a period made of whole months (an annual report's twelve). */
export function monthsOf(period: Period): Period[] {
  const months: Period[] = [];
  for (let at = period.from; at < period.to;) {
    const month = monthOf(at);
    if (month.from.getTime() !== at.getTime()) throw new Error(`${period.label} is not made of whole months`);
    months.push(month);
    at = month.to;
  }
  return months;
}

const yearStart = (month: Period) => monthStart(Number(month.label.slice(0, 4)), 0);
const lockKey = (month: Period) => Number(month.label.slice(0, 4)) * 12 + Number(month.label.slice(5, 7)) - 1;

const STALE_SQL = `
  SELECT m AS month FROM unnest($1::timestamptz[]) m
   WHERE NOT EXISTS (SELECT 1 FROM report_months b WHERE b.month = m) OR EXISTS (SELECT 1 FROM report_month_changes c WHERE c.month = m)`;

/** The months among these that are not built or have changed since. */
export async function staleMonths(ds: DataSource, months: Period[]): Promise<Period[]> {
  const rows: { month: Date }[] = await ds.query(STALE_SQL, [months.map((m) => m.from)]);
  const stale = new Set(rows.map((r) => r.month.getTime()));
  return months.filter((m) => stale.has(m.from.getTime()));
}

export interface RebuildOptions {
  /** Skip a month another process is rebuilding (background) instead of waiting for it (a report). */
  skipLocked?: boolean;
  /** Called inside the rebuild, before its commit (tests: a crash there). */
  beforeCommit?: (month: Period) => Promise<void>;
}

/** Rebuilds one month if it is stale; resolves with whether this call rebuilt it. */
export async function rebuildMonth(ds: DataSource, month: Period, opts: RebuildOptions = {}): Promise<boolean> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  const key = [REPORT_MONTH_LOCK, lockKey(month)];
  try {
    if (opts.skipLocked) {
      const [{ locked }] = await qr.query(`SELECT pg_try_advisory_lock($1, $2) AS locked`, key);
      if (!locked) return false;
    } else await qr.query(`SELECT pg_advisory_lock($1, $2)`, key);
    try {
      return await rebuildLocked(qr, month, opts);
    } finally {
      // A session lock: released here, or with the connection if the process or the connection died.
      await qr.query(`SELECT pg_advisory_unlock($1, $2)`, key);
    }
  } finally {
    await qr.release();
  }
}

async function rebuildLocked(qr: QueryRunner, month: Period, opts: RebuildOptions): Promise<boolean> {
  // The snapshot is taken after the lock: it sees every rebuild of this month before this one.
  await qr.startTransaction('REPEATABLE READ');
  try {
    const [stale] = await qr.query(STALE_SQL, [[month.from]]);
    if (!stale) {
      await qr.commitTransaction();
      return false;
    }
    await qr.query(`SELECT set_config('work_mem', '${REPORT_WORK_MEM}', true)`);
    const args = [month.from, month.to, yearStart(month)];
    await qr.query(`DELETE FROM report_months WHERE month = $1`, [month.from]);
    for (const sql of Object.values(BUILD_SQL)) await qr.query(sql, sql.includes('$3') ? args : args.slice(0, 2));
    // Only the change rows this snapshot saw: a change committed since keeps its row, and the month stays stale.
    await qr.query(`DELETE FROM report_month_changes WHERE month = $1`, [month.from]);
    await opts.beforeCommit?.(month);
    await qr.commitTransaction();
    return true;
  } catch (e) {
    if (qr.isTransactionActive) await qr.rollbackTransaction();
    throw e;
  }
}

/** Rebuilds the stale ones of these months, REBUILD_CONCURRENCY at a time; resolves with how many it rebuilt. */
export async function refreshMonths(ds: DataSource, months: Period[], opts: RebuildOptions = {}): Promise<number> {
  const queue = await staleMonths(ds, months);
  let rebuilt = 0;
  await Promise.all(
    Array.from({ length: REBUILD_CONCURRENCY }, async () => {
      for (let m = queue.shift(); m; m = queue.shift()) if (await rebuildMonth(ds, m, opts)) rebuilt++;
    }),
  );
  return rebuilt;
}

/**
 * Rebuilds every month with changes: the servers' background upkeep (every `reportMonthsMs`, skipping months being
 * rebuilt elsewhere), and bench:reports after writing its history (waiting for them).
 */
export async function refreshChangedMonths(ds: DataSource, opts: RebuildOptions = { skipLocked: true }): Promise<number> {
  const rows: { month: Date }[] = await ds.query(`SELECT DISTINCT month FROM report_month_changes ORDER BY month`);
  return refreshMonths(
    ds,
    rows.map((r) => monthOf(r.month)),
    opts,
  );
}

/** The indicators of a period made of whole months (the annual report's), summed from its months. */
export async function monthIndicators(ds: DataSource, period: Period): Promise<PeriodIndicators> {
  return indicatorsFromRows(await monthIndicatorRows(ds, period));
}

/** The period's rows in the shape of SQL and SUB_SQL, summed from its months (stale ones rebuilt first). */
export async function monthIndicatorRows(ds: DataSource, period: Period): Promise<IndicatorRows> {
  await refreshMonths(ds, monthsOf(period));
  const args = [period.from, period.to];
  // Each part in a transaction of its own, as the live queries run: every one reads months built after the request began.
  const keys = Object.keys(READ_SQL) as (keyof typeof READ_SQL)[];
  const parts = await Promise.all(keys.map((k) => reportQuery<Row>(ds, READ_SQL[k], args)));
  const r = Object.fromEntries(keys.map((k, i) => [k, parts[i]])) as Record<keyof typeof READ_SQL, Row[]>;
  const withP90 = (rows: Row[], p90: Row[]) => {
    const byUnit = new Map(p90.map((p) => [p.unit_id, p.p90_hours]));
    return rows.map((row) => ({ ...row, p90_hours: byUnit.get(row.unit_id) ?? null }));
  };
  return {
    lead: {
      intake: r.intake,
      dispatch: r.dispatch,
      completion: withP90(r.completion, [...r.completionP90, ...r.cityP90]),
      unfinished: r.unfinished,
      overdue: r.overdue,
      revisit: r.revisit,
      unitRevisit: r.unitRevisit,
      supervision: r.supervision,
      dispatchQuality: r.dispatchQuality,
    },
    sub: {
      delegation: r.subDelegation,
      completion: withP90(r.subCompletion, r.subCompletionP90),
      unfinished: r.subUnfinished,
      overdue: r.subOverdue,
      revisit: r.subRevisit,
      supervision: r.subSupervision,
    },
  };
}
