import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The transactional outbox of the operations (core/operations/): what was promised in the database and is
 * still to be carried out (start a work order's process, complete a task, move a deadline's timers, recompute
 * the deadlines of a loaded holiday year). A row is written in the same transaction as the change it belongs
 * to; the relay carries it out at least once, and each kind is idempotent by its key.
 */
export class Outbox1764900000000 implements MigrationInterface {
  name = 'Outbox1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        kind varchar(20) NOT NULL CHECK (kind IN ('process-start', 'task-complete', 'deadline-move', 'calendar-recompute')),
        key varchar(200) NOT NULL,
        case_id uuid REFERENCES work_orders(id),
        payload jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_error text,
        done_at timestamptz,
        outcome varchar(20) CHECK (outcome IN ('done', 'abandoned')),
        result jsonb,
        UNIQUE (kind, key)
      )`);
    // The relay's queue: pending rows, oldest first.
    await q.query(`CREATE INDEX outbox_pending_idx ON outbox(next_attempt_at, id) WHERE done_at IS NULL`);
    await q.query(`CREATE INDEX outbox_case_idx ON outbox(case_id)`);
    // A row nobody claimed wakes the relays of every server when its transaction commits (no extra round trip).
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('hotline_outbox', NEW.kind);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW WHEN (NEW.locked_until IS NULL) EXECUTE FUNCTION outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
  }
}
