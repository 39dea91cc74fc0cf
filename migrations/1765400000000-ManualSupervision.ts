import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * 六 the office's own escalation (POST /api/cases/:id/supervision): the outbox carries the request to the engine
 * (kind `supervision-request`, keyed by the request's id), and a notice's reason holds the office's reason after
 * the table's (up to 500 characters of its own).
 */
export class ManualSupervision1765400000000 implements MigrationInterface {
  name = 'ManualSupervision1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check`);
    await q.query(
      `ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('process-start', 'task-complete', 'deadline-move', 'calendar-recompute', 'supervision-request'))`,
    );
    await q.query(`ALTER TABLE supervision_notices ALTER COLUMN reason TYPE varchar(800)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM outbox WHERE kind = 'supervision-request'`);
    await q.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_kind_check`);
    await q.query(
      `ALTER TABLE outbox ADD CONSTRAINT outbox_kind_check CHECK (kind IN ('process-start', 'task-complete', 'deadline-move', 'calendar-recompute'))`,
    );
    await q.query(`ALTER TABLE supervision_notices ALTER COLUMN reason TYPE varchar(300) USING left(reason, 300)`);
  }
}
