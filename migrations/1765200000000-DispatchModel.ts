import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The learned dispatch model, one row per training run (its version), and on each work order the lead unit
 * suggested at intake with what made the suggestion (model version or catalogue), for 建议采纳率.
 */
export class DispatchModel1765200000000 implements MigrationInterface {
  name = 'DispatchModel1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE dispatch_models (
        version serial PRIMARY KEY,
        status varchar(10) NOT NULL CHECK (status IN ('training', 'done', 'failed')),
        trigger varchar(10) NOT NULL CHECK (trigger IN ('manual', 'nightly')),
        requested_by varchar(100) NOT NULL,
        process_instance_id varchar(64) UNIQUE,
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        trained_at timestamptz,
        samples integer,
        held_back integer,
        accuracy double precision,
        top3_accuracy double precision,
        category_accuracy double precision,
        model bytea,
        error text
      )`);
    await q.query(`CREATE INDEX dispatch_models_done ON dispatch_models (version DESC) WHERE status = 'done'`);
    await q.query(`ALTER TABLE work_orders ADD COLUMN suggested_unit_id varchar(40), ADD COLUMN suggestion_source varchar(60)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_orders DROP COLUMN suggested_unit_id, DROP COLUMN suggestion_source`);
    await q.query(`DROP TABLE dispatch_models`);
  }
}
