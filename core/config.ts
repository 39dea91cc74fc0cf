/**
 * The one typed configuration of the system, read from the environment once at boot.
 * Every setting is validated here; a bad or missing value stops the start with a message
 * that names the variable, instead of failing later somewhere deep in a request.
 */
import path from 'node:path';
import { ENGINE_REQUEST_TIMEOUT_MS } from './engine/client';
import { TIME_ZONE } from './vocabulary';

export type Mode = 'demo' | 'production';

export interface Config {
  mode: Mode;
  rootDir: string;
  /** PostgreSQL for the application; undefined = start the project's embedded server. */
  databaseUrl?: string;
  /** PostgreSQL for the engine; defaults to a sibling database `<app db>_engine` on the same server. */
  engineDatabaseUrl?: string;
  /** What the server and workers connect as, when the operator made the roles (see README); else derived. */
  appDatabaseUrl?: string;
  /** What the tasklist reads the engine's task tables as, when the operator made the role. */
  taskListDatabaseUrl?: string;
  embeddedPg: { port: number; dataDir: string };
  /**
   * urls: ENGINE_URL's engine nodes (comma-separated), tried in turn; empty = `npm start` runs one itself.
   * timezone: the engine's clock for cron timers (周分析 Monday 08:00 means Beijing time).
   * heap: a node's -Xmx. serviceUser/servicePassword: the REST API's account (password unset = generated file).
   */
  engine: { urls: string[]; port: number; bind: string; timezone: string; heap: string; serviceUser: string; servicePassword?: string };
  /**
   * trustProxy: fastify's `trustProxy` (false, true, or the proxies' addresses/CIDRs), so the client's address
   * is read from X-Forwarded-For only when the request came through a trusted proxy.
   * metricsToken: the bearer that opens /metrics to other than loopback clients (unset: loopback only).
   */
  server: { host: string; port: number; bodyLimit: number; trustProxy: boolean | string[]; metricsToken?: string };
  /**
   * cookieSecure: mark the session cookies Secure even on plain HTTP requests (TLS ended by a proxy).
   * loginRateLimit: login attempts per minute per address and account; the same many times over per account
   * (across addresses) and per address (across accounts), see server/routes/auth.ts.
   */
  auth: { secret: string; tokenTtl: string; loginRateLimit: number; cookieSecure: boolean };
  /**
   * Personal data in bulk: pages of the work-order list (and searches) per user per minute, the most rows
   * one export may carry, and attachment quotas (bytes per work order, bytes per user per day).
   */
  privacy: { casePagesPerMinute: number; exportMaxRows: number; attachmentBytesPerCase: number; attachmentBytesPerUserDay: number };
  /** Production only: the password of the first `admin`, used once when no admin exists. */
  initialAdminPassword?: string;
  workers: { maxTasks: number; lockDuration: number; asyncResponseTimeout: number; retries: number; retryBackoffMs: number };
  /** The outbox relay and intake (core/operations/). */
  operations: { intakeWaitMs: number; relayConcurrency: number; relayPollMs: number; relayLeaseMs: number; importLeaseMs: number };
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`配置错误 / configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConfigError(name, `must be a TCP port (1-65535), got "${raw}"`);
  return n;
}

function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(name, `must be a positive integer, got "${raw}"`);
  return n;
}

/** TRUST_PROXY: unset or "false" = no proxy; "true" = any (only behind a proxy that sets X-Forwarded-For itself); or the proxies' addresses/CIDRs, comma-separated. */
function trustProxy(env: Env): boolean | string[] {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.every((a) => /^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a) || ['loopback', 'linklocal', 'uniquelocal'].includes(a))) {
    throw new ConfigError('TRUST_PROXY', `must be true, false, or addresses/CIDRs separated by commas, got "${raw}"`);
  }
  return list;
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  return raw;
}

/** RELAY_LEASE_MS: how long a relay holds an outbox row; longer than two engine exchanges can take, so no row is taken over while its start may still arrive. */
function relayLease(env: Env): number {
  const lease = positiveInt(env, 'RELAY_LEASE_MS', 60_000);
  if (lease < 2 * ENGINE_REQUEST_TIMEOUT_MS)
    throw new ConfigError('RELAY_LEASE_MS', `must be at least ${2 * ENGINE_REQUEST_TIMEOUT_MS} (twice the engine request timeout)`);
  return lease;
}

/** METRICS_TOKEN: at least 32 characters, or unset (then /metrics answers loopback clients only). */
function metricsToken(env: Env): string | undefined {
  const raw = env.METRICS_TOKEN || undefined;
  if (raw !== undefined && raw.length < 32) throw new ConfigError('METRICS_TOKEN', 'must be at least 32 characters');
  return raw;
}

/** ENGINE_URL: one engine node or several, comma-separated, each an http(s) URL of its /engine-rest. */
function engineUrls(env: Env): string[] {
  const raw = env.ENGINE_URL ?? '';
  return raw
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean)
    .map((u) => url({ ENGINE_URL: u }, 'ENGINE_URL', ['http:', 'https:'])!.replace(/\/$/, ''));
}

function heap(env: Env): string {
  const raw = env.ENGINE_HEAP || '768m';
  if (!/^\d+[kmgKMG]$/.test(raw)) throw new ConfigError('ENGINE_HEAP', `must be a JVM heap size such as 768m or 2g, got "${raw}"`);
  return raw;
}

function serviceUser(env: Env): string {
  const raw = env.ENGINE_SERVICE_USER || 'hotlineService';
  // the engine's resource id rule: letters and digits only
  if (!/^[A-Za-z0-9]{1,64}$/.test(raw)) throw new ConfigError('ENGINE_SERVICE_USER', `must be 1-64 letters and digits, got "${raw}"`);
  return raw;
}

function servicePassword(env: Env): string | undefined {
  const raw = env.ENGINE_SERVICE_PASSWORD || undefined;
  if (raw !== undefined && raw.length < 16) throw new ConfigError('ENGINE_SERVICE_PASSWORD', 'must be at least 16 characters');
  return raw;
}

/** Demo mode signs tokens with a fixed, public secret: fine for a laptop, never for production. */
export const DEMO_SECRET = 'hotline-demo-secret-not-for-production-use-000';

/** Demo mode has public passwords and a public secret: it listens on this machine only. */
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function loadConfig(env: Env = process.env): Config {
  const rootDir = path.resolve(__dirname, '..');
  const modeRaw = env.HOTLINE_MODE ?? 'demo';
  if (modeRaw !== 'demo' && modeRaw !== 'production') throw new ConfigError('HOTLINE_MODE', `must be "demo" or "production", got "${modeRaw}"`);
  const mode: Mode = modeRaw;

  const secret = env.AUTH_SECRET ?? (mode === 'demo' ? DEMO_SECRET : undefined);
  if (!secret) throw new ConfigError('AUTH_SECRET', 'is required outside demo mode (at least 32 random characters)');
  if (secret.length < 32) throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters');
  if (mode === 'production' && secret === DEMO_SECRET)
    throw new ConfigError('AUTH_SECRET', 'is the public demo secret; production needs its own (at least 32 random characters)');

  const host = env.HOST ?? '127.0.0.1';
  if (mode === 'demo' && !LOOPBACK.has(host)) {
    throw new ConfigError(
      'HOST',
      `is "${host}", but demo mode (HOTLINE_MODE unset or demo: public demo passwords) listens on loopback only (127.0.0.1, ::1, localhost); set HOTLINE_MODE=production to listen elsewhere`,
    );
  }

  const cookieSecureRaw = env.COOKIE_SECURE ?? (mode === 'production' ? 'true' : 'false');
  if (cookieSecureRaw !== 'true' && cookieSecureRaw !== 'false') throw new ConfigError('COOKIE_SECURE', `must be "true" or "false", got "${cookieSecureRaw}"`);

  const initialAdminPassword = env.ADMIN_INITIAL_PASSWORD || undefined;
  if (initialAdminPassword !== undefined && initialAdminPassword.length < 12) throw new ConfigError('ADMIN_INITIAL_PASSWORD', 'must be at least 12 characters');

  return {
    mode,
    rootDir,
    initialAdminPassword,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    engineDatabaseUrl: url(env, 'ENGINE_DATABASE_URL', ['postgres:', 'postgresql:']),
    appDatabaseUrl: url(env, 'APP_DATABASE_URL', ['postgres:', 'postgresql:']),
    taskListDatabaseUrl: url(env, 'TASKLIST_DATABASE_URL', ['postgres:', 'postgresql:']),
    embeddedPg: {
      port: port(env, 'EMBEDDED_PG_PORT', 54329),
      dataDir: path.resolve(rootDir, env.EMBEDDED_PG_DIR ?? '.data/postgres'),
    },
    engine: {
      urls: engineUrls(env),
      heap: heap(env),
      serviceUser: serviceUser(env),
      servicePassword: servicePassword(env),
      port: port(env, 'ENGINE_PORT', 8080),
      bind: env.ENGINE_BIND ?? '127.0.0.1',
      timezone: env.ENGINE_TIMEZONE ?? TIME_ZONE,
    },
    server: {
      host,
      port: port(env, 'PORT', 3000),
      bodyLimit: positiveInt(env, 'BODY_LIMIT_BYTES', 8 * 1024 * 1024),
      trustProxy: trustProxy(env),
      metricsToken: metricsToken(env),
    },
    privacy: {
      casePagesPerMinute: positiveInt(env, 'CASE_PAGES_PER_MINUTE', 30),
      exportMaxRows: positiveInt(env, 'CASE_EXPORT_MAX_ROWS', 5000),
      attachmentBytesPerCase: positiveInt(env, 'ATTACHMENT_BYTES_PER_CASE', 50 * 1024 * 1024),
      attachmentBytesPerUserDay: positiveInt(env, 'ATTACHMENT_BYTES_PER_USER_DAY', 200 * 1024 * 1024),
    },
    auth: { secret, tokenTtl: env.TOKEN_TTL ?? '8h', loginRateLimit: positiveInt(env, 'LOGIN_RATE_LIMIT', 10), cookieSecure: cookieSecureRaw === 'true' },
    workers: {
      maxTasks: positiveInt(env, 'WORKER_MAX_TASKS', 10),
      lockDuration: positiveInt(env, 'WORKER_LOCK_MS', 30_000),
      asyncResponseTimeout: positiveInt(env, 'WORKER_LONG_POLL_MS', 10_000),
      retries: positiveInt(env, 'WORKER_RETRIES', 3),
      retryBackoffMs: positiveInt(env, 'WORKER_RETRY_BACKOFF_MS', 5_000),
    },
    operations: {
      // 0 answers intake without waiting for the process to start.
      intakeWaitMs: env.INTAKE_WAIT_MS === '0' ? 0 : positiveInt(env, 'INTAKE_WAIT_MS', 50),
      relayConcurrency: positiveInt(env, 'RELAY_CONCURRENCY', 8),
      relayPollMs: positiveInt(env, 'RELAY_POLL_MS', 2_000),
      relayLeaseMs: relayLease(env),
      // A running history import renews its lease several times within it; a job not renewed for this long is failed.
      importLeaseMs: positiveInt(env, 'IMPORT_LEASE_MS', 60_000),
    },
  };
}
