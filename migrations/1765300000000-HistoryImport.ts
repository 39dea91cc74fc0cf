import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * History import (历史工单导入): work orders brought over from a city's old platform are closed history with no
 * process instance (`work_orders.imported`), kept out of the deadline and satisfaction indicators. Each import is a
 * job row that every server can answer for: its status, counts and the rows it refused; `heartbeat_at` is the
 * lease of the process running it (a job whose process died is marked failed once the lease has run out).
 */
export class HistoryImport1765300000000 implements MigrationInterface {
  name = 'HistoryImport1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE work_orders ADD COLUMN imported boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE history_imports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status varchar(10) NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
        stage varchar(10) NOT NULL DEFAULT 'reading' CHECK (stage IN ('reading', 'checking', 'inserting', 'finished')),
        file_name varchar(200) NOT NULL,
        file_type varchar(10) NOT NULL CHECK (file_type IN ('csv', 'xlsx')),
        size_bytes integer NOT NULL,
        total integer NOT NULL DEFAULT 0,
        processed integer NOT NULL DEFAULT 0,
        imported integer NOT NULL DEFAULT 0,
        rejected jsonb NOT NULL DEFAULT '[]'::jsonb,
        message jsonb,
        created_by varchar(60) NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX history_imports_running_idx ON history_imports(heartbeat_at) WHERE status = 'running'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE history_imports`);
    await q.query(`ALTER TABLE work_orders DROP COLUMN imported`);
  }
}
