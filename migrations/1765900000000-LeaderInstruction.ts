import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * 一(四) 领导批示件: a leader's written instruction registered as its own work order (channel
 * `leader-instruction`), its leader, text and optional due date kept beside the work order; the case list filters
 * by channel.
 */
export class LeaderInstruction1765900000000 implements MigrationInterface {
  name = 'LeaderInstruction1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_orders DROP CONSTRAINT work_orders_channel_check`);
    await q.query(
      `ALTER TABLE work_orders ADD CONSTRAINT work_orders_channel_check
         CHECK (channel IN ('phone', 'web', 'wechat', 'app', 'letter', 'transfer', 'leader-instruction'))`,
    );
    await q.query(`
      CREATE TABLE leader_instructions (
        case_id uuid PRIMARY KEY REFERENCES work_orders(id) ON DELETE CASCADE,
        leader_name varchar(50) NOT NULL,
        text text NOT NULL,
        due_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // the case list filtered by channel (GET /api/cases?channel=leader-instruction), newest first
    await q.query(`CREATE INDEX work_orders_channel_idx ON work_orders(channel, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX work_orders_channel_idx`);
    await q.query(`DROP TABLE leader_instructions`);
    // Kept as work orders: an instruction becomes a plain 转办 (no case is lost by going back).
    await q.query(`UPDATE work_orders SET channel = 'transfer' WHERE channel = 'leader-instruction'`);
    await q.query(`ALTER TABLE work_orders DROP CONSTRAINT work_orders_channel_check`);
    await q.query(
      `ALTER TABLE work_orders ADD CONSTRAINT work_orders_channel_check CHECK (channel IN ('phone', 'web', 'wechat', 'app', 'letter', 'transfer'))`,
    );
  }
}
