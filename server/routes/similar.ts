import type { FastifyInstance } from 'fastify';
import { similarOpenCases, type SimilarQuery } from '../../core/cases/similar';
import { ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';

const similarSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    code: { type: 'string' },
    status: { type: 'string' },
    address: { type: 'string' },
    content: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    leadUnitId: { type: ['string', 'null'] },
    addressScore: { type: 'number' },
    contentScore: { type: ['number', 'null'] },
    samePhone: { type: 'boolean' },
  },
} as const;

/** 疑似重复 at intake: open work orders like the call being typed (no personal data in the answer). */
export default async function similarRoutes(app: FastifyInstance, { ds }: AppDeps) {
  app.get<{ Querystring: SimilarQuery }>(
    '/api/cases/similar',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('intake'),
      schema: {
        tags: ['工单'],
        summary: '疑似重复工单：同一或相近地址、相似诉求（或同一来电号码）的未办结工单',
        security: [{ bearer: [] }],
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            address: { type: 'string', maxLength: 200 },
            content: { type: 'string', maxLength: 5000 },
            phone: { type: 'string', maxLength: 20 },
          },
        },
        response: { 200: { type: 'object', properties: { items: { type: 'array', items: similarSchema } } } },
      },
    },
    async (req) => {
      if (!req.query.address?.trim() && !req.query.phone?.trim()) throw new ValidationError('address', '请提供地址或联系电话', 'address or phone is required', 400);
      return { items: await similarOpenCases(ds, req.query) };
    },
  );
}
