import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Typical cases of a year (core/reports/typical.ts) ranked from narrow covering indexes, not from the wide heap rows
 * of a million work orders: the overdue ones by lateness (due and closing instants per overdue case) and the
 * re-dispatched ones by dispatches, extensions and code. Only the few listed are then read whole.
 */
export class TypicalIndexes1765800000000 implements MigrationInterface {
  name = 'TypicalIndexes1765800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX work_orders_due_report_idx ON work_orders(id) INCLUDE (due_at, closed_at, code) WHERE due_at IS NOT NULL AND NOT imported`);
    await q.query(
      `CREATE INDEX work_orders_redispatched_idx ON work_orders(dispatched_at) INCLUDE (id, dispatch_count, extension_count, code) WHERE dispatch_count > 1 AND NOT imported`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX work_orders_redispatched_idx`);
    await q.query(`DROP INDEX work_orders_due_report_idx`);
  }
}
