import type { FastifyInstance } from 'fastify';
import type { DispatchSuggestion } from '../../core/dispatch/suggester';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { CategorySchema, Nullable, ResponseObject, Text, Type, type Static } from '../schemas';

/** The call as intake takes it: content up to 5,000 characters (POST for long text), the address optional. */
const SuggestionInput = Type.Object({ content: Text(5000), address: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

const SuggestionResponse = ResponseObject({
  category: CategorySchema,
  categoryReason: Type.String(),
  unitId: Nullable(Type.String()),
  unitName: Nullable(Type.String()),
  candidates: Type.Array(ResponseObject({ unitId: Type.String(), unitName: Type.String(), score: Type.Number(), reason: Type.String() })),
  source: Nullable(Type.String()),
});

const schema = (summary: string, input: 'querystring' | 'body') => ({
  tags: ['工单'],
  summary,
  security: [{ bearer: [] }],
  [input]: SuggestionInput,
  response: { 200: SuggestionResponse },
});

/**
 * The dispatch suggestion the operator sees while typing and the office sees on 分类交办 (R4, R2.1): category
 * and lead unit with the top three candidates and their reasons, from the 派单目录 and the learned model
 * (core/dispatch/suggester.ts) — the same answer the process's `case-suggest` step records.
 */
export default async function suggestionRoutes(app: FastifyInstance, { operations }: AppDeps) {
  const answer = (input: Static<typeof SuggestionInput>): Promise<DispatchSuggestion> =>
    operations.suggestions.suggest({ content: input.content, address: input.address ?? '' });

  app.get<{ Querystring: Static<typeof SuggestionInput> }>(
    '/api/suggestions',
    { onRequest: app.authenticate, preHandler: requireGroup('intake'), schema: schema('受理时的分类和承办单位建议（派单目录和派单模型）', 'querystring') },
    (req) => answer(req.query),
  );

  app.post<{ Body: Static<typeof SuggestionInput> }>(
    '/api/suggestions',
    { onRequest: app.authenticate, preHandler: requireGroup('intake'), schema: schema('长文本的分类和承办单位建议（最多 5000 字）', 'body') },
    (req) => answer(req.body),
  );
}
