import type { FastifyInstance } from 'fastify';
import { similarOpenCases } from '../../core/cases/similar';
import { ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { DateTime, Nullable, ResponseObject, Type, type Static } from '../schemas';

const SimilarQuery = Type.Object(
  {
    address: Type.Optional(Type.String({ maxLength: 200 })),
    content: Type.Optional(Type.String({ maxLength: 5000 })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: false },
);

const SimilarSchema = ResponseObject({
  id: Type.String(),
  code: Type.String(),
  status: Type.String(),
  address: Type.String(),
  content: Type.String(),
  createdAt: DateTime,
  dueAt: Nullable(DateTime),
  leadUnitId: Nullable(Type.String()),
  addressScore: Type.Number(),
  contentScore: Nullable(Type.Number()),
  samePhone: Type.Boolean(),
});

/** 疑似重复 at intake: open work orders like the call being typed (no personal data in the answer). */
export default async function similarRoutes(app: FastifyInstance, { ds }: AppDeps) {
  app.get<{ Querystring: Static<typeof SimilarQuery> }>(
    '/api/cases/similar',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('intake'),
      schema: {
        tags: ['工单'],
        summary: '疑似重复工单：同一或相近地址、相似诉求（或同一来电号码）的未办结工单',
        security: [{ bearer: [] }],
        querystring: SimilarQuery,
        response: { 200: ResponseObject({ items: Type.Array(SimilarSchema) }) },
      },
    },
    async (req) => {
      if (!req.query.address?.trim() && !req.query.phone?.trim())
        throw new ValidationError('address', '请提供地址或联系电话', 'address or phone is required', 400);
      return { items: await similarOpenCases(ds, req.query) };
    },
  );
}
