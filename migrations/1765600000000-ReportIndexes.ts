import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The annual report on a million work orders (issue 14 item 12): partial indexes for the events the reports look
 * up per case (the first dispatch, a return decision, transfers, dissatisfied revisits), a partial index of the
 * delegated work orders (七(三): the level-3 figures start from them), and statistics on `data->>'taskKey'` so the
 * planner knows how many revisits a period holds (it guessed 0.5 % and probed work_orders once per revisit).
 */
export class ReportIndexes1765600000000 implements MigrationInterface {
  name = 'ReportIndexes1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX case_events_dispatch_task_idx ON case_events(case_id, occurred_at) WHERE type = 'task-completed' AND data->>'taskKey' = 'dispatch'`,
    );
    await q.query(`CREATE INDEX case_events_decide_return_idx ON case_events(case_id) WHERE type = 'task-completed' AND data->>'taskKey' = 'decideReturn'`);
    await q.query(`CREATE INDEX case_events_transferred_idx ON case_events(occurred_at) WHERE type = 'status' AND to_status = 'transferred'`);
    await q.query(
      `CREATE INDEX case_events_dissatisfied_idx ON case_events(occurred_at) WHERE type = 'task-completed' AND data->>'taskKey' = 'revisit'
         AND (data->'variables'->'revisit'->>'resultSatisfaction' = 'unsatisfied' OR data->'variables'->'revisit'->>'truthful' = 'false')`,
    );
    await q.query(`CREATE INDEX work_orders_delegated_idx ON work_orders(id) WHERE delegated_unit_id IS NOT NULL`);
    // Covering indexes: a year's closed cases (completion) and the work order behind each event (revisits, overdue,
    // transfers) are read from the index alone, not from the wide heap rows (content, address) of a million cases.
    await q.query(
      `CREATE INDEX work_orders_closed_report_idx ON work_orders(closed_at) INCLUDE (id, lead_unit_id, dispatched_at, status, imported) WHERE closed_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX work_orders_report_idx ON work_orders(id) INCLUDE (lead_unit_id, delegated_unit_id, imported, status)`);
    await q.query(`DROP INDEX work_orders_closed_at_idx`);
    await q.query(`CREATE STATISTICS case_events_task_key_stats ON (data->>'taskKey') FROM case_events`);
    await q.query(`ANALYZE case_events`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP STATISTICS case_events_task_key_stats`);
    await q.query(`CREATE INDEX work_orders_closed_at_idx ON work_orders(closed_at) WHERE closed_at IS NOT NULL`);
    await q.query(`DROP INDEX work_orders_report_idx`);
    await q.query(`DROP INDEX work_orders_closed_report_idx`);
    await q.query(`DROP INDEX work_orders_delegated_idx`);
    await q.query(`DROP INDEX case_events_dissatisfied_idx`);
    await q.query(`DROP INDEX case_events_transferred_idx`);
    await q.query(`DROP INDEX case_events_decide_return_idx`);
    await q.query(`DROP INDEX case_events_dispatch_task_idx`);
  }
}
