import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every server (logins, pages of personal data, exports): one fixed window per
 * key. Unlogged: a counter lost in a database crash only restarts its window.
 */
export class RateLimits1765000000000 implements MigrationInterface {
  name = 'RateLimits1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE UNLOGGED TABLE rate_limits (key varchar(300) PRIMARY KEY, window_start timestamptz NOT NULL, count integer NOT NULL)`);
    await q.query(`CREATE INDEX rate_limits_window ON rate_limits (window_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limits`);
  }
}
