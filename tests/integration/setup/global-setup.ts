/**
 * Starts the real system once for all integration tests, exactly as `npm start` does, on a fresh
 * embedded PostgreSQL: the engine jar as a child process, migrations, diagrams, workers and server.
 *
 * A default port already taken (a system someone left running, another checkout's tests) is replaced by a
 * free one, published in the environment the test files read their ports from (stack.ts); ports set by
 * the caller are kept as they are.
 */
import net from 'node:net';
import { startSystemProcess } from '../../../scripts/lib/system-process';
import { LOGIN_RATE_LIMIT, TEST_PORTS, stack } from './stack';

const PORT_VARIABLES = { TEST_PORT: 3190, TEST_ENGINE_PORT: 18090, TEST_PG_PORT: 54341 } as const;

const listenable = (port: number) =>
  new Promise<number | null>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });

async function choosePorts(): Promise<void> {
  for (const [name, fallback] of Object.entries(PORT_VARIABLES)) {
    if (process.env[name]) continue;
    const port = (await listenable(fallback)) ?? (await listenable(0));
    if (port === null) throw new Error(`no free port for ${name}`);
    if (port !== fallback) process.stdout.write(`\n[integration] port ${fallback} is taken: ${name}=${port}\n`);
    process.env[name] = String(port);
  }
}

export default async function globalSetup(): Promise<void> {
  await choosePorts();
  const system = await startSystemProcess(TEST_PORTS, stack.dataDir, { WORKER_RETRY_BACKOFF_MS: '200', LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT) });
  (globalThis as { __hotlineStack?: unknown }).__hotlineStack = system.child;
  process.stdout.write(`\n[integration] system ready: api ${stack.api}, engine ${stack.engine}\n`);
}
