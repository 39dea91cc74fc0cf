import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Assessment (R7.4): the compiled reports (周分析, 月通报, 年终考核), one per kind and period, and the
 * indexes the period queries of core/reports/indicators.ts need on a few million rows.
 */
export class Assessment1764300000000 implements MigrationInterface {
  name = 'Assessment1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(10) NOT NULL CHECK (kind IN ('weekly', 'monthly', 'annual')),
        period varchar(10) NOT NULL,
        compiled_at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL,
        status varchar(10) NOT NULL DEFAULT 'compiled' CHECK (status IN ('compiled', 'published')),
        published_by varchar(60),
        published_at timestamptz,
        comment varchar(2000),
        UNIQUE (kind, period)
      )`);
    await q.query(`CREATE INDEX work_orders_dispatched_at_idx ON work_orders(dispatched_at) WHERE dispatched_at IS NOT NULL`);
    await q.query(`CREATE INDEX work_orders_closed_at_idx ON work_orders(closed_at) WHERE closed_at IS NOT NULL`);
    await q.query(`CREATE INDEX case_events_type_time_idx ON case_events(type, occurred_at)`);
    await q.query(`CREATE INDEX case_events_overdue_case_idx ON case_events(case_id) WHERE type = 'overdue'`);
    await q.query(`CREATE INDEX case_events_revisit_idx ON case_events(occurred_at) WHERE type = 'task-completed' AND data->>'taskKey' = 'revisit'`);
    await q.query(`CREATE INDEX supervision_notices_issued_idx ON supervision_notices(issued_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX supervision_notices_issued_idx`);
    await q.query(`DROP INDEX case_events_revisit_idx`);
    await q.query(`DROP INDEX case_events_overdue_case_idx`);
    await q.query(`DROP INDEX case_events_type_time_idx`);
    await q.query(`DROP INDEX work_orders_closed_at_idx`);
    await q.query(`DROP INDEX work_orders_dispatched_at_idx`);
    await q.query(`DROP TABLE reports`);
  }
}
