import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * 不定期点评 (R7.4 ad-hoc review): the office compiles a report over any range of days, stored like the
 * scheduled ones under kind `adhoc` and a period label `2026-11-01~2026-11-20`.
 */
export class AdhocReview1764700000000 implements MigrationInterface {
  name = 'AdhocReview1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports DROP CONSTRAINT reports_kind_check`);
    await q.query(`ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('weekly', 'monthly', 'annual', 'adhoc'))`);
    await q.query(`ALTER TABLE reports ALTER COLUMN period TYPE varchar(21)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM reports WHERE kind = 'adhoc'`);
    await q.query(`ALTER TABLE reports ALTER COLUMN period TYPE varchar(10)`);
    await q.query(`ALTER TABLE reports DROP CONSTRAINT reports_kind_check`);
    await q.query(`ALTER TABLE reports ADD CONSTRAINT reports_kind_check CHECK (kind IN ('weekly', 'monthly', 'annual'))`);
  }
}
