/**
 * Personal data in bulk (PIPL; ASVS V8.3): lists and exports of work orders carry citizens' names, addresses and
 * (for level-1 users) their phone numbers. What leaves in bulk is audited with the ids it carried, paging through it
 * is rate-limited per user, and a phone number is searched for only by those who see phone numbers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../core/errors';
import { PHONE_PATTERN } from '../core/vocabulary';

const PHONE_QUERY = new RegExp(`^${PHONE_PATTERN}$`);
const CASE_CODE = /^12345-\d{8}-\d{6}$/;

/** Per user per minute (CASE_PAGES_PER_MINUTE): a fastify route `config.rateLimit`, run after authentication. */
export const personalDataRateLimit = (app: FastifyInstance, name: string) => ({
  max: app.privacy.casePagesPerMinute,
  timeWindow: '1 minute',
  keyGenerator: (req: FastifyRequest) => `${name}|${req.currentUser.id}`,
});

/**
 * A unit sees phone numbers masked; searching by a full number would tell it whether a masked one is that number
 * (10⁴ guesses recover it), so the search is refused to anyone who is not level-1 staff. The refusal is audited.
 */
export async function refusePhoneSearch(app: FastifyInstance, req: FastifyRequest, action: string, q: string | undefined): Promise<void> {
  if (!q || req.currentUser.cityWide || CASE_CODE.test(q) || !PHONE_QUERY.test(q)) return;
  await app.audit(req, { action, resource: 'cases', detail: { q, status: 403 } });
  throw new ForbiddenError(
    '按电话号码查询仅限热线办、话务员和管理员；单位请使用“显示号码”',
    'searching by phone number is for level-1 staff; units reveal a number on purpose (reveal-phone)',
    { field: 'querystring.q' },
  );
}

/** Audits a bulk read before it is sent: who, which work orders, which route and filter. */
export function auditBulkRead(app: FastifyInstance, req: FastifyRequest, action: string, ids: string[], detail: Record<string, unknown>): Promise<void> {
  return app.audit(req, { action, resource: 'cases', detail: { route: req.routeOptions.url, count: ids.length, ids, ...detail } });
}
