import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The whole rule set: co-units and delegation (R2.1, R1.4.3), extensions (R5.6.2), closing reasons (R5.5),
 * the deadline rule kept for recomputation (R4), supervision notices (R6) and attachments (R5.4).
 */
export class RuleSet1764100000000 implements MigrationInterface {
  name = 'RuleSet1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE work_orders
        ADD COLUMN co_unit_ids varchar(40)[] NOT NULL DEFAULT '{}',
        ADD COLUMN delegated_unit_id varchar(40) REFERENCES units(id),
        ADD COLUMN extension_count integer NOT NULL DEFAULT 0,
        ADD COLUMN close_reason varchar(30),
        ADD COLUMN dispatched_at timestamptz,
        ADD COLUMN due_rule jsonb`);
    await q.query(`CREATE INDEX work_orders_co_units_idx ON work_orders USING gin (co_unit_ids)`);
    await q.query(`CREATE INDEX work_orders_due_provisional_idx ON work_orders(due_provisional) WHERE due_provisional`);

    await q.query(`CREATE SEQUENCE supervision_notice_seq`);
    await q.query(`
      CREATE TABLE supervision_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES work_orders(id),
        number varchar(40) NOT NULL UNIQUE,
        level varchar(20) NOT NULL CHECK (level IN ('written', 'onsite', 'key', 'transferred')),
        trigger varchar(20) NOT NULL,
        reason varchar(300) NOT NULL,
        unit_id varchar(40) REFERENCES units(id),
        reply_due_at timestamptz,
        dedupe_key varchar(200) NOT NULL UNIQUE,
        issued_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX supervision_notices_case_idx ON supervision_notices(case_id, issued_at)`);

    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES work_orders(id),
        filename varchar(200) NOT NULL,
        mime_type varchar(100) NOT NULL,
        size_bytes integer NOT NULL,
        sha256 char(64) NOT NULL,
        content bytea NOT NULL,
        uploaded_by varchar(60) NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachments_case_idx ON attachments(case_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachments`);
    await q.query(`DROP TABLE supervision_notices`);
    await q.query(`DROP SEQUENCE supervision_notice_seq`);
    await q.query(`
      ALTER TABLE work_orders
        DROP COLUMN co_unit_ids, DROP COLUMN delegated_unit_id, DROP COLUMN extension_count,
        DROP COLUMN close_reason, DROP COLUMN dispatched_at, DROP COLUMN due_rule`);
  }
}
