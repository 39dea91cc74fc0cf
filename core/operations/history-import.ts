/**
 * History import (历史工单导入): a city's closed work orders from its old platform, brought in as closed history
 * with no process instance (docs/architecture.md, "Importing history").
 *
 * A job row in `history_imports` is written first (its id is the answer); the rest runs in the background of the
 * server that received the file: read the table, check every row (a file with any bad row imports nothing and
 * lists every fault), then insert every row in ONE transaction, in multi-row INSERTs of `batchRows`, and mark the
 * job done in that same transaction. A crash leaves either nothing or everything. The process running a job
 * renews its lease (`heartbeat_at`); a job whose lease ran out — its process died — is marked failed by whichever
 * server next reads it, sweeps at start or every reconcile period. The final UPDATE matches only a running job,
 * so a job already marked failed meanwhile rolls its rows back rather than reappear as done.
 */
import type { DataSource } from 'typeorm';
import { returned } from '../db/sql';
import { checkRow, mapHeader, missingColumnMessage, unitLookup, type ImportRow, type Message, type Rejection } from '../imports/rows';
import { readTableApart } from '../imports/read-apart';
import { UnreadableFile, type FileType } from '../imports/table';
import { TIME_ZONE, type ImportStage, type ImportStatus } from '../vocabulary';

export interface ImportJob {
  id: string;
  status: ImportStatus;
  stage: ImportStage;
  fileName: string;
  fileType: FileType;
  sizeBytes: number;
  total: number;
  processed: number;
  imported: number;
  /** Every fault, one per bad cell, in the order of the file. */
  rejected: Rejection[];
  /** How many rows have at least one fault. */
  rejectedRows: number;
  /** Why the import failed, when it did. */
  message: Message | null;
  createdBy: string;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface ImportActor {
  username: string;
  roles: string[];
  ip: string | null;
}

export interface ImportFile {
  name: string;
  type: FileType;
  content: Buffer;
}

export interface HistoryImportOptions {
  /** How long a running job's lease holds without being renewed: after it, the job is taken for dead. */
  leaseMs: number;
  /** Rows per INSERT statement. */
  batchRows: number;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export interface HistoryImports {
  /** Records the job and starts it in the background; resolves with its id as soon as the row is written. */
  start(file: ImportFile, actor: ImportActor): Promise<{ id: string }>;
  /** The job (a dead one marked failed first), or null. */
  get(id: string): Promise<ImportJob | null>;
  /** Marks the jobs whose lease ran out failed; returns how many. */
  sweepStale(): Promise<number>;
  /** Waits for this process's running jobs to settle (tests, shutdown). */
  settled(): Promise<void>;
  /** Gives up this process's running jobs: marked failed now, their transaction (if any) cannot mark them done. */
  stop(): Promise<void>;
}

const COLUMNS = `id, status, stage, file_name AS "fileName", file_type AS "fileType", size_bytes AS "sizeBytes", total, processed, imported,
  rejected, message, created_by AS "createdBy", started_at AS "startedAt", finished_at AS "finishedAt"`;

const STALE: Message = {
  zh: '导入进程意外中断（服务器重启或故障），未导入任何工单，请重新上传',
  en: 'the import was interrupted (its server stopped); nothing was imported, upload the file again',
};
const STOPPED: Message = { zh: '服务器停止，导入中断，未导入任何工单，请重新上传', en: 'the server stopped; nothing was imported, upload the file again' };
const FAILED: Message = { zh: '导入失败，未导入任何工单，请稍后重试', en: 'the import failed; nothing was imported, try again later' };

/** Raised inside the import transaction when the job is no longer running: the transaction rolls back. */
class JobLost extends Error {}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
/** A refused file lists at most this many faults (its message counts every bad row). */
export const MAX_LISTED_FAULTS = 1000;

export function createHistoryImports(ds: DataSource, o: HistoryImportOptions): HistoryImports {
  const running = new Map<string, Promise<void>>();

  const update = (id: string, set: string, params: unknown[] = []) =>
    ds.query(`UPDATE history_imports SET ${set}, heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [id, ...params]);

  async function fail(id: string, message: Message, rejected: Rejection[] = []): Promise<void> {
    await ds.query(
      `UPDATE history_imports SET status = 'failed', stage = 'finished', message = $2, rejected = $3, imported = 0, finished_at = now()
        WHERE id = $1 AND status = 'running'`,
      [id, JSON.stringify(message), JSON.stringify(rejected)],
    );
  }

  /** The import's outcome in the audit log: who, which file, the counts; never a row's content. */
  async function audit(id: string, actor: ImportActor, file: ImportFile): Promise<void> {
    const [job] = (await ds.query(`SELECT status, total, imported, rejected FROM history_imports WHERE id = $1`, [id])) as {
      status: ImportStatus;
      total: number;
      imported: number;
      rejected: Rejection[];
    }[];
    if (!job) return;
    await ds.query(`INSERT INTO audit_log(username, roles, action, resource, resource_id, ip, detail) VALUES ($1, $2, $3, 'imports', $4, $5, $6)`, [
      actor.username,
      actor.roles,
      `history-import.${job.status}`,
      id,
      actor.ip,
      JSON.stringify({
        fileName: file.name,
        fileType: file.type,
        sizeBytes: file.content.length,
        total: job.total,
        imported: job.imported,
        rejectedRows: new Set(job.rejected.map((r) => r.row)).size,
      }),
    ]);
  }

  async function insertAll(id: string, rows: ImportRow[], actor: string): Promise<void> {
    await ds.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += o.batchRows) {
        const batch = rows.slice(i, i + o.batchRows);
        const col = <T>(f: (r: ImportRow) => T) => batch.map(f);
        // One statement per batch, its rows as arrays: a handful of parameters however many rows it carries.
        await tx.query(
          `INSERT INTO work_orders (code, status, channel, citizen_name, citizen_phone, address, content, category, lead_unit_id, due_provisional,
                                    supervision_level, overdue, dispatch_count, created_by, created_at, updated_at, dispatched_at, closed_at, imported)
           SELECT '12345-' || to_char(r.received AT TIME ZONE $10, 'YYYYMMDD') || '-' || lpad(nextval('work_order_code_seq')::text, 6, '0'),
                  'closed', r.channel, r.name, r.phone, r.address, r.content, r.category, r.unit, false,
                  'none', false, 1, $11, r.received, now(), r.received, r.closed, true
             FROM unnest($1::timestamptz[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
                  AS r(received, closed, channel, name, phone, address, content, category, unit)`,
          [
            col((r) => r.receivedAt.toISOString()),
            col((r) => r.closedAt.toISOString()),
            col((r) => r.channel),
            col((r) => r.citizenName),
            col((r) => r.citizenPhone),
            col((r) => r.address),
            col((r) => r.content),
            col((r) => r.category),
            col((r) => r.leadUnitId),
            TIME_ZONE,
            actor,
          ],
        );
        // Progress on another connection: visible to every server while the rows are still uncommitted.
        await update(id, 'processed = $2', [i + batch.length]);
      }
      const done = returned(
        await tx.query(
          `UPDATE history_imports SET status = 'done', stage = 'finished', processed = $2, imported = $2, finished_at = now(), heartbeat_at = now()
          WHERE id = $1 AND status = 'running' RETURNING id`,
          [id, rows.length],
        ),
      );
      if (done.length === 0) throw new JobLost(`import ${id} is no longer running`);
    });
  }

  async function run(id: string, file: ImportFile, actor: ImportActor): Promise<void> {
    const beat = setInterval(() => void update(id, 'stage = stage').catch(() => undefined), Math.max(o.leaseMs / 6, 200));
    beat.unref();
    try {
      const now = new Date();
      const table = await readTableApart(file.type, file.content);
      const { columns, missing } = mapHeader(table.header);
      if (missing.length > 0) {
        await fail(
          id,
          missingColumnMessage(missing[0]),
          missing.map((c) => ({ row: 1, column: c, message: missingColumnMessage(c) })),
        );
        return;
      }
      await update(id, `stage = 'checking', total = $2`, [table.rows.length]);
      const units = unitLookup((await ds.query(`SELECT id, name FROM units`)) as { id: string; name: string }[]);
      const rows: ImportRow[] = [];
      const rejected: Rejection[] = [];
      let badRows = 0;
      for (let i = 0; i < table.rows.length; i += 1) {
        const { row, cells } = table.rows[i];
        const checked = checkRow(cells, row, columns, units, now);
        if ('ok' in checked) rows.push(checked.ok);
        else {
          // Every bad row is counted; the first MAX_LISTED_FAULTS faults are listed (a bounded job, a bounded answer).
          rejected.push(...checked.faults.slice(0, MAX_LISTED_FAULTS - rejected.length));
          badRows += 1;
        }
        if (i % 5000 === 4999) await pause();
      }
      if (badRows > 0) {
        const listed = new Set(rejected.map((r) => r.row)).size;
        const more = listed < badRows ? { zh: `（列出前 ${listed} 行）`, en: ` (the first ${listed} listed)` } : { zh: '', en: '' };
        await fail(id, { zh: `${badRows} 行有误${more.zh}，未导入任何工单`, en: `${badRows} row(s) are wrong${more.en}; nothing was imported` }, rejected);
        return;
      }
      if (rows.length === 0) {
        await fail(id, { zh: '文件中没有数据行', en: 'the file has no data rows' });
        return;
      }
      await update(id, `stage = 'inserting'`);
      await insertAll(id, rows, actor.username);
      o.log('info', `history import ${id}: ${rows.length} work orders imported`);
    } catch (e) {
      if (e instanceof UnreadableFile) await fail(id, { zh: e.zh, en: e.en });
      else if (!(e instanceof JobLost)) {
        o.log('error', `history import ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
        await fail(id, FAILED).catch(() => undefined);
      }
    } finally {
      clearInterval(beat);
      await audit(id, actor, file).catch((e: unknown) => o.log('error', `audit write failed for history import ${id}: ${String(e)}`));
    }
  }

  const imports: HistoryImports = {
    async start(file, actor) {
      const [{ id }] = (await ds.query(`INSERT INTO history_imports (file_name, file_type, size_bytes, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [
        file.name,
        file.type,
        file.content.length,
        actor.username,
      ])) as { id: string }[];
      const job = run(id, file, actor).finally(() => running.delete(id));
      running.set(id, job);
      return { id };
    },

    async get(id) {
      await imports.sweepStale();
      const [job] = (await ds.query(`SELECT ${COLUMNS} FROM history_imports WHERE id = $1`, [id])) as Omit<ImportJob, 'rejectedRows'>[];
      if (!job) return null;
      return { ...job, rejectedRows: new Set(job.rejected.map((r) => r.row)).size };
    },

    async sweepStale() {
      const marked = returned(
        await ds.query(
          `UPDATE history_imports SET status = 'failed', stage = 'finished', message = $2, finished_at = now()
            WHERE status = 'running' AND heartbeat_at < now() - $1 * interval '1 millisecond' RETURNING id`,
          [o.leaseMs, JSON.stringify(STALE)],
        ),
      );
      if (marked.length > 0) o.log('warn', `history imports whose server died, marked failed: ${marked.length}`);
      return marked.length;
    },

    async settled() {
      await Promise.all(running.values());
    },

    async stop() {
      const ids = [...running.keys()];
      for (const id of ids) await fail(id, STOPPED).catch(() => undefined);
    },
  };
  return imports;
}
