/**
 * One PostgreSQL advisory lock for the work that must happen once however many processes start at once:
 * migrations, seeding, roles and grants, the deployment of bpmn/. Held by a session of its own, so a process
 * that dies mid-way releases it with its connection. Named locks serialise a check and the act it guards.
 */
import { Client } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/** The lock's key (any constant bigint; this one spells "hotline"). */
export const SYSTEM_LOCK = 0x686f746c696e65n;
/** Held by an engine node creating the engine's tables, which nodes starting at once would otherwise all do. */
export const ENGINE_SCHEMA_LOCK = SYSTEM_LOCK + 1n;

export async function withSystemLock<T>(adminUrl: string, fn: () => Promise<T>, key = SYSTEM_LOCK): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key.toString()]);
    return await fn();
  } finally {
    await client.end();
  }
}

/** The class of the named locks below (two-key advisory locks; report months use 12345_07). */
const NAMED_LOCK = 12345_11;

/** Takes the lock `name` in the transaction `tx`, shared by every process: released at commit, rollback or a lost connection. */
export async function lockNamed(tx: EntityManager, name: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [NAMED_LOCK, name]);
}

/** Runs `fn` holding the lock `name`: one at a time across every server of the deployment (a check, then its act). */
export function oneAtATime<T>(ds: DataSource, name: string, fn: () => Promise<T>): Promise<T> {
  return ds.transaction(async (tx) => {
    await lockNamed(tx, name);
    return fn();
  });
}
