/**
 * The assessment indicators (R7.4) of a period, for the city and per lead unit, computed in SQL over
 * work_orders, case_events and supervision_notices. Definitions and the same SQL: docs/indicators.md.
 * Every query is bounded by an indexed instant of the period (created_at, dispatched_at, closed_at,
 * occurred_at, issued_at), so a month costs the month's rows, not the history's. Imported history
 * (`work_orders.imported`) counts in the volumes (received, dispatched) but in no deadline, handling-time or
 * revisit figure: it never ran under this system's clock.
 */
import type { DataSource } from 'typeorm';
import type { Period } from './period';

import { sqlList } from '../db/sql';
import { reportQuery } from './query';
import { OPEN_SQL } from '../cases/open';
import { SATISFIED, SUPERVISION_LADDER } from '../vocabulary';

export const SUPERVISION_LEVELS = SUPERVISION_LADDER;
export type NoticeCounts = Record<(typeof SUPERVISION_LADDER)[number], number>;

export interface Indicators {
  /** City: work orders registered in the period. Unit: work orders dispatched (level 3: delegated) to it in the period. */
  received: number;
  dispatched: number;
  /** 七(三): work orders delegated to a level-3 unit in the period (city: all; level 2: by it; level 3: to it). */
  delegated: number;
  answered: number;
  guided: number;
  /** Dispatched work orders closed in the period (after review and revisit). */
  closed: number;
  /** Dispatched work orders transferred away (移交, R6.4) in the period: never done on time by the unit. */
  transferred: number;
  /** Work orders whose deadline passed in the period and that are still open: late, not yet closed. */
  openOverdue: number;
  /** R7.4 七(四): closed on time over closed + transferred + still open past the deadline. */
  onTimeRate: number | null;
  avgHandlingHours: number | null;
  p90HandlingHours: number | null;
  overdue: number;
  extensions: number;
  redispatches: number;
  supervision: NoticeCounts;
  /** Revisits by the hotline office (level 1) that reached the citizen: the satisfaction rates are theirs. */
  revisited: number;
  /** Revisits by the lead unit (level 2, R5.5) that reached the citizen. */
  unitRevisited: number;
  /** Of `closed`, the work orders with a citizen to call back (a 领导批示件 without a caller reports to its leader instead). */
  revisitable: number;
  /** City: the office's revisits over `revisitable`; unit: the unit's own revisits over its `revisitable`. */
  revisitRate: number | null;
  solvedRate: number | null;
  processSatisfaction: number | null;
  resultSatisfaction: number | null;
  untrueRedone: number;
  /** Work orders first dispatched in the period (not imported), by the unit of the first dispatch. */
  firstDispatched: number;
  /** 派单准确率: of those, never re-dispatched and never guided away after the unit returned them. */
  dispatchAccuracy: number | null;
  /** Of those, the ones with a lead unit suggested at intake. */
  suggested: number;
  /** 建议采纳率: the first dispatch went to the unit suggested at intake. */
  suggestionAdoption: number | null;
}

export interface PeriodIndicators {
  city: Indicators;
  /** Lead (level-2) units, by `lead_unit_id`. */
  units: Map<string, Indicators>;
  /** 七(三) level-3 units, by `delegated_unit_id`: what their level-2 unit assesses them on (SUB_SQL). */
  subUnits: Map<string, Indicators>;
}

/** A dispatched work order of `unit` closed in the period ($1, $2): what `closed` counts, live and in the monthly aggregates. */
export const CLOSED_IN_PERIOD = (unit: string) =>
  `w.closed_at >= $1 AND w.closed_at < $2 AND w.status = 'closed' AND w.dispatched_at IS NOT NULL AND ${unit} IS NOT NULL AND NOT w.imported`;
/** Of those, one with a citizen to call back: what `revisitable` counts (a 领导批示件 without a caller reports to its leader). */
export const REVISITABLE = `w.citizen_phone <> ''`;

/** Per-unit SQL shared by the lead units' and the level-3 units' figures: `unit` attributes a case, `group` groups. */
const completionSql = (unit: string, group: string, from: string) => `
    SELECT ${unit} AS unit_id, count(*)::int AS closed,
           count(*) FILTER (WHERE ${REVISITABLE})::int AS revisitable,
           count(*) FILTER (WHERE o.case_id IS NULL)::int AS on_time,
           avg(extract(epoch FROM w.closed_at - ${from})) / 3600 AS avg_hours,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM w.closed_at - ${from})) / 3600 AS p90_hours
      FROM work_orders w
      -- never overdue: an anti-join against the overdue cases (hashed once, not probed per closed case)
      LEFT JOIN (SELECT DISTINCT case_id FROM case_events WHERE type = 'overdue') o ON o.case_id = w.id
     WHERE ${CLOSED_IN_PERIOD(unit)}
     GROUP BY ${group}`;
const unfinishedSql = (unit: string, group: string) => `
    SELECT ${unit} AS unit_id,
           count(*) FILTER (WHERE x.kind = 'transferred')::int AS transferred,
           count(*) FILTER (WHERE x.kind = 'overdue' AND w.status IN (${OPEN_SQL}))::int AS open_overdue
      FROM (SELECT DISTINCT case_id, kind
              FROM (SELECT e.case_id, 'overdue' AS kind FROM case_events e WHERE e.type = 'overdue' AND e.occurred_at >= $1 AND e.occurred_at < $2
                    UNION ALL
                    SELECT e.case_id, 'transferred' FROM case_events e
                     WHERE e.type = 'status' AND e.to_status = 'transferred' AND e.occurred_at >= $1 AND e.occurred_at < $2) k) x
      JOIN work_orders w ON w.id = x.case_id
     WHERE ${unit} IS NOT NULL AND NOT w.imported
     GROUP BY ${group}`;
const overdueSql = (unit: string, group: string) => `
    SELECT ${unit} AS unit_id, count(DISTINCT e.case_id)::int AS overdue
      FROM case_events e JOIN work_orders w ON w.id = e.case_id
     WHERE e.type = 'overdue' AND e.occurred_at >= $1 AND e.occurred_at < $2 AND ${unit} IS NOT NULL AND NOT w.imported
     GROUP BY ${group}`;
export const revisitSql = (unit: string, group: string) => `
    SELECT ${unit} AS unit_id,
           count(*) FILTER (WHERE r->>'reached' = 'true')::int AS reached,
           count(*) FILTER (WHERE r->>'solved' = 'true')::int AS solved,
           count(*) FILTER (WHERE r->>'processSatisfaction' IN (${sqlList(SATISFIED)}))::int AS process_ok,
           count(*) FILTER (WHERE r->>'resultSatisfaction' IN (${sqlList(SATISFIED)}))::int AS result_ok,
           count(*) FILTER (WHERE r->>'truthful' = 'false')::int AS untrue,
           count(*)::int AS revisits
      FROM (SELECT e.case_id, e.data->'variables'->'revisit' AS r
              FROM case_events e
             WHERE e.type = 'task-completed' AND e.data->>'taskKey' = 'revisit' AND e.occurred_at >= $1 AND e.occurred_at < $2) x
      JOIN work_orders w ON w.id = x.case_id
     WHERE ${unit} IS NOT NULL AND NOT w.imported
     GROUP BY ${group}`;
/** 派单准确率 and 建议采纳率: the work orders dispatched in the period by the unit of their first dispatch. */
export const dispatchQualitySql = (group: string) => `
    SELECT f.unit_id, count(*)::int AS first_dispatched,
           count(*) FILTER (WHERE f.dispatch_count <= 1 AND NOT f.corrected)::int AS accurate,
           count(*) FILTER (WHERE f.suggested_unit_id IS NOT NULL)::int AS suggested,
           count(*) FILTER (WHERE f.suggested_unit_id = f.unit_id)::int AS adopted
      FROM (SELECT w.dispatch_count, w.suggested_unit_id,
                   coalesce((SELECT e.data->'variables'->>'leadUnitId' FROM case_events e
                              WHERE e.case_id = w.id AND e.type = 'task-completed' AND e.data->>'taskKey' = 'dispatch'
                              ORDER BY e.occurred_at LIMIT 1), w.lead_unit_id) AS unit_id,
                   EXISTS (SELECT 1 FROM case_events e
                            WHERE e.case_id = w.id AND e.type = 'task-completed' AND e.data->>'taskKey' = 'decideReturn'
                              AND e.data->'variables'->>'returnDecision' IN ('redispatch', 'guide')) AS corrected
              FROM work_orders w
             WHERE w.dispatched_at >= $1 AND w.dispatched_at < $2 AND w.lead_unit_id IS NOT NULL AND NOT w.imported) f
     GROUP BY ${group}`;
/** Lead units (the city assesses them) and level-3 units (their level-2 unit assesses them, 七(三)). */
export const LEAD = 'w.lead_unit_id';
export const DELEGATE = 'w.delegated_unit_id';

export const SQL = {
  intake: `
    SELECT count(*)::int AS received,
           count(*) FILTER (WHERE status = 'answered')::int AS answered,
           count(*) FILTER (WHERE status = 'guided')::int AS guided
      FROM work_orders WHERE created_at >= $1 AND created_at < $2`,
  dispatch: `
    SELECT lead_unit_id AS unit_id, count(*)::int AS dispatched,
           sum(extension_count)::int AS extensions,
           sum(greatest(dispatch_count - 1, 0))::int AS redispatches
      FROM work_orders
     WHERE dispatched_at >= $1 AND dispatched_at < $2 AND lead_unit_id IS NOT NULL
     GROUP BY ROLLUP (lead_unit_id)`,
  completion: completionSql(LEAD, `ROLLUP (${LEAD})`, 'w.dispatched_at'),
  unfinished: unfinishedSql(LEAD, `ROLLUP (${LEAD})`),
  overdue: overdueSql(LEAD, `ROLLUP (${LEAD})`),
  // Plain GROUP BY, no ROLLUP: its counts add up, so the city's row is the units' sum (computeIndicators), and
  // the year's revisits are then aggregated in parallel workers instead of gathered row by row into one.
  revisit: revisitSql(LEAD, LEAD),
  unitRevisit: `
    SELECT w.lead_unit_id AS unit_id, count(*)::int AS reached
      FROM case_events e JOIN work_orders w ON w.id = e.case_id
     WHERE e.type = 'task-completed' AND e.data->>'taskKey' = 'unitRevisit' AND e.data->'variables'->'revisit'->>'reached' = 'true'
       AND e.occurred_at >= $1 AND e.occurred_at < $2 AND w.lead_unit_id IS NOT NULL AND NOT w.imported
     GROUP BY ROLLUP (w.lead_unit_id)`,
  dispatchQuality: dispatchQualitySql('ROLLUP (f.unit_id)'),
  supervision: `
    SELECT unit_id, level, count(*)::int AS n
      FROM supervision_notices WHERE issued_at >= $1 AND issued_at < $2
     GROUP BY unit_id, level`,
};

/**
 * 七(三) 二级考核三级: the level-3 units' figures, attributed by `work_orders.delegated_unit_id` (the level-3 unit a
 * level-2 lead unit delegated the case to, task `handle` with outcome `delegate`). Same definitions as SQL where
 * they apply; bounded by the same indexed instants (the delegation's `occurred_at`, `closed_at`, the events').
 */
export const DELEGATED_AT = `(SELECT max(d.occurred_at) FROM case_events d
                        WHERE d.case_id = w.id AND d.type = 'task-completed' AND d.data->>'taskKey' = 'handle' AND d.data->'variables'->>'outcome' = 'delegate')`;

export const SUB_SQL = {
  delegation: `
    SELECT u.parent_id, x.unit_id, count(*)::int AS delegated
      FROM (SELECT DISTINCT e.case_id, e.data->'variables'->>'subUnitId' AS unit_id
              FROM case_events e
             WHERE e.type = 'task-completed' AND e.data->>'taskKey' = 'handle' AND e.data->'variables'->>'outcome' = 'delegate'
               AND e.occurred_at >= $1 AND e.occurred_at < $2) x
      JOIN units u ON u.id = x.unit_id
     GROUP BY ROLLUP (u.parent_id, x.unit_id)`,
  completion: completionSql(DELEGATE, DELEGATE, DELEGATED_AT),
  unfinished: unfinishedSql(DELEGATE, DELEGATE),
  overdue: overdueSql(DELEGATE, DELEGATE),
  revisit: revisitSql(DELEGATE, DELEGATE),
  supervision: `
    SELECT w.delegated_unit_id AS unit_id, n.level, count(*)::int AS n
      FROM supervision_notices n JOIN work_orders w ON w.id = n.case_id
     WHERE n.issued_at >= $1 AND n.issued_at < $2 AND w.delegated_unit_id IS NOT NULL
     GROUP BY w.delegated_unit_id, n.level`,
};

const ratio = (n: number, d: number): number | null => (d > 0 ? Math.min(n / d, 1) : null);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function emptyIndicators(): Indicators {
  return {
    received: 0,
    dispatched: 0,
    delegated: 0,
    answered: 0,
    guided: 0,
    closed: 0,
    transferred: 0,
    openOverdue: 0,
    onTimeRate: null,
    avgHandlingHours: null,
    p90HandlingHours: null,
    overdue: 0,
    extensions: 0,
    redispatches: 0,
    supervision: { written: 0, onsite: 0, key: 0, transferred: 0 },
    revisited: 0,
    unitRevisited: 0,
    revisitable: 0,
    revisitRate: null,
    solvedRate: null,
    processSatisfaction: null,
    resultSatisfaction: null,
    untrueRedone: 0,
    firstDispatched: 0,
    dispatchAccuracy: null,
    suggested: 0,
    suggestionAdoption: null,
  };
}

export type Row = Record<string, unknown> & { unit_id: string | null };

/** The rows of every indicator query, in the shape of SQL and SUB_SQL: live, or summed from monthly aggregates (months.ts). */
export interface IndicatorRows {
  lead: Record<keyof typeof SQL, Row[]>;
  sub: Record<keyof typeof SUB_SQL, Row[]>;
}

async function runAll<K extends string>(ds: DataSource, queries: Record<K, string>, args: unknown[]): Promise<Record<K, Row[]>> {
  const keys = Object.keys(queries) as K[];
  const rows = (await Promise.all(keys.map((k) => reportQuery(ds, queries[k], args)))) as Row[][];
  return Object.fromEntries(keys.map((k, i) => [k, rows[i]])) as Record<K, Row[]>;
}

export async function liveIndicatorRows(ds: DataSource, period: Period): Promise<IndicatorRows> {
  const args = [period.from, period.to];
  const [lead, sub] = await Promise.all([runAll(ds, SQL, args), runAll(ds, SUB_SQL, args)]);
  return { lead, sub };
}

/** The period's indicators computed live (the annual report sums monthly aggregates instead: months.ts). */
export async function computeIndicators(ds: DataSource, period: Period): Promise<PeriodIndicators> {
  return indicatorsFromRows(await liveIndicatorRows(ds, period));
}

/** The indicators of the city, the lead units and the level-3 units from the rows of the indicator queries. */
export function indicatorsFromRows(rows: IndicatorRows): PeriodIndicators {
  const { intake, dispatch, completion, unfinished, overdue, revisit, unitRevisit, supervision, dispatchQuality } = rows.lead;
  const subUnits = subUnitsFromRows(rows.sub);
  const city = emptyIndicators();
  const units = new Map<string, Indicators>();
  // ROLLUP's grand-total row has unit_id NULL: it is the city's figure.
  const target = (unitId: string | null) => {
    if (unitId === null) return city;
    if (!units.has(unitId)) units.set(unitId, emptyIndicators());
    return units.get(unitId)!;
  };

  city.received = Number(intake[0]?.received ?? 0);
  city.answered = Number(intake[0]?.answered ?? 0);
  city.guided = Number(intake[0]?.guided ?? 0);
  for (const r of dispatch) {
    const t = target(r.unit_id);
    t.dispatched = Number(r.dispatched);
    if (r.unit_id !== null) t.received = t.dispatched;
    t.extensions = Number(r.extensions);
    t.redispatches = Number(r.redispatches);
  }
  const onTime = new Map<Indicators, number>();
  for (const r of completion) {
    const t = target(r.unit_id);
    t.closed = Number(r.closed);
    t.revisitable = Number(r.revisitable);
    onTime.set(t, Number(r.on_time));
    t.avgHandlingHours = num(r.avg_hours);
    t.p90HandlingHours = num(r.p90_hours);
  }
  for (const r of unfinished) {
    const t = target(r.unit_id);
    t.transferred = Number(r.transferred);
    t.openOverdue = Number(r.open_overdue);
  }
  for (const t of [city, ...units.values()]) t.onTimeRate = ratio(onTime.get(t) ?? 0, t.closed + t.transferred + t.openOverdue);
  for (const r of overdue) target(r.unit_id).overdue = Number(r.overdue);
  const REVISIT_COUNTS = ['reached', 'solved', 'process_ok', 'result_ok', 'untrue'];
  const revisitCity: Row = { unit_id: null, ...Object.fromEntries(REVISIT_COUNTS.map((c) => [c, revisit.reduce((sum, r) => sum + Number(r[c]), 0)])) };
  for (const r of [...revisit, revisitCity]) {
    const t = target(r.unit_id);
    const reached = Number(r.reached);
    t.revisited = reached;
    t.solvedRate = ratio(Number(r.solved), reached);
    t.processSatisfaction = ratio(Number(r.process_ok), reached);
    t.resultSatisfaction = ratio(Number(r.result_ok), reached);
    t.untrueRedone = Number(r.untrue);
  }
  for (const r of unitRevisit) target(r.unit_id).unitRevisited = Number(r.reached);
  for (const r of dispatchQuality) {
    const t = target(r.unit_id);
    t.firstDispatched = Number(r.first_dispatched);
    t.dispatchAccuracy = ratio(Number(r.accurate), t.firstDispatched);
    t.suggested = Number(r.suggested);
    t.suggestionAdoption = ratio(Number(r.adopted), t.suggested);
  }
  for (const r of supervision) {
    const level = r.level as keyof NoticeCounts;
    const n = Number(r.n);
    city.supervision[level] += n;
    if (r.unit_id !== null) target(r.unit_id).supervision[level] += n;
  }
  // R5.5: both levels revisit; a unit's 回访率 is its own revisits, the city's the office's.
  city.revisitRate = ratio(city.revisited, city.revisitable);
  for (const t of units.values()) t.revisitRate = ratio(t.unitRevisited, t.revisitable);
  for (const [unitId, n] of subUnits.delegatedBy) target(unitId).delegated = n;
  return { city, units, subUnits: subUnits.subUnits };
}

/** 七(三): the level-3 units' indicators (SUB_SQL), and how many each level-2 unit (and the city, key null) delegated. */
function subUnitsFromRows(rows: IndicatorRows['sub']): { delegatedBy: Map<string | null, number>; subUnits: Map<string, Indicators> } {
  const { delegation, completion, unfinished, overdue, revisit, supervision } = rows;
  const subUnits = new Map<string, Indicators>();
  const target = (unitId: string) => {
    if (!subUnits.has(unitId)) subUnits.set(unitId, emptyIndicators());
    return subUnits.get(unitId)!;
  };
  const delegatedBy = new Map<string | null, number>();
  // ROLLUP (parent, unit): a unit's row, its parent's subtotal (unit NULL), the city's total (both NULL).
  for (const r of delegation) {
    const n = Number(r.delegated);
    if (r.unit_id !== null) {
      const t = target(r.unit_id);
      t.delegated = t.dispatched = t.received = n;
    } else delegatedBy.set((r.parent_id as string | null) ?? null, n);
  }
  const onTime = new Map<Indicators, number>();
  for (const r of completion) {
    const t = target(r.unit_id!);
    t.closed = Number(r.closed);
    t.revisitable = Number(r.revisitable);
    onTime.set(t, Number(r.on_time));
    t.avgHandlingHours = num(r.avg_hours);
    t.p90HandlingHours = num(r.p90_hours);
  }
  for (const r of unfinished) {
    const t = target(r.unit_id!);
    t.transferred = Number(r.transferred);
    t.openOverdue = Number(r.open_overdue);
  }
  for (const t of subUnits.values()) t.onTimeRate = ratio(onTime.get(t) ?? 0, t.closed + t.transferred + t.openOverdue);
  for (const r of overdue) target(r.unit_id!).overdue = Number(r.overdue);
  for (const r of revisit) {
    const t = target(r.unit_id!);
    const reached = Number(r.reached);
    t.revisited = reached;
    t.solvedRate = ratio(Number(r.solved), reached);
    t.processSatisfaction = ratio(Number(r.process_ok), reached);
    t.resultSatisfaction = ratio(Number(r.result_ok), reached);
    t.untrueRedone = Number(r.untrue);
  }
  for (const r of supervision) target(r.unit_id!).supervision[r.level as keyof NoticeCounts] += Number(r.n);
  return { delegatedBy, subUnits };
}
