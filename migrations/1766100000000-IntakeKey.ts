import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An intake request's idempotency key (the `Idempotency-Key` header): a request sent again — a retry after a lost
 * answer, a second click — finds the work order the first made instead of registering the call twice.
 * Unique per account that registered it; `intake_digest` fingerprints the request, so the same key with another
 * request is told apart (409) rather than answered with a work order it did not describe.
 */
export class IntakeKey1766100000000 implements MigrationInterface {
  name = 'IntakeKey1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_orders ADD COLUMN intake_key varchar(100), ADD COLUMN intake_digest char(64)`);
    await q.query(`CREATE UNIQUE INDEX work_orders_intake_key_idx ON work_orders (created_by, intake_key) WHERE intake_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX work_orders_intake_key_idx`);
    await q.query(`ALTER TABLE work_orders DROP COLUMN intake_key, DROP COLUMN intake_digest`);
  }
}
