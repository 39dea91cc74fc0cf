import type { FastifyInstance } from 'fastify';
import { UnitEntity } from '../../core/db/entities';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { Nullable, ResponseObject, Type, type Static } from '../schemas';

const SuggestionQuery = Type.Object(
  { content: Type.String({ minLength: 1, maxLength: 1000 }), address: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

/**
 * The suggestions the operator sees while typing (R4, R2.1): the same decision tables the process evaluates
 * at intake — caseCategory from the content, caseUnit from the content and address — so what is shown is
 * what the dispatch task will propose. They are evaluated in-process (core/policy/suggestions.ts), never
 * waiting for the engine.
 */
export default async function suggestionRoutes(app: FastifyInstance, { ds, operations }: AppDeps) {
  app.get<{ Querystring: Static<typeof SuggestionQuery> }>(
    '/api/suggestions',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('intake'),
      schema: {
        tags: ['工单'],
        summary: '受理时的分类和承办单位建议（决策表 caseCategory、caseUnit）',
        security: [{ bearer: [] }],
        querystring: SuggestionQuery,
        response: { 200: ResponseObject({ category: Nullable(Type.String()), unitId: Nullable(Type.String()), unitName: Nullable(Type.String()) }) },
      },
    },
    async (req) => {
      const { category, unitId } = operations.suggestions.suggest({ content: req.query.content, address: req.query.address ?? '' });
      const found = unitId ? await ds.getRepository(UnitEntity).findOneBy({ id: unitId }) : null;
      return { category, unitId: found?.id ?? null, unitName: found?.name ?? null };
    },
  );
}
