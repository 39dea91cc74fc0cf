/**
 * One PostgreSQL advisory lock for the work that must happen once however many processes start at once:
 * migrations, seeding, roles and grants, the deployment of bpmn/. Held by a session of its own, so a process
 * that dies mid-way releases it with its connection.
 */
import { Client } from 'pg';

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
