import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors';
import type { ModelRun } from '../../core/dispatch/store';
import { DISPATCH_MODEL_STATUSES, DISPATCH_MODEL_TRIGGERS } from '../../core/vocabulary';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { DateTime, Nullable, ResponseObject, StringEnum, Type } from '../schemas';

const ModelRunSchema = ResponseObject({
  version: Type.Integer(),
  status: StringEnum(DISPATCH_MODEL_STATUSES),
  trigger: StringEnum(DISPATCH_MODEL_TRIGGERS),
  requestedBy: Type.String(),
  requestedAt: DateTime,
  trainedAt: Nullable(DateTime),
  samples: Nullable(Type.Integer()),
  heldBack: Nullable(Type.Integer()),
  accuracy: Nullable(Type.Number()),
  top3Accuracy: Nullable(Type.Number()),
  categoryAccuracy: Nullable(Type.Number()),
  error: Nullable(Type.String()),
  /** The version this server suggests with (null: the catalogue alone). */
  inUse: Nullable(Type.Integer()),
});

const view = (run: ModelRun, inUse: number | null) => ({
  ...run,
  requestedAt: run.requestedAt.toISOString(),
  trainedAt: run.trainedAt?.toISOString() ?? null,
  inUse,
});

/**
 * The learned dispatch model (core/dispatch): its newest run and a new one on demand. Training runs in the
 * process dispatchModelTraining (nightly, or started here) on a worker, never in a server.
 */
export default async function dispatchModelRoutes(app: FastifyInstance, { operations }: AppDeps) {
  app.get(
    '/api/dispatch-model',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: {
        tags: ['派单'],
        summary: '派单模型：最新一次训练的状态、样本数和留出样本上的准确率',
        security: [{ bearer: [] }],
        response: { 200: ModelRunSchema },
      },
    },
    async () => {
      await operations.models.sweepUnstarted();
      const run = await operations.models.latest();
      if (!run) throw new NotFoundError('version', '派单模型尚未训练：目前仅按派单目录建议', 'no dispatch model trained yet: the catalogue alone suggests');
      // Whoever reads "done" here gets suggestions from that version from this server at once.
      const inUse = await operations.suggestions.refreshModel();
      return view(run, inUse);
    },
  );

  app.post(
    '/api/dispatch-model/train',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('administration'),
      schema: { tags: ['派单'], summary: '按需重新训练派单模型（异步，202）', security: [{ bearer: [] }], response: { 202: ModelRunSchema } },
    },
    async (req, reply) => {
      const run = await operations.requestTraining(req.currentUser.username);
      return reply.code(202).send(view(run, operations.suggestions.modelVersion));
    },
  );
}
