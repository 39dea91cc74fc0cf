/**
 * 工作台统计: today's intake, open work orders by category, each unit's overdue and due-within-24h work,
 * this month's supervision notices by level and units ranked by on-time rate. City-wide for the office,
 * or scoped to a unit and its level-3 units. Days and months are Beijing time (UTC+8, no daylight saving).
 */
import type { DataSource } from 'typeorm';
import { SQL } from './reports/indicators';
import { OPEN_SQL } from './cases/open';
import { sqlList } from './db/sql';
import { BEIJING_OFFSET_MS, SUPERVISION_LADDER } from './vocabulary';

const DAY = 86_400_000;
/** Lists per unit show the most urgent work orders; the counts are complete. */
export const LIST_LIMIT = 20;

export interface DeadlineItem {
  id: string;
  code: string;
  status: string;
  category: string | null;
  dueAt: Date;
}

export interface UnitDeadlines {
  unitId: string;
  unitName: string;
  overdueCount: number;
  dueSoonCount: number;
  overdue: DeadlineItem[];
  dueSoon: DeadlineItem[];
}

export interface Dashboard {
  scope: 'city' | 'unit';
  generatedAt: Date;
  dayStart: Date;
  monthStart: Date;
  todayIntake: { total: number; byChannel: Record<string, number> };
  openByCategory: { category: string | null; count: number }[];
  deadlines: UnitDeadlines[];
  supervisionByLevel: { level: string; count: number }[];
  onTimeRanking: { unitId: string; unitName: string; closed: number; onTime: number; rate: number }[];
  /** 派单准确率 and 建议采纳率 this month (R7.4), by the unit of the first dispatch; city-wide first for the office. */
  dispatchQuality: { unitId: string | null; unitName: string; firstDispatched: number; dispatchAccuracy: number | null; suggestionAdoption: number | null }[];
}

/** The start of the Beijing day and month that `now` falls in. */
export function beijingPeriods(now: Date): { dayStart: Date; monthStart: Date } {
  const local = new Date(now.getTime() + BEIJING_OFFSET_MS);
  return {
    dayStart: new Date(Math.floor(local.getTime() / DAY) * DAY - BEIJING_OFFSET_MS),
    monthStart: new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - BEIJING_OFFSET_MS),
  };
}

/** Work orders a unit works on: leads, was delegated or cooperates on. $1 is the unit ids, NULL for city-wide. */
const IN_SCOPE = `($1::varchar[] IS NULL OR w.lead_unit_id = ANY($1) OR w.delegated_unit_id = ANY($1) OR w.co_unit_ids && $1::varchar[])`;

/** `unitIds` undefined = city-wide. */
export async function dashboard(ds: DataSource, unitIds: string[] | undefined, now = new Date()): Promise<Dashboard> {
  const { dayStart, monthStart } = beijingPeriods(now);
  const scope = unitIds ?? null;
  const [intake, categories, deadlineRows, supervision, ranking, quality, unitNames] = await Promise.all([
    ds.query(`SELECT w.channel, count(*)::int AS n FROM work_orders w WHERE w.created_at >= $2 AND ${IN_SCOPE} GROUP BY w.channel`, [scope, dayStart]),
    ds.query(
      `SELECT w.category, count(*)::int AS count FROM work_orders w WHERE w.status IN (${OPEN_SQL}) AND ${IN_SCOPE} GROUP BY w.category ORDER BY w.category NULLS LAST`,
      [scope],
    ),
    // Imported history had no deadline here: it is left out of the on-time ranking below (never open, never due).
    // Work at a unit (dispatched) is due with the unit that handles it: the level-3 unit it was delegated to, else the lead.
    ds.query(
      `SELECT * FROM (
         SELECT w.id, w.code, w.status, w.category, w.due_at AS "dueAt", u.id AS "unitId", u.name AS "unitName",
                CASE WHEN w.due_at < $2 THEN 'overdue' ELSE 'dueSoon' END AS kind,
                row_number() OVER (PARTITION BY u.id, w.due_at < $2 ORDER BY w.due_at) AS rn,
                count(*) OVER (PARTITION BY u.id, w.due_at < $2)::int AS total
         FROM work_orders w JOIN units u ON u.id = coalesce(w.delegated_unit_id, w.lead_unit_id)
         WHERE w.status = 'dispatched' AND w.due_at < $3 AND ($1::varchar[] IS NULL OR u.id = ANY($1))
       ) t WHERE rn <= ${LIST_LIMIT} ORDER BY "dueAt"`,
      [scope, now, new Date(now.getTime() + DAY)],
    ),
    ds.query(
      `SELECT n.level, count(*)::int AS count FROM supervision_notices n JOIN work_orders w ON w.id = n.case_id
       WHERE n.issued_at >= $2 AND ($1::varchar[] IS NULL OR n.unit_id = ANY($1) OR ${IN_SCOPE})
       GROUP BY n.level ORDER BY array_position(ARRAY[${sqlList(SUPERVISION_LADDER)}], n.level::text)`,
      [scope, monthStart],
    ),
    ds.query(
      `SELECT u.id AS "unitId", u.name AS "unitName", count(*)::int AS closed, count(*) FILTER (WHERE w.closed_at <= w.due_at)::int AS "onTime"
       FROM work_orders w JOIN units u ON u.id = w.lead_unit_id
       WHERE w.status = 'closed' AND w.closed_at >= $2 AND NOT w.imported AND ($1::varchar[] IS NULL OR u.id = ANY($1))
       GROUP BY u.id, u.name`,
      [scope, monthStart],
    ),
    ds.query(SQL.dispatchQuality, [monthStart, now]) as Promise<Record<string, unknown>[]>,
    ds.query(`SELECT id, name FROM units`) as Promise<{ id: string; name: string }[]>,
  ]);
  const names = new Map(unitNames.map((u) => [u.id, u.name]));
  const rate = (n: unknown, d: unknown) => (Number(d) > 0 ? Number(n) / Number(d) : null);
  const dispatchQuality = quality
    .filter((r) => (unitIds ? unitIds.includes(r.unit_id as string) : true))
    .map((r) => ({
      unitId: r.unit_id as string | null,
      unitName: r.unit_id === null ? '全市' : (names.get(r.unit_id as string) ?? String(r.unit_id)),
      firstDispatched: Number(r.first_dispatched),
      dispatchAccuracy: rate(r.accurate, r.first_dispatched),
      suggestionAdoption: rate(r.adopted, r.suggested),
    }))
    .sort((a, b) => (a.unitId === null ? -1 : b.unitId === null ? 1 : b.firstDispatched - a.firstDispatched));

  const byUnit = new Map<string, UnitDeadlines>();
  for (const r of deadlineRows as (DeadlineItem & { unitId: string; unitName: string; kind: 'overdue' | 'dueSoon'; total: number })[]) {
    const unit = byUnit.get(r.unitId) ?? { unitId: r.unitId, unitName: r.unitName, overdueCount: 0, dueSoonCount: 0, overdue: [], dueSoon: [] };
    byUnit.set(r.unitId, unit);
    unit[r.kind].push({ id: r.id, code: r.code, status: r.status, category: r.category, dueAt: r.dueAt });
    unit[`${r.kind}Count`] = r.total;
  }

  return {
    scope: unitIds ? 'unit' : 'city',
    generatedAt: now,
    dayStart,
    monthStart,
    todayIntake: {
      total: (intake as { n: number }[]).reduce((sum, r) => sum + r.n, 0),
      byChannel: Object.fromEntries((intake as { channel: string; n: number }[]).map((r) => [r.channel, r.n])),
    },
    openByCategory: categories,
    deadlines: [...byUnit.values()].sort((a, b) => b.overdueCount - a.overdueCount || b.dueSoonCount - a.dueSoonCount),
    supervisionByLevel: supervision,
    onTimeRanking: (ranking as { unitId: string; unitName: string; closed: number; onTime: number }[])
      .map((r) => ({ ...r, rate: r.onTime / r.closed }))
      .sort((a, b) => b.rate - a.rate || b.closed - a.closed),
    dispatchQuality,
  };
}
