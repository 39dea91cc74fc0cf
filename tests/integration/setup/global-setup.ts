/**
 * Starts the real system once for all integration tests, exactly as `npm start` does, on a fresh
 * embedded PostgreSQL: the engine jar as a child process, migrations, diagrams, workers and server.
 */
import { startSystemProcess } from '../../../scripts/lib/system-process';
import { LOGIN_RATE_LIMIT, TEST_PORTS, stack } from './stack';

export default async function globalSetup(): Promise<void> {
  const system = await startSystemProcess(TEST_PORTS, stack.dataDir, { WORKER_RETRY_BACKOFF_MS: '200', LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT) });
  (globalThis as { __hotlineStack?: unknown }).__hotlineStack = system.child;
  process.stdout.write(`\n[integration] system ready: api ${stack.api}, engine ${stack.engine}\n`);
}
