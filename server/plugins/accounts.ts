/**
 * The accounts behind bearer tokens, kept in memory between requests. Every request of a signed-in user
 * needs its account (roles, unit, token version); loading it from the database each time was one of the
 * three round trips of the tasklist. PostgreSQL tells every server when an account changes (trigger
 * `users_notify_change` on channel `hotline_accounts`, migration AccountNotify), and each server drops that
 * account at once. While the listening connection is down nothing is kept, so a logout or a deactivation
 * never waits for a cache.
 */
import { Client } from 'pg';
const ACCOUNTS_CHANNEL = 'hotline_accounts';
const MAX_ENTRIES = 10_000;
const RECONNECT_MS = 1_000;

export class AccountCache<A extends { id: string }> {
  private readonly entries = new Map<string, A>();
  private listener?: Client;
  private closed = false;
  /** Bumped by every change heard, so a load that raced with a change is not kept. */
  private generation = 0;
  private readonly dead = new WeakSet<Client>();

  constructor(
    private readonly databaseUrl: string,
    private readonly load: (id: string) => Promise<A | null>,
    private readonly warn: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.databaseUrl, application_name: 'hotline-accounts' });
    client.on('notification', (n) => this.forget(n.payload ?? ''));
    client.on('error', (e) => this.lost(client, e.message));
    client.on('end', () => this.lost(client, 'connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${ACCOUNTS_CHANNEL}`);
    } catch (e) {
      this.lost(client, e instanceof Error ? e.message : String(e));
      return;
    }
    this.listener = client;
  }

  async get(id: string): Promise<A | null> {
    const kept = this.entries.get(id);
    if (kept) return kept;
    const generation = this.generation;
    const account = await this.load(id);
    if (account && this.listener !== undefined && generation === this.generation) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(id, account);
    }
    return account;
  }

  /** Drops one account (a change made here is forgotten before the response, not when the notice arrives). */
  forget(id: string): void {
    this.generation++;
    this.entries.delete(id);
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.entries.clear();
    await this.listener?.end().catch(() => undefined);
  }

  private lost(client: Client, reason: string): void {
    if (this.dead.has(client)) return;
    this.dead.add(client);
    if (this.listener === client) this.listener = undefined;
    this.generation++;
    this.entries.clear();
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.warn(`account change notices lost (${reason}); accounts are read from the database until they are back`);
    setTimeout(() => {
      if (!this.closed) void this.start();
    }, RECONNECT_MS).unref();
  }
}
