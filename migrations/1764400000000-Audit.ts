import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Privacy and accountability (PIPL): the append-only audit log, a token version per user so that 退出
 * revokes the token server-side, and trigram similarity for the duplicate hint at intake.
 */
export class Audit1764400000000 implements MigrationInterface {
  name = 'Audit1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        username varchar(60),
        roles text[] NOT NULL DEFAULT '{}',
        action varchar(100) NOT NULL,
        resource varchar(40),
        resource_id varchar(64),
        ip varchar(64),
        detail jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log(at DESC)`);
    await q.query(`CREATE INDEX audit_log_username_idx ON audit_log(username, at DESC)`);
    await q.query(`CREATE INDEX audit_log_resource_idx ON audit_log(resource_id, at DESC)`);
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log(action, at DESC)`);
    // Like the case timeline, the audit log is only ever added to.
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only';
      END $$`);
    await q.query(`CREATE TRIGGER audit_log_no_rewrite BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);

    // Carried in each token; 退出 increments it, which invalidates every token issued before.
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);

    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // pg_trgm skips non-ASCII characters when the database's LC_CTYPE is C (the embedded PostgreSQL's),
    // so Chinese text is compared as the hex of its UTF-8 bytes: locale-independent, and indexable.
    await q.query(`
      CREATE FUNCTION similarity_key(t text) RETURNS text IMMUTABLE STRICT PARALLEL SAFE LANGUAGE sql
      AS $$ SELECT encode(convert_to(lower(t), 'UTF8'), 'hex') $$`);
    await q.query(`
      CREATE INDEX work_orders_open_address_trgm_idx ON work_orders USING gin (similarity_key(address) gin_trgm_ops)
      WHERE status IN ('registered', 'dispatched', 'returned', 'reviewing', 'revisiting')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX work_orders_open_address_trgm_idx`);
    await q.query(`DROP FUNCTION similarity_key(text)`);
    await q.query(`DROP EXTENSION IF EXISTS pg_trgm`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
