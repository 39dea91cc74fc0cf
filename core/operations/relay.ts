/**
 * The outbox relay, in every server process: claims due rows oldest first and carries them out in parallel
 * (bounded), woken at once by a commit in this process or, through LISTEN/NOTIFY, in another, and polling as
 * a fallback. A row that fails is due again after a back-off; while the engine is out of reach the relay
 * gives its rows back at once (another server may reach it) and pauses itself.
 */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { EngineUnavailableError } from '../errors';
import { InjectedCrash } from './faults';
import { claimDue, OUTBOX_CHANNEL, release, type OutboxKind, type OutboxRow } from './outbox';

export type RowHandler = (row: OutboxRow) => Promise<Record<string, unknown> | void>;

export interface RelayOptions {
  concurrency: number;
  pollMs: number;
  leaseMs: number;
  /** LISTEN for other servers' commits on this database URL; none = poll only. */
  listenUrl?: string;
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
}

export interface Relay {
  start(): void;
  stop(): Promise<void>;
  wake(): void;
  /** Carries out a row the caller claimed; a failure gives the row back (due again later) and is thrown. */
  run(row: OutboxRow): Promise<Record<string, unknown> | void>;
  /** The result of row `id` if this process carries it out within `timeoutMs`; null at once while the relay is busy. */
  settled(id: string, timeoutMs: number): Promise<Record<string, unknown> | null>;
}

const MAX_BACKOFF_MS = 60_000;

export function createRelay(ds: DataSource, handlers: Record<OutboxKind, RowHandler>, opts: RelayOptions): Relay {
  let inflight = 0;
  let pumping = false;
  let again = false;
  let stopped = true;
  let pausedUntil = 0;
  let pauseMs = 0;
  let poll: NodeJS.Timeout | undefined;
  let listener: Client | undefined;
  let relisten: NodeJS.Timeout | undefined;
  const waiters = new Map<string, ((result: Record<string, unknown>) => void)[]>();

  async function run(row: OutboxRow): Promise<Record<string, unknown> | void> {
    try {
      const result = await handlers[row.kind](row);
      pauseMs = 0;
      for (const w of waiters.get(row.id) ?? []) w(result ?? {});
      waiters.delete(row.id);
      return result;
    } catch (e) {
      // A dead process gives nothing back: its claim runs out.
      if (e instanceof InjectedCrash) throw e;
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof EngineUnavailableError) {
        pauseMs = Math.min(Math.max(pauseMs * 2, 500), 30_000);
        pausedUntil = Date.now() + pauseMs;
        await release(ds, row.id, message, 0, false).catch(() => undefined);
      } else {
        await release(ds, row.id, message, Math.min(1000 * 2 ** Math.max(row.attempts - 1, 0), MAX_BACKOFF_MS)).catch(() => undefined);
      }
      throw e;
    }
  }

  async function pump(): Promise<void> {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        while (!stopped && inflight < opts.concurrency && Date.now() >= pausedUntil) {
          const rows = await claimDue(ds, opts.concurrency - inflight, opts.leaseMs);
          if (rows.length === 0) break;
          for (const row of rows) {
            inflight++;
            void run(row)
              .catch((e: unknown) => {
                if (!(e instanceof EngineUnavailableError)) opts.log('warn', `outbox ${row.kind} ${row.key}: ${e instanceof Error ? e.message : String(e)}`);
              })
              .finally(() => {
                inflight--;
                void pump();
              });
          }
        }
      } while (again && !stopped);
    } catch (e) {
      opts.log('warn', `outbox relay: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      pumping = false;
    }
  }

  async function listen(): Promise<void> {
    if (!opts.listenUrl || stopped) return;
    const client = new Client({ connectionString: opts.listenUrl, application_name: 'hotline-relay' });
    const retry = () => {
      if (listener === client) listener = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (!stopped && !relisten) relisten = setTimeout(() => ((relisten = undefined), void listen()), opts.pollMs);
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', () => void pump());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      listener = client;
      void pump();
    } catch {
      retry();
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      poll = setInterval(() => void pump(), opts.pollMs);
      void listen();
      void pump();
    },
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(relisten);
      const l = listener;
      listener = undefined;
      if (l) {
        l.removeAllListeners();
        l.on('error', () => undefined);
        await l.end().catch(() => undefined);
      }
      const until = Date.now() + 10_000;
      while (inflight > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    },
    wake: () => void pump(),
    run,
    settled(id, timeoutMs) {
      // A relay already busy will not reach a new row within the wait: answer at once.
      if (timeoutMs <= 0 || inflight >= opts.concurrency) return Promise.resolve(null);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          const list = waiters.get(id)?.filter((w) => w !== done) ?? [];
          if (list.length) waiters.set(id, list);
          else waiters.delete(id);
          resolve(null);
        }, timeoutMs);
        const done = (result: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(result);
        };
        waiters.set(id, [...(waiters.get(id) ?? []), done]);
      });
    },
  };
}
