/**
 * The outbox (migrations/1764900000000-Outbox.ts): engine work promised in the database. A row is written in
 * the transaction of the change it belongs to; whoever carries it out first claims it with a lease, so several
 * servers never work on one row at once, and a claim left by a process that died runs out by itself.
 */
import type { DataSource, EntityManager } from 'typeorm';

export const OUTBOX_KINDS = ['process-start', 'task-complete', 'deadline-move', 'calendar-recompute', 'supervision-request'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];

export interface OutboxRow<P = Record<string, unknown>> {
  id: string;
  kind: OutboxKind;
  key: string;
  caseId: string | null;
  payload: P;
  attempts: number;
  createdAt: Date;
  doneAt: Date | null;
  outcome: 'done' | 'abandoned' | null;
  result: Record<string, unknown> | null;
  lockedUntil: Date | null;
}

/** The channel on which a commit that added unclaimed rows wakes the relays of every server (the trigger of migration Outbox notifies it). */
export const OUTBOX_CHANNEL = 'hotline_outbox';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

const COLUMNS = `id::text AS id, kind, key, case_id AS "caseId", payload, attempts, created_at AS "createdAt", done_at AS "doneAt", outcome, result, locked_until AS "lockedUntil"`;

/**
 * Adds a row inside `tx` unless its (kind, key) is there already; `claimMs` claims it for the caller at once
 * (it carries the row out itself right after the commit). Returns the new row, or null for a known key.
 */
export async function enqueue<P extends Record<string, unknown>>(
  tx: EntityManager,
  kind: OutboxKind,
  key: string,
  caseId: string | null,
  payload: P,
  claimMs?: number,
): Promise<OutboxRow<P> | null> {
  const rows: OutboxRow<P>[] = await tx.query(
    `INSERT INTO outbox(kind, key, case_id, payload, locked_until, attempts)
     VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE clock_timestamp() + make_interval(secs => $5::int / 1000.0) END, CASE WHEN $5::int IS NULL THEN 0 ELSE 1 END)
     ON CONFLICT (kind, key) DO NOTHING RETURNING ${COLUMNS}`,
    [kind, key, caseId, JSON.stringify(payload), claimMs ?? null],
  );
  return rows[0] ?? null;
}

/** Claims up to `limit` due rows, oldest first, skipping rows another claimer holds. */
export async function claimDue(db: Queryable, limit: number, leaseMs: number): Promise<OutboxRow[]> {
  // An UPDATE answers [rows, count] through TypeORM.
  const [rows]: [OutboxRow[], number] = await db.query(
    `UPDATE outbox SET locked_until = clock_timestamp() + make_interval(secs => $2::int / 1000.0), attempts = attempts + 1
      WHERE id IN (SELECT id FROM outbox
                    WHERE done_at IS NULL AND next_attempt_at <= clock_timestamp() AND (locked_until IS NULL OR locked_until < clock_timestamp())
                    ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    [limit, leaseMs],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** Claims one known row (a retried request carrying out its own row); null when it is done or held by another. */
export async function claimKey(db: Queryable, kind: OutboxKind, key: string, leaseMs: number): Promise<OutboxRow | null> {
  const [rows]: [OutboxRow[], number] = await db.query(
    `UPDATE outbox SET locked_until = clock_timestamp() + make_interval(secs => $3::int / 1000.0), attempts = attempts + 1
      WHERE kind = $1 AND key = $2 AND done_at IS NULL AND (locked_until IS NULL OR locked_until < clock_timestamp())
      RETURNING ${COLUMNS}`,
    [kind, key, leaseMs],
  );
  return rows[0] ?? null;
}

export async function find(db: Queryable, kind: OutboxKind, key: string): Promise<OutboxRow | null> {
  const rows: OutboxRow[] = await db.query(`SELECT ${COLUMNS} FROM outbox WHERE kind = $1 AND key = $2`, [kind, key]);
  return rows[0] ?? null;
}

/** Marks a row carried out (or abandoned: nothing left to do), in the caller's transaction. */
export async function finish(db: Queryable, id: string, outcome: 'done' | 'abandoned', result: Record<string, unknown> = {}): Promise<void> {
  await db.query(
    `UPDATE outbox SET done_at = clock_timestamp(), outcome = $2, result = $3, locked_until = NULL, last_error = NULL WHERE id = $1 AND done_at IS NULL`,
    [id, outcome, JSON.stringify(result)],
  );
}

/** Gives a claimed row back: due again after `delayMs`; `counted` false when the fault was not the row's (the engine was down). */
export async function release(db: Queryable, id: string, error: string, delayMs: number, counted = true): Promise<void> {
  await db.query(
    `UPDATE outbox SET locked_until = NULL, last_error = $2, next_attempt_at = clock_timestamp() + make_interval(secs => $3::int / 1000.0), attempts = attempts - CASE WHEN $4 THEN 0 ELSE 1 END
      WHERE id = $1 AND done_at IS NULL`,
    [id, error.slice(0, 1000), delayMs, counted],
  );
}

/** Forgets a row whose change was refused before anything was carried out (the request answers the refusal). */
export async function discard(db: Queryable, id: string): Promise<void> {
  await db.query(`DELETE FROM outbox WHERE id = $1 AND done_at IS NULL`, [id]);
}

export interface Backlog {
  kind: OutboxKind;
  pending: number;
  oldestSeconds: number | null;
}

export async function backlog(db: Queryable): Promise<Backlog[]> {
  const rows: { kind: OutboxKind; pending: number; oldest: number | null }[] = await db.query(
    `SELECT kind, count(*)::int AS pending, extract(epoch FROM clock_timestamp() - min(created_at))::float AS oldest FROM outbox WHERE done_at IS NULL GROUP BY kind`,
  );
  return OUTBOX_KINDS.map((kind) => {
    const r = rows.find((x) => x.kind === kind);
    return { kind, pending: r?.pending ?? 0, oldestSeconds: r?.oldest === null || r?.oldest === undefined ? null : Math.round(r.oldest * 10) / 10 };
  });
}
