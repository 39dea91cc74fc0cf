import type { FastifyInstance } from 'fastify';
import type { DispatchSuggestion } from '../../core/dispatch/suggester';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { CaseIdParams, CategorySchema, Nullable, ResponseObject, Text, Type, type Static } from '../schemas';
import { visibleCase } from '../visibility';

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
 * (core/dispatch/suggester.ts) — the answer intake records with the work order, and the process's `case-suggest`
 * step proposes on the form.
 */
export default async function suggestionRoutes(app: FastifyInstance, { ds, cases, operations }: AppDeps) {
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

  // The 分类交办 form's panel: what the case's form proposes (the suggestion recorded with it, which 建议采纳率
  // compares the dispatch with) first, today's other candidates after it.
  app.get<{ Params: Static<typeof CaseIdParams> }>(
    '/api/cases/:id/suggestion',
    {
      onRequest: app.authenticate,
      preHandler: requireGroup('intake'),
      schema: {
        tags: ['工单'],
        summary: '工单的分类和承办单位建议：受理时记录的建议在先（分类交办表单的默认值），其余候选在后',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: { 200: SuggestionResponse },
      },
    },
    async (req) => {
      const c = await visibleCase(ds, cases, req.params.id, req.currentUser);
      const recorded = { category: c.suggestedCategory, unitId: c.suggestedUnitId, source: c.suggestionSource };
      return operations.suggestions.suggest({ content: c.content, address: c.address, recorded });
    },
  );
}
