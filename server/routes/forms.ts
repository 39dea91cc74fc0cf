import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors';
import type { AppDeps } from '../app';
import { formCatalog, formUses } from '../modeler/forms';
import { requireGroup } from '../plugins/auth';
import { Nullable, ResponseObject, Type, type Static } from '../schemas';

const admin = (app: FastifyInstance) => ({ onRequest: app.authenticate, preHandler: requireGroup('administration') });
const common = { tags: ['流程建模'], security: [{ bearer: [] }] };

const UseSchema = ResponseObject({ processKey: Type.String(), taskId: Type.String(), name: Nullable(Type.String()) });
const formProperties = {
  formId: Type.String(),
  resourceName: Type.String(),
  deploymentId: Type.String(),
  deploymentTime: Type.String(),
  version: Type.Integer(),
  usedBy: Type.Array(UseSchema),
};

const FormIdParams = Type.Object({ formId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,255}$' }) });

/**
 * The task forms for the modeler: the latest version of each deployed `.form` and the user tasks that
 * link it. Forms are deployed like diagrams, through POST /api/deployments (linted there).
 */
export default async function formRoutes(app: FastifyInstance, { engine }: AppDeps) {
  const catalog = formCatalog(engine);

  app.get(
    '/api/forms',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '已部署的任务表单（各取最新版本），含使用该表单的用户任务（最新流程版本中）',
        response: { 200: ResponseObject({ items: Type.Array(ResponseObject(formProperties)) }) },
      },
    },
    async () => {
      const [forms, uses] = await Promise.all([catalog.latest(), formUses(engine)]);
      return { items: forms.map((f) => ({ ...f, usedBy: uses.get(f.formId) ?? [] })) };
    },
  );

  app.get<{ Params: Static<typeof FormIdParams> }>(
    '/api/forms/:formId',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '某个表单最新版本的 form-js JSON，及使用它的用户任务',
        params: FormIdParams,
        response: { 200: ResponseObject({ ...formProperties, schema: Type.Object({}, { additionalProperties: true }) }) },
      },
    },
    async (req) => {
      const { formId } = req.params;
      const [found, uses] = await Promise.all([catalog.schema(formId), formUses(engine)]);
      if (!found) throw new NotFoundError('formId', `表单“${formId}”尚未部署`, `form ${formId} is not deployed`);
      return { ...found.version, schema: found.schema, usedBy: uses.get(formId) ?? [] };
    },
  );
}
