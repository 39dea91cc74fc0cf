/**
 * One part of the system (the server, the workers) as a process of its own: it stops cleanly on SIGINT or
 * SIGTERM, and also when the `npm start` that supervises it goes away (its IPC channel closes — even after a
 * kill -9 of the parent, so no part outlives it); it tells that parent when it is ready.
 */
import { ConfigError, type Config } from '../../core/config';
import type { EngineClient } from '../../core/engine/client';

export interface RunningPart {
  /** What the part says once it is ready (e.g. the address it listens on). */
  ready: string;
  stop(): Promise<void>;
}

export type PartLog = (msg: string) => void;

export function runPart(name: string, start: (log: PartLog) => Promise<RunningPart>): void {
  const log: PartLog = (msg) => process.stdout.write(`[${name}] ${msg}\n`);
  let part: RunningPart | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await part?.stop().catch((e: unknown) => log(`stopping failed: ${String(e)}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  if (process.send) process.on('disconnect', () => void shutdown(0));
  start(log).then(
    (running) => {
      part = running;
      log(`ready: ${running.ready}`);
      process.send?.({ ready: running.ready });
    },
    (e: unknown) => {
      log(e instanceof ConfigError ? e.message : `start failed: ${e instanceof Error ? e.stack : String(e)}`);
      void shutdown(1);
    },
  );
}

/** The settings a part needs from the environment when it runs on its own. */
export function requireDeployment(config: Config, part: string): void {
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', `is required by \`npm run ${part}\` (\`npm start\` runs its own PostgreSQL and sets it)`);
  if (config.engine.urls.length === 0) throw new ConfigError('ENGINE_URL', `is required by \`npm run ${part}\`: the engine node(s), comma-separated`);
}

/** Waits until some engine node answers (they may still be starting), up to `timeoutMs`. */
export async function waitForEngine(engine: EngineClient, log: PartLog, timeoutMs = 300_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      await engine.engines();
      return;
    } catch (e) {
      if (Date.now() > until) throw e;
      if (attempt % 20 === 0) log(`waiting for the engine at ${engine.nodes.join(', ')}…`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
