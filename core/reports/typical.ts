/**
 * 典型案例 (R7.4 不定期点评 "expose typical cases"; also listed in every bulletin): the period's worst work
 * orders by four tests — escalated furthest up the supervision ladder, overdue longest, dispatched most often,
 * and revisits the citizen was dissatisfied with or found untrue. How many of each the report lists is the
 * `typicalCases` output of the weights decision. Each query is bounded by an indexed instant of the period.
 * The citizen's name and phone never appear: a bulletin circulates among units.
 */
import type { DataSource } from 'typeorm';
import { sqlList } from '../db/sql';
import { label, SUPERVISION_LADDER, SUPERVISION_LEVEL, TYPICAL_KIND, TYPICAL_KINDS, type TypicalKind } from '../vocabulary';
import type { Period } from './period';

export { TYPICAL_KINDS, type TypicalKind };

export interface TypicalCase {
  caseId: string;
  code: string;
  unitId: string | null;
  category: string | null;
  address: string;
  /** The start of the citizen's account, enough to recognise the case. */
  summary: string;
  /** Why it is typical, as the bulletin says it. */
  reason: string;
  /** The same as data: the supervision level, hours overdue, dispatches, or the revisit's verdict. */
  detail: Record<string, string | number | boolean | null>;
}

/** The bulletin's headings of the four lists. */
export const TYPICAL_LABELS = TYPICAL_KIND;

type Detail = TypicalCase['detail'];
const REASONS: Record<TypicalKind, (d: Detail) => string> = {
  escalated: (d) => `${label(SUPERVISION_LEVEL, String(d.level))}（${d.number}）：${d.reason}`,
  overdue: (d) => {
    const hours = Number(d.hoursOverdue);
    return `超期 ${hours >= 48 ? `${Math.round(hours / 24)} 天` : `${hours} 小时`}${d.status === 'closed' ? '后办结' : '，统计期末仍未办结'}`;
  },
  redispatched: (d) => `交办 ${d.dispatches} 次${Number(d.extensions) > 0 ? `，延期 ${d.extensions} 次` : ''}`,
  dissatisfied: (d) =>
    [
      d.truthful === false ? '回访核实办理结果不属实' : null,
      d.resultSatisfaction === 'unsatisfied' ? '群众对办理结果不满意' : null,
      d.solved === false ? '问题未解决' : null,
    ]
      .filter(Boolean)
      .join('，'),
};

export type TypicalCases = Record<TypicalKind, TypicalCase[]>;

const CASE_COLUMNS = `w.id AS "caseId", w.code, w.lead_unit_id AS "unitId", w.category, w.address, left(w.content, 60) AS summary`;

// The ranking reads only narrow rows (the driving events or notices, or the covering indexes of
// migrations/1765800000000-TypicalIndexes.ts) and is cut to $3 before the wide work orders are joined; where it
// needs the work order, it is looked up by key per row (LATERAL … LIMIT 1 keeps the planner from hashing all of
// work_orders for a few thousand rows).
export const TYPICAL_SQL: Record<TypicalKind, string> = {
  escalated: `
    SELECT ${CASE_COLUMNS}, n.level, n.reason, n.number
      FROM (SELECT * FROM (SELECT DISTINCT ON (case_id) case_id, level, reason, number, issued_at,
                                  array_position(ARRAY[${sqlList(SUPERVISION_LADDER)}], level::text) AS rank
                             FROM supervision_notices WHERE issued_at >= $1 AND issued_at < $2
                            ORDER BY case_id, rank DESC, issued_at) highest
             ORDER BY rank DESC, issued_at, case_id
             LIMIT $3) n
      JOIN work_orders w ON w.id = n.case_id
     ORDER BY n.rank DESC, n.issued_at, n.case_id`,
  overdue: `
    SELECT ${CASE_COLUMNS}, round(extract(epoch FROM t.late) / 3600)::int AS "hoursOverdue", w.status
      FROM (SELECT w.id, w.code, least(coalesce(w.closed_at, $2), $2) - w.due_at AS late
              FROM (SELECT DISTINCT case_id FROM case_events WHERE type = 'overdue' AND occurred_at >= $1 AND occurred_at < $2) e
              CROSS JOIN LATERAL (SELECT w.id, w.code, w.due_at, w.closed_at FROM work_orders w
                                   WHERE w.id = e.case_id AND w.due_at IS NOT NULL AND NOT w.imported LIMIT 1) w
             ORDER BY late DESC, w.code
             LIMIT $3) t
      JOIN work_orders w ON w.id = t.id
     ORDER BY t.late DESC, t.code`,
  redispatched: `
    SELECT ${CASE_COLUMNS}, w.dispatch_count AS dispatches, w.extension_count AS extensions
      FROM (SELECT w.id FROM work_orders w
             WHERE w.dispatched_at >= $1 AND w.dispatched_at < $2 AND w.dispatch_count > 1 AND NOT w.imported
             ORDER BY w.dispatch_count DESC, w.extension_count DESC, w.code
             LIMIT $3) t
      JOIN work_orders w ON w.id = t.id
     ORDER BY w.dispatch_count DESC, w.extension_count DESC, w.code`,
  dissatisfied: `
    SELECT ${CASE_COLUMNS}, r.data->'variables'->'revisit'->>'resultSatisfaction' AS "resultSatisfaction",
           (r.data->'variables'->'revisit'->>'truthful')::boolean AS truthful,
           (r.data->'variables'->'revisit'->>'solved')::boolean AS solved
      FROM (SELECT * FROM (SELECT DISTINCT ON (case_id) case_id, data, occurred_at
                             FROM case_events
                            WHERE type = 'task-completed' AND data->>'taskKey' = 'revisit' AND occurred_at >= $1 AND occurred_at < $2
                              AND (data->'variables'->'revisit'->>'resultSatisfaction' = 'unsatisfied' OR data->'variables'->'revisit'->>'truthful' = 'false')
                            ORDER BY case_id, occurred_at DESC) latest
             ORDER BY (data->'variables'->'revisit'->>'truthful' = 'false') DESC, occurred_at, case_id
             LIMIT $3) r
      JOIN work_orders w ON w.id = r.case_id
     ORDER BY (r.data->'variables'->'revisit'->>'truthful' = 'false') DESC, r.occurred_at, r.case_id`,
};

const DETAIL_COLUMNS: Record<TypicalKind, string[]> = {
  escalated: ['level', 'reason', 'number'],
  overdue: ['hoursOverdue', 'status'],
  redispatched: ['dispatches', 'extensions'],
  dissatisfied: ['resultSatisfaction', 'truthful', 'solved'],
};

export async function computeTypicalCases(ds: DataSource, period: Period, limit: number): Promise<TypicalCases> {
  const lists = await Promise.all(
    TYPICAL_KINDS.map(async (kind) => {
      if (limit <= 0) return [];
      const rows = (await ds.query(TYPICAL_SQL[kind], [period.from, period.to, limit])) as Record<string, unknown>[];
      return rows.map((r): TypicalCase => {
        const detail: Detail = Object.fromEntries(DETAIL_COLUMNS[kind].map((c) => [c, (r[c] as string | number | boolean | null) ?? null]));
        return {
          caseId: String(r.caseId),
          code: String(r.code),
          unitId: (r.unitId as string | null) ?? null,
          category: (r.category as string | null) ?? null,
          address: String(r.address),
          summary: String(r.summary),
          reason: REASONS[kind](detail),
          detail,
        };
      });
    }),
  );
  return Object.fromEntries(TYPICAL_KINDS.map((kind, i) => [kind, lists[i]])) as TypicalCases;
}
