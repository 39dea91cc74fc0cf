import type { Multipart } from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { LintFile } from '../../core/bpmn/lint';
import { ValidationError } from '../../core/errors';
import { oneAtATime } from '../../core/db/lock';
import type { AppDeps } from '../app';
import { checkedDeploy, lint, MODELER_SOURCE } from '../modeler/deploy';
import { requireGroup } from '../plugins/auth';
import { ApiErrorSchema, Nullable, ResponseObject, StringEnum, Type, type Static } from '../schemas';

/** Per-file and per-request limits of the upload; @fastify/multipart is registered with the same numbers. */
export const UPLOAD_LIMITS = { fileSize: 2 * 1024 * 1024, files: 20, fields: 5 };

const KINDS = ['process', 'decision'] as const;

const admin = (app: FastifyInstance) => ({ onRequest: app.authenticate, preHandler: requireGroup('administration') });
const common = { tags: ['流程建模'], security: [{ bearer: [] }] };

const NullableString = Nullable(Type.String());
const ProblemSchema = ResponseObject({ file: Type.String(), elementId: NullableString, message: Type.String() });
const ImpactSchema = ResponseObject({
  kind: Type.String(),
  file: Type.String(),
  processKey: Type.String(),
  version: Type.Integer(),
  elementId: NullableString,
  name: NullableString,
  runningInstances: Type.Integer(),
  message: Type.String(),
});

/** What a deployment made: a new version of each definition it carried. */
export const DeployedSchema = ResponseObject({
  deploymentId: Type.String(),
  definitions: Type.Array(ResponseObject({ key: Type.String(), version: Type.Integer(), kind: Type.String() })),
});

/** A refused deployment: the error, with the lint problems (422) or the impacts on running work orders to confirm (409). */
export const DeployRefusalSchema = ResponseObject({ ...ApiErrorSchema.properties, problems: Type.Array(ProblemSchema), impacts: Type.Array(ImpactSchema) });

const DefinitionSchema = ResponseObject({
  kind: StringEnum(KINDS),
  id: Type.String(),
  key: Type.String(),
  name: NullableString,
  version: Type.Integer(),
  resource: Type.String(),
  deploymentId: Type.String(),
});

const DeploymentQuery = Type.Object(
  { firstResult: Type.Integer({ minimum: 0, maximum: 100_000_000, default: 0 }), maxResults: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) },
  { additionalProperties: false },
);
const XmlParams = Type.Object({ kind: StringEnum(KINDS), id: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,255}$' }) });
const LintBody = Type.Object(
  {
    files: Type.Array(
      Type.Object(
        { name: Type.String({ minLength: 1, maxLength: 200 }), content: Type.String({ maxLength: UPLOAD_LIMITS.fileSize }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: UPLOAD_LIMITS.files },
    ),
  },
  { additionalProperties: false },
);

/** Reads the upload: the files, the `comment` and the `confirm` fields. Limits are answered in Chinese, naming the field. */
async function readUpload(parts: AsyncIterableIterator<Multipart>): Promise<{ files: LintFile[]; comment: string; confirm: boolean }> {
  const files: LintFile[] = [];
  let comment = '';
  let confirm = false;
  try {
    for await (const part of parts) {
      if (part.type === 'file') files.push({ name: part.filename, content: (await part.toBuffer()).toString('utf8') });
      else if (part.fieldname === 'comment') comment = String(part.value).trim();
      else if (part.fieldname === 'confirm') confirm = String(part.value) === 'true';
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      throw new ValidationError('files', `单个文件不能超过 ${UPLOAD_LIMITS.fileSize / 1024 / 1024} MB`, `a file exceeds ${UPLOAD_LIMITS.fileSize} bytes`, 400);
    if (code === 'FST_FILES_LIMIT')
      throw new ValidationError('files', `一次最多部署 ${UPLOAD_LIMITS.files} 个文件`, `at most ${UPLOAD_LIMITS.files} files`, 400);
    throw e;
  }
  if (files.length === 0) throw new ValidationError('files', '请至少选择一个 .bpmn、.dmn 或 .form 文件', 'at least one file is required', 400);
  if (!comment) throw new ValidationError('comment', '请填写部署说明', 'comment is required', 400);
  if (comment.length > 200) throw new ValidationError('comment', '部署说明过长（最多 200 个字符）', 'comment is longer than 200 characters', 400);
  return { files, comment, confirm };
}

/**
 * The admins' modeler: deployed definitions and their XML, the deployment history, and new deployments.
 * Every upload is linted first (core/bpmn/lint.ts); only a clean set reaches the engine.
 */
export default async function deploymentRoutes(app: FastifyInstance, { engine, ds, operations }: AppDeps) {
  app.get<{ Querystring: Static<typeof DeploymentQuery> }>(
    '/api/deployments',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '部署历史（最新在前）',
        querystring: DeploymentQuery,
        response: {
          200: ResponseObject({
            items: Type.Array(
              ResponseObject({
                id: Type.String(),
                comment: NullableString,
                source: NullableString,
                deployedBy: NullableString,
                deploymentTime: Type.String(),
                resources: Type.Array(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const deployments = await engine.deployments(req.query.firstResult, req.query.maxResults);
      const items = await Promise.all(
        deployments.map(async (d) => ({
          id: d.id,
          comment: d.name,
          source: d.source,
          deployedBy: d.source?.startsWith(MODELER_SOURCE) ? d.source.slice(MODELER_SOURCE.length) : null,
          deploymentTime: d.deploymentTime,
          resources: (await engine.deploymentResources(d.id)).map((r) => r.name).sort(),
        })),
      );
      return { items };
    },
  );

  app.get(
    '/api/definitions',
    {
      ...admin(app),
      schema: { ...common, summary: '已部署的流程和决策（各取最新版本）', response: { 200: ResponseObject({ items: Type.Array(DefinitionSchema) }) } },
    },
    async () => {
      const lists = await Promise.all(KINDS.map(async (kind) => (await engine.latestDefinitions(kind)).map((d) => ({ kind, ...d }))));
      return { items: lists.flat() };
    },
  );

  app.get<{ Params: Static<typeof XmlParams> }>(
    '/api/definitions/:kind/:id/xml',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '某个流程或决策版本的 XML',
        params: XmlParams,
        response: { 200: ResponseObject({ kind: Type.String(), id: Type.String(), xml: Type.String() }) },
      },
    },
    async (req) => ({ kind: req.params.kind, id: req.params.id, xml: await engine.definitionXml(req.params.kind, req.params.id) }),
  );

  app.post<{ Body: Static<typeof LintBody> }>(
    '/api/deployments/lint',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '只校验不部署（建模器的服务器端检查）',
        body: LintBody,
        response: { 200: ResponseObject({ problems: Type.Array(ProblemSchema) }) },
      },
    },
    async (req) => ({ problems: lint(req.body.files) }),
  );

  app.post(
    '/api/deployments',
    {
      ...admin(app),
      schema: {
        ...common,
        summary:
          '部署 .bpmn/.dmn/.form 文件（multipart：files、comment，可选 confirm=true），先校验；影响运行中工单时需确认（409）；每次部署都为所带文件生成新版本',
        consumes: ['multipart/form-data'],
        response: { 201: DeployedSchema, 409: DeployRefusalSchema, 422: DeployRefusalSchema },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new ValidationError('body', '请求格式应为 multipart/form-data（文件与部署说明）', 'content-type must be multipart/form-data', 400);
      const { files, comment, confirm } = await readUpload(req.parts());
      // One deployment at a time across servers: each one's impact check sees the versions deployed before it.
      const deployed = await oneAtATime(ds, 'deployments', () =>
        checkedDeploy(engine, { files, comment, username: req.currentUser.username, confirm }, operations.suggestions),
      );
      req.log.info({ deploymentId: deployed.deploymentId, user: req.currentUser.username }, 'deployed from the modeler');
      return reply.code(201).send(deployed);
    },
  );
}
