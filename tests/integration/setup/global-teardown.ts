/**
 * Stops the system with SIGTERM and checks the promise of the start script: every process it
 * started (the engine JVM, PostgreSQL) is gone afterwards, or the run fails.
 */
import type { ChildProcess } from 'node:child_process';
import { stopSystemProcess } from '../../../scripts/lib/system-process';

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { __hotlineStack?: ChildProcess }).__hotlineStack;
  if (!child) return;
  const children = await stopSystemProcess(child);
  process.stdout.write(`[integration] system stopped by SIGTERM; ${children} child processes all gone\n`);
}
