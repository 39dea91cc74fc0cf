import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Monthly partial aggregates of the assessment indicators (issue 14 item 12; docs/indicators.md, "The annual
 * report from monthly aggregates"): an annual report sums twelve months of small rows instead of scanning a year.
 *
 * - `report_months`: one row per Beijing calendar month that has been built (its city intake counts); present =
 *   built.
 * - `report_month_units`: that month's per-unit parts, `scope` 'lead' (by lead unit, or the notice's unit; '' for a
 *   notice without one) or 'sub' (七(三), by level-3 unit). Counts of distinct cases (overdue, transferred, delegated)
 *   count a case in the month of its first such event in the calendar year, so twelve months add up to the year.
 * - `report_month_changes`: what made a month stale. Triggers on work_orders, case_events and supervision_notices
 *   write (month, writing transaction) in the writer's own transaction, for every month whose figures the change can
 *   touch; one row per month and transaction, so writers never wait on each other. A month is fresh when it has a
 *   `report_months` row and no change row; a rebuild deletes the change rows its snapshot saw, in the transaction
 *   that writes the month (core/reports/months.ts).
 */
const MONTH = (t: string) => `report_month(${t})`;

/** The events a figure reads: overdue, transfers, revisits, delegations, the first dispatch, return decisions. */
const RELEVANT = (e: string) =>
  `(${e}.type = 'overdue' OR (${e}.type = 'status' AND ${e}.to_status = 'transferred')
    OR (${e}.type = 'task-completed' AND ${e}.data->>'taskKey' IN ('revisit', 'unitRevisit', 'handle', 'dispatch', 'decideReturn')))`;
/** Events whose meaning reaches other months of their case (all but revisits): on-time of its closing month, the
 * first of the year's overdue events or delegations, the first dispatch and its correction in its dispatch month. */
const REACHING = (e: string) => `(${RELEVANT(e)} AND NOT (${e}.type = 'task-completed' AND ${e}.data->>'taskKey' IN ('revisit', 'unitRevisit')))`;

/** The months the listed cases count in now: their work order's instants, their relevant events, their notices. */
const caseMonths = (ids: string) => `
  SELECT unnest(ARRAY[w.created_at, w.dispatched_at, w.closed_at]) FROM work_orders w WHERE w.id IN (${ids})
  UNION ALL SELECT e.occurred_at FROM case_events e WHERE e.case_id IN (${ids}) AND ${RELEVANT('e')}
  UNION ALL SELECT n.issued_at FROM supervision_notices n WHERE n.case_id IN (${ids})`;

const mark = (instants: string) =>
  `INSERT INTO report_month_changes(month) SELECT DISTINCT ${MONTH('t')} FROM (${instants}) x(t) WHERE t IS NOT NULL ON CONFLICT DO NOTHING;`;

const WORK_ORDER_COLUMNS = [
  'status',
  'lead_unit_id',
  'delegated_unit_id',
  'imported',
  'created_at',
  'dispatched_at',
  'closed_at',
  'dispatch_count',
  'extension_count',
  'suggested_unit_id',
];
const instantsOf = (rows: string) => `SELECT unnest(ARRAY[r.created_at, r.dispatched_at, r.closed_at]) FROM ${rows} r`;
const eventMonths = (rows: string) => `
  SELECT r.occurred_at FROM ${rows} r WHERE ${RELEVANT('r')}
  UNION ALL ${caseMonths(`SELECT r.case_id FROM ${rows} r WHERE ${REACHING('r')}`)}`;

const FUNCTIONS: [string, string][] = [
  [
    'report_work_orders_changed',
    `IF TG_OP = 'INSERT' THEN ${mark(instantsOf('new_rows'))}
     ELSIF TG_OP = 'DELETE' THEN ${mark(instantsOf('old_rows'))}
     ELSE
       WITH changed AS (
         SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE (${WORK_ORDER_COLUMNS.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${WORK_ORDER_COLUMNS.map((c) => `n.${c}`).join(', ')}))
       ${mark(`${instantsOf('old_rows')} WHERE r.id IN (SELECT id FROM changed) UNION ALL ${caseMonths('SELECT id FROM changed')}`)}
     END IF;`,
  ],
  [
    'report_case_events_changed',
    // The timeline is append-only (case_events_no_rewrite): only inserts.
    mark(eventMonths('new_rows')),
  ],
  [
    'report_notices_changed',
    `IF TG_OP IN ('INSERT', 'UPDATE') THEN ${mark('SELECT issued_at FROM new_rows')} END IF;
     IF TG_OP IN ('DELETE', 'UPDATE') THEN ${mark('SELECT issued_at FROM old_rows')} END IF;`,
  ],
];
const ALL = ['insert', 'update', 'delete'] as const;
const TABLES: [string, string, readonly (typeof ALL)[number][]][] = [
  ['work_orders', 'report_work_orders_changed', ALL],
  ['case_events', 'report_case_events_changed', ['insert']],
  ['supervision_notices', 'report_notices_changed', ALL],
];
const REFERENCING = { insert: 'NEW TABLE AS new_rows', update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', delete: 'OLD TABLE AS old_rows' };

export class ReportMonths1765700000000 implements MigrationInterface {
  name = 'ReportMonths1765700000000';

  async up(q: QueryRunner): Promise<void> {
    // The Beijing calendar month of an instant (UTC+8 all year, as core/reports/period.ts), as the instant it begins.
    await q.query(`
      CREATE FUNCTION report_month(t timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT (date_trunc('month', (t AT TIME ZONE 'UTC') + interval '8 hours') - interval '8 hours') AT TIME ZONE 'UTC' $$`);
    await q.query(`
      CREATE TABLE report_months (
        month timestamptz PRIMARY KEY,
        received integer NOT NULL,
        answered integer NOT NULL,
        guided integer NOT NULL,
        built_at timestamptz NOT NULL DEFAULT now()
      )`);
    const counts = [
      'dispatched',
      'extensions',
      'redispatches',
      'closed',
      'revisitable',
      'on_time',
      'handled',
      'overdue',
      'transferred',
      'open_overdue',
      'revisits',
      'reached',
      'solved',
      'process_ok',
      'result_ok',
      'untrue',
      'unit_reached',
      'first_dispatched',
      'accurate',
      'suggested',
      'adopted',
      'delegated',
      'notices_written',
      'notices_onsite',
      'notices_key',
      'notices_transferred',
    ];
    await q.query(`
      CREATE TABLE report_month_units (
        month timestamptz NOT NULL REFERENCES report_months(month) ON DELETE CASCADE,
        scope varchar(4) NOT NULL CHECK (scope IN ('lead', 'sub')),
        unit_id text NOT NULL,
        ${counts.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        handling_seconds numeric NOT NULL DEFAULT 0,
        handling float8[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (month, scope, unit_id)
      )`);
    await q.query(`
      CREATE TABLE report_month_changes (
        month timestamptz NOT NULL,
        xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
        PRIMARY KEY (month, xid)
      )`);
    for (const [name, body] of FUNCTIONS) {
      await q.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${body} RETURN NULL; END $$`);
    }
    for (const [table, fn, ops] of TABLES) {
      for (const op of ops) {
        await q.query(
          `CREATE TRIGGER ${table}_report_${op} AFTER ${op} ON ${table} REFERENCING ${REFERENCING[op]} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
        );
      }
    }
    // TRUNCATE has no rows to read: every built month is stale.
    await q.query(`
      CREATE FUNCTION report_truncated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
        INSERT INTO report_month_changes(month) SELECT month FROM report_months ON CONFLICT DO NOTHING; RETURN NULL; END $$`);
    for (const [table] of TABLES)
      await q.query(`CREATE TRIGGER ${table}_report_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION report_truncated()`);
    // The history already there: every month from the first work order's to this one is to be built.
    await q.query(`
      INSERT INTO report_month_changes(month)
      SELECT generate_series(report_month(min(created_at)), report_month(now()), interval '1 month') FROM work_orders HAVING min(created_at) IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [table, , ops] of TABLES) {
      for (const op of [...ops, 'truncate']) await q.query(`DROP TRIGGER ${table}_report_${op} ON ${table}`);
    }
    await q.query(`DROP FUNCTION report_truncated()`);
    for (const [name] of FUNCTIONS) await q.query(`DROP FUNCTION ${name}()`);
    await q.query(`DROP TABLE report_month_changes`);
    await q.query(`DROP TABLE report_month_units`);
    await q.query(`DROP TABLE report_months`);
    await q.query(`DROP FUNCTION report_month(timestamptz)`);
  }
}
