import type { FastifyInstance } from 'fastify';
import { OPEN_STATUSES } from '../../core/cases/open';
import { EngineError } from '../../core/engine/client';
import { ConflictError, NotFoundError } from '../../core/errors';
import { TRANSFER_TARGETS } from '../../core/vocabulary';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { CaseIdParams, StringEnum, Text, Type, type Static } from '../schemas';

const ConductBody = Type.Object(
  { transferTo: StringEnum(TRANSFER_TARGETS, { description: '移交对象：监察机关或作风整顿办' }), reason: Text(2000) },
  { additionalProperties: false },
);

/**
 * 作风纪律 (R3.3, R6.4): the office flags a conduct problem at any step of an open work order; the engine's
 * event sub-process `conductTransfer` (message `conductIssue`) ends the handling and transfers the case to the
 * organ the office chose. The audit plugin records the call with its reason.
 */
export default async function conductRoutes(app: FastifyInstance, { cases, engine }: AppDeps) {
  app.post<{ Params: Static<typeof CaseIdParams>; Body: Static<typeof ConductBody> }>(
    '/api/cases/:id/conduct',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('supervision'),
      schema: {
        tags: ['工单'],
        summary: '反映干部作风纪律问题：移交监察机关或作风整顿办（热线办，任何环节）',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        body: ConductBody,
        response: { 204: Type.Null() },
      },
    },
    async (req, reply) => {
      const { transferTo, reason } = req.body;
      req.auditNote = { action: 'case.conduct-transfer', resource: 'cases', resourceId: req.params.id, detail: { transferTo, reason } };
      const c = await cases.get(req.params.id);
      if (!c) throw new NotFoundError('id', '工单不存在', 'no such work order');
      if (!c.processInstanceId || !OPEN_STATUSES.includes(c.status)) throw new ConflictError('id', '工单已办结或已移交', 'the work order is no longer open');
      try {
        await engine.correlateMessage('conductIssue', c.processInstanceId, { conductIssue: true, transferTo, conductReason: reason.trim() });
      } catch (e) {
        // no execution waits for the message: the process ended meanwhile
        if (e instanceof EngineError && (e.status === 400 || e.status === 404))
          throw new ConflictError('id', '工单已办结或已移交', 'the work order is no longer open');
        throw e;
      }
      return reply.status(204).send();
    },
  );
}
