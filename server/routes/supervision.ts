import type { FastifyInstance } from 'fastify';
import { SUPERVISION_LADDER } from '../../core/vocabulary';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { CaseIdParams, StringEnum, Text, Type, type Static } from '../schemas';

const SupervisionBody = Type.Object(
  {
    level: StringEnum(SUPERVISION_LADDER, { description: '提级后的督办级别，须高于当前级别' }),
    reason: Text(500),
  },
  { additionalProperties: false },
);

const SupervisionRequested = Type.Object({
  id: Type.String({ description: '提级督办请求的 id' }),
  caseId: Type.String(),
  level: StringEnum(SUPERVISION_LADDER),
  status: Type.Literal('pending'),
});

/**
 * 六 提级督办: the hotline office raises an open, dispatched work order's supervision level by hand with a reason
 * (热点难点、群众反映集中、涉及面广、关注度高 …). Recorded at once and carried to the engine by the outbox relay
 * (core/operations/supervision.ts), which enters the same ladder as a deadline: 202 with the request's id.
 */
export default async function supervisionRoutes(app: FastifyInstance, { operations }: AppDeps) {
  app.post<{ Params: Static<typeof CaseIdParams>; Body: Static<typeof SupervisionBody> }>(
    '/api/cases/:id/supervision',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('supervision'),
      schema: {
        tags: ['工单'],
        summary: '提级督办：热线办将交办中的工单提升到更高的督办级别（书面、现场、重点督办或移交），须说明事由',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        body: SupervisionBody,
        response: { 202: SupervisionRequested },
      },
    },
    async (req, reply) => {
      const { level } = req.body;
      const reason = req.body.reason.trim();
      req.auditNote = { action: 'case.supervision-request', resource: 'cases', resourceId: req.params.id, detail: { level, reason } };
      const requested = await operations.requestSupervision({ caseId: req.params.id, level, reason, actor: req.currentUser.username });
      return reply.status(202).send(requested);
    },
  );
}
