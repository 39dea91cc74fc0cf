import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Case search (`GET /api/cases?q=`) on a million work orders: trigram indexes over the free-text fields, so
 * `ILIKE '%…%'` is an index scan. They index Chinese characters where the database's LC_CTYPE is UTF-8
 * (the project creates its databases so); under LC_CTYPE C they stay valid but only help for ASCII.
 */
export class CaseSearch1764500000000 implements MigrationInterface {
  name = 'CaseSearch1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE INDEX work_orders_content_trgm_idx ON work_orders USING gin (content gin_trgm_ops)`);
    await q.query(`CREATE INDEX work_orders_address_trgm_idx ON work_orders USING gin (address gin_trgm_ops)`);
    await q.query(`CREATE INDEX work_orders_citizen_name_trgm_idx ON work_orders USING gin (citizen_name gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX work_orders_citizen_name_trgm_idx`);
    await q.query(`DROP INDEX work_orders_address_trgm_idx`);
    await q.query(`DROP INDEX work_orders_content_trgm_idx`);
  }
}
