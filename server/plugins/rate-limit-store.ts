/**
 * The rate limits' counters in PostgreSQL, so a limit holds across every server of a deployment (a client
 * spreading its requests over several servers gets no more than one server would allow). A fixed window per
 * key, counted with one upsert; each route's limits have their own key space, as with the in-memory store.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { DataSource } from 'typeorm';

type Done = (err: Error | null, res?: { current: number; ttl: number }) => void;

/** Keys older than this are swept, now and then, by the counting itself. */
const SWEEP_AFTER = '1 day';
const SWEEP_EVERY = 1000;

export function pgRateLimitStore(ds: DataSource): FastifyRateLimitStoreCtor {
  let counted = 0;
  let limiters = 0;
  const windowSql = `rate_limits.window_start + $2 * interval '1 millisecond' <= now()`;

  return class PgRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _params: unknown,
      private readonly space = 'global',
    ) {}

    incr(key: string, done: Done, timeWindow: number): void {
      if (++counted % SWEEP_EVERY === 0) void ds.query(`DELETE FROM rate_limits WHERE window_start < now() - interval '${SWEEP_AFTER}'`).catch(() => undefined);
      ds.query(
        `INSERT INTO rate_limits(key, window_start, count) VALUES ($1, now(), 1)
         ON CONFLICT (key) DO UPDATE SET count = CASE WHEN ${windowSql} THEN 1 ELSE rate_limits.count + 1 END,
                                         window_start = CASE WHEN ${windowSql} THEN now() ELSE rate_limits.window_start END
         RETURNING count, greatest(0, ceil(extract(epoch FROM window_start + $2 * interval '1 millisecond' - now()) * 1000))::int AS ttl`,
        [`${this.space}|${key}`, timeWindow],
      ).then(
        (rows: { count: number; ttl: number }[]) => done(null, { current: rows[0].count, ttl: rows[0].ttl }),
        (e: Error) => done(e),
      );
    }

    read(key: string, done: Done, timeWindow: number): void {
      ds.query(
        `SELECT count, greatest(0, ceil(extract(epoch FROM window_start + $2 * interval '1 millisecond' - now()) * 1000))::int AS ttl
           FROM rate_limits WHERE key = $1 AND window_start + $2 * interval '1 millisecond' > now()`,
        [`${this.space}|${key}`, timeWindow],
      ).then(
        (rows: { count: number; ttl: number }[]) => done(null, rows[0] ? { current: rows[0].count, ttl: rows[0].ttl } : { current: 0, ttl: timeWindow }),
        (e: Error) => done(e),
      );
    }

    /**
     * A route's own limits: a key space named by the route; a limiter made in code (no route) is named by the
     * order it was made in, which is the same on every server running the same code.
     */
    child(params: object): PgRateLimitStore {
      // The plugin passes the route's merged limit options with the route as `routeInfo` ({} for a limiter made in code).
      const info = (params as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      return new PgRateLimitStore(undefined, info.url ? `${String(info.method)} ${info.url}` : `limiter#${++limiters}`);
    }
  };
}
