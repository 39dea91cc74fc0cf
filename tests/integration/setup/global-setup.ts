/**
 * Starts the real system once for all integration tests, exactly as `npm start` does, on a fresh
 * embedded PostgreSQL: the engine jar as a child process, migrations, diagrams, workers and server.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { TEST_PORTS, stack } from './stack';

const ROOT = path.resolve(__dirname, '../../..');

export default async function globalSetup(): Promise<void> {
  rmSync(path.join(ROOT, stack.dataDir), { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, HOTLINE_MODE: 'demo', PORT: String(TEST_PORTS.api), ENGINE_PORT: String(TEST_PORTS.engine), EMBEDDED_PG_PORT: String(TEST_PORTS.pg), EMBEDDED_PG_DIR: stack.dataDir, WORKER_RETRY_BACKOFF_MS: '200' };
  delete env.DATABASE_URL;
  delete env.ENGINE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  (globalThis as { __hotlineStack?: typeof child }).__hotlineStack = child;

  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`system did not become ready in 8 minutes:\n${output.join('')}`)), 8 * 60_000);
    const onData = (d: Buffer) => {
      output.push(d.toString());
      if (output.join('').includes('[hotline] ready:')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`system exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
  child.stdout.removeAllListeners('data');
  child.stdout.resume();
  child.stderr.resume();
  process.stdout.write(`\n[integration] system ready: api ${stack.api}, engine ${stack.engine}\n`);
}
