import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The first tables: the three-level unit network, users, work orders, their timeline and the holiday calendar. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE units (
        id varchar(40) PRIMARY KEY,
        name varchar(100) NOT NULL,
        level smallint NOT NULL CHECK (level IN (1, 2, 3)),
        kind varchar(20) NOT NULL CHECK (kind IN ('office', 'district', 'department', 'utility', 'street')),
        parent_id varchar(40) REFERENCES units(id),
        sort integer NOT NULL DEFAULT 0,
        CHECK ((level = 1) = (parent_id IS NULL))
      )`);
    await q.query(`CREATE INDEX units_parent_idx ON units(parent_id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(60) NOT NULL UNIQUE,
        password_hash varchar(100) NOT NULL,
        display_name varchar(100) NOT NULL,
        roles text[] NOT NULL CHECK (roles <@ ARRAY['admin', 'operator', 'office', 'unit_handler', 'unit_leader']::text[]),
        unit_id varchar(40) REFERENCES units(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`CREATE SEQUENCE work_order_code_seq`);
    await q.query(`
      CREATE TABLE work_orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code varchar(32) NOT NULL UNIQUE,
        status varchar(20) NOT NULL CHECK (status IN ('registered', 'answered', 'guided', 'dispatched', 'returned', 'reviewing', 'revisiting', 'closed', 'transferred')),
        channel varchar(20) NOT NULL CHECK (channel IN ('phone', 'web', 'wechat', 'app', 'letter', 'transfer')),
        citizen_name varchar(50) NOT NULL,
        citizen_phone varchar(20) NOT NULL,
        address varchar(200) NOT NULL,
        content text NOT NULL,
        category char(1) CHECK (category IN ('A', 'B', 'C', 'D')),
        suggested_category char(1) CHECK (suggested_category IN ('A', 'B', 'C', 'D')),
        lead_unit_id varchar(40) REFERENCES units(id),
        process_instance_id varchar(64) UNIQUE,
        due_at timestamptz,
        due_basis varchar(200),
        due_provisional boolean NOT NULL DEFAULT false,
        supervision_level varchar(20) NOT NULL DEFAULT 'none' CHECK (supervision_level IN ('none', 'written', 'onsite', 'key', 'transferred')),
        overdue boolean NOT NULL DEFAULT false,
        dispatch_count integer NOT NULL DEFAULT 0,
        created_by varchar(60) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz
      )`);
    await q.query(`CREATE INDEX work_orders_status_idx ON work_orders(status, created_at DESC)`);
    await q.query(`CREATE INDEX work_orders_lead_unit_idx ON work_orders(lead_unit_id, status)`);
    await q.query(`CREATE INDEX work_orders_phone_idx ON work_orders(citizen_phone)`);
    await q.query(`CREATE INDEX work_orders_created_idx ON work_orders(created_at DESC)`);

    await q.query(`
      CREATE TABLE case_events (
        id bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES work_orders(id),
        type varchar(40) NOT NULL,
        actor varchar(60) NOT NULL,
        from_status varchar(20),
        to_status varchar(20),
        data jsonb NOT NULL DEFAULT '{}'::jsonb,
        dedupe_key varchar(200) UNIQUE,
        occurred_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_events_case_idx ON case_events(case_id, id)`);
    // The timeline is append-only: history is never rewritten, only added to.
    await q.query(`
      CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'case_events is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER case_events_no_rewrite BEFORE UPDATE OR DELETE ON case_events
      FOR EACH ROW EXECUTE FUNCTION case_events_append_only()`);

    await q.query(`
      CREATE TABLE calendar_days (
        day date PRIMARY KEY,
        kind varchar(10) NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name varchar(60) NOT NULL
      )`);
    await q.query(`
      CREATE TABLE calendar_years (
        year integer PRIMARY KEY,
        source varchar(100) NOT NULL,
        loaded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE calendar_years`);
    await q.query(`DROP TABLE calendar_days`);
    await q.query(`DROP TABLE case_events`);
    await q.query(`DROP FUNCTION case_events_append_only()`);
    await q.query(`DROP TABLE work_orders`);
    await q.query(`DROP SEQUENCE work_order_code_seq`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE units`);
  }
}
