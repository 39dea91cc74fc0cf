import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../core/errors';
import { visibleLength } from '../../core/cases/limits';
import type { AppDeps } from '../app';
import { CaseIdParams, ResponseObject, Type, type Static } from '../schemas';
import { visibleCase } from '../visibility';

const RevealBody = Type.Object({ reason: Type.String({ maxLength: 200, description: '查看理由，2–200 个字符' }) }, { additionalProperties: false });

/**
 * 显示号码: units see the citizen's phone masked (PIPL) and reveal it on purpose, with a reason, when they
 * must call back. The reveal is audited with its reason before the number is sent; a unit that cannot see
 * the work order gets 403 (audited too, by the audit plugin).
 */
export default async function revealRoutes(app: FastifyInstance, { ds, cases }: AppDeps) {
  app.post<{ Params: Static<typeof CaseIdParams>; Body: Static<typeof RevealBody> }>(
    '/api/cases/:id/reveal-phone',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['工单'],
        summary: '显示反映人完整号码（须填写理由，记入审计日志）',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        body: RevealBody,
        response: { 200: ResponseObject({ phone: Type.String() }) },
      },
    },
    async (req) => {
      const reason = req.body.reason.trim();
      req.auditNote = { action: 'case.reveal-phone', resource: 'cases', detail: { reason } };
      if (visibleLength(reason) < 2) throw new ValidationError('reason', '请填写查看号码的理由（至少 2 个字）', 'reason must be at least 2 characters', 400);
      const c = await visibleCase(ds, cases, req.params.id, req.currentUser);
      await app.audit(req, { action: 'case.reveal-phone', resource: 'cases', resourceId: c.id, detail: { reason, code: c.code } });
      return { phone: c.citizenPhone };
    },
  );
}
