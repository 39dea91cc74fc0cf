import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * 四 D 突发性、敏感性、群体性: the flags marked at intake (core/vocabulary.ts CASE_FLAG) are stored on the work order,
 * filterable in the case list (GIN index for `flags @> ARRAY[...]`).
 */
export class CaseFlags1765500000000 implements MigrationInterface {
  name = 'CaseFlags1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_orders ADD COLUMN flags varchar(20)[] NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX work_orders_flags_idx ON work_orders USING gin (flags)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX work_orders_flags_idx`);
    await q.query(`ALTER TABLE work_orders DROP COLUMN flags`);
  }
}
