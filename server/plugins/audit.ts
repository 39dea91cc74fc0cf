/**
 * The audit log (PIPL): who did what to which record, from where. Rows go to `audit_log`, which the
 * database keeps append-only.
 *
 * - Every state-changing request under /api (POST/PUT/PATCH/DELETE) of a signed-in user is recorded after its
 *   answer, with its route, status code and resource id (the route's `:id`, a route's own note, or the `id` it answered).
 *   A request refused before anyone signed in is not: anyone could fill the log with it; the metrics count it
 *   (`hotline_refused_anonymous_total`, plugins/metrics.ts).
 *   The change has already happened by then, so a failed audit write cannot undo it: it is logged at
 *   error level ("audit write failed", with the whole entry) for the operators to act on, never swallowed.
 * - A disclosure of personal data (the full record to office roles, a revealed phone number) is recorded
 *   by its route *before* the data is sent, with `app.audit`: if that write fails the request fails (500)
 *   and nothing is disclosed unaudited.
 * - Login records its own success or failure (the username tried, never the password); login is rate-limited
 *   per address and per account, so failures cannot flood the log either.
 * - Reads of personal data in bulk (work-order lists and searches, exports) and attachment downloads are recorded
 *   by their routes before the data is sent.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { DataSource } from 'typeorm';

export interface AuditEntry {
  action: string;
  resource?: string | null;
  resourceId?: string | null;
  detail?: Record<string, unknown>;
  /** Default: the signed-in user. Login passes the username tried. */
  username?: string | null;
  roles?: string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Writes an audit row now; throws if it cannot (the caller fails closed). */
    audit(req: FastifyRequest, entry: AuditEntry): Promise<void>;
    /** Writes an audit row now; a failure is logged at error level and does not fail the request. */
    auditOrLog(req: FastifyRequest, entry: AuditEntry): Promise<void>;
  }
  interface FastifyRequest {
    /** What a route adds to the automatic entry of a state-changing request (resource, id, detail). */
    auditNote: Partial<AuditEntry> | null;
    /** Set once the route has written its own entry, so the automatic one is not written twice. */
    audited: boolean;
  }
}

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const SELF_AUDITED = new Set(['/api/auth/login']);

/** `/api/cases/:id/reveal-phone` → `cases`. */
const resourceOf = (route: string) => route.split('/')[2] ?? null;

export default fp(async function audit(app: FastifyInstance, opts: { ds: DataSource }) {
  app.decorateRequest('auditNote', null);
  app.decorateRequest('audited', false);

  async function write(req: FastifyRequest, e: AuditEntry): Promise<void> {
    const user = req.currentUser;
    await opts.ds.query(`INSERT INTO audit_log(username, roles, action, resource, resource_id, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      e.username !== undefined ? e.username : (user?.username ?? null),
      e.roles ?? user?.roles ?? [],
      e.action,
      e.resource ?? null,
      e.resourceId ?? null,
      req.ip,
      JSON.stringify(e.detail ?? {}),
    ]);
    req.audited = true;
  }

  async function writeOrLog(req: FastifyRequest, e: AuditEntry): Promise<void> {
    try {
      await write(req, e);
    } catch (err) {
      req.log.error({ err, audit: e }, 'audit write failed');
    }
  }

  app.decorate('audit', write);
  app.decorate('auditOrLog', writeOrLog);

  const isAuditedChange = (req: FastifyRequest) =>
    req.currentUser !== null && CHANGES.has(req.method) && req.url.startsWith('/api/') && !SELF_AUDITED.has(req.routeOptions.url ?? '');

  const paramId = (req: FastifyRequest) => (req.params as { id?: string } | undefined)?.id;

  // The id a creating route answered with (POST /api/cases → the new work order's id), when the URL names none.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!isAuditedChange(req) || req.audited || reply.statusCode >= 300 || typeof payload !== 'string' || req.auditNote?.resourceId || paramId(req))
      return payload;
    const id = (() => {
      try {
        return (JSON.parse(payload) as { id?: unknown } | null)?.id;
      } catch {
        return undefined;
      }
    })();
    if (typeof id === 'string') req.auditNote = { ...req.auditNote, resourceId: id };
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    if (!isAuditedChange(req) || req.audited) return;
    const route = req.routeOptions.url ?? req.url.split('?')[0];
    const note = req.auditNote ?? {};
    await writeOrLog(req, {
      action: note.action ?? `${req.method} ${route}`,
      resource: note.resource ?? resourceOf(route),
      resourceId: note.resourceId ?? paramId(req) ?? null,
      detail: { status: reply.statusCode, ...note.detail },
    });
  });
});
