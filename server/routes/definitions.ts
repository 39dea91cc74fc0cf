import type { FastifyInstance } from 'fastify';
import { diffBpmn, diffDmn } from '../../core/bpmn/diff';
import { NotFoundError, ValidationError } from '../../core/errors';
import { oneAtATime } from '../../core/db/lock';
import type { AppDeps } from '../app';
import { requireGroup } from '../plugins/auth';
import { Nullable, ResponseObject, StringEnum, Type, type Static } from '../schemas';
import { checkedDeploy, MODELER_SOURCE, type DefinitionKind } from '../modeler/deploy';
import { DeployedSchema, DeployRefusalSchema } from './deployments';
import { liveActivities } from '../modeler/live';
import { instanceCounts, migrateInstances, processVersions } from '../modeler/migration';

const KINDS = ['process', 'decision'] as const;
const admin = (app: FastifyInstance) => ({ onRequest: app.authenticate, preHandler: requireGroup('administration') });
const common = { tags: ['流程建模'], security: [{ bearer: [] }] };
const Key = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,254}$' });
/** An engine definition id (`key:version:uuid`): never a bare `.` or `..`, which would step out of its path on the engine. */
const Id = Type.String({ pattern: '^(?!\\.{1,2}$)[A-Za-z0-9_.:-]{1,255}$' });
const KindSchema = StringEnum<DefinitionKind>(KINDS);
const KindKeyParams = Type.Object({ kind: KindSchema, key: Key });
const KindIdParams = Type.Object({ kind: KindSchema, id: Id });
const ProcessKeyParams = Type.Object({ key: Key });
const DiffQuery = Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
const RedeployBody = Type.Object(
  { comment: Type.String({ minLength: 1, maxLength: 200 }), confirm: Type.Boolean({ default: false }) },
  { additionalProperties: false },
);
const MigrateBody = Type.Object({ fromVersion: Type.Integer({ minimum: 1 }), toVersion: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

const NullableString = Nullable(Type.String());
const ChangeSchema = ResponseObject({ attribute: Type.String(), before: NullableString, after: NullableString });
const RowSchema = Nullable(ResponseObject({ inputs: Type.Array(Type.String()), outputs: Type.Array(Type.String()), description: NullableString }));
const ElementChangeSchema = ResponseObject({
  id: Type.String(),
  type: Type.String(),
  name: NullableString,
  changes: Type.Array(ChangeSchema),
  before: RowSchema,
  after: RowSchema,
});
const CountsSchema = Type.Array(ResponseObject({ id: Type.String(), version: Type.Integer(), running: Type.Integer() }));
const VersionSchema = ResponseObject({
  id: Type.String(),
  key: Type.String(),
  name: NullableString,
  version: Type.Integer(),
  resource: Type.String(),
  deploymentId: Type.String(),
  deploymentTime: NullableString,
  comment: NullableString,
  source: NullableString,
  deployedBy: NullableString,
  running: Nullable(Type.Integer()),
});
const DiffSchema = ResponseObject({
  kind: Type.String(),
  key: Type.String(),
  from: Type.Integer(),
  to: Type.Integer(),
  added: Type.Array(ElementChangeSchema),
  removed: Type.Array(ElementChangeSchema),
  changed: Type.Array(ElementChangeSchema),
});
const LiveSchema = ResponseObject({
  activities: Type.Record(Type.String(), ResponseObject({ running: Type.Integer(), incidents: Type.Integer(), overdue: Type.Integer() })),
});

/**
 * The versions of a deployed process or decision table: their history, what changed between two of them,
 * rolling back to one, and for processes the running work orders per version, their migration, and the
 * live view of tokens, incidents and overdue work orders on the diagram.
 */
export default async function definitionRoutes(app: FastifyInstance, { engine, ds, operations }: AppDeps) {
  app.get<{ Params: Static<typeof KindKeyParams> }>(
    '/api/definitions/:kind/:key/versions',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '某个流程或决策的全部版本（最新在前），含部署说明、部署人和运行中的工单数（流程）',
        params: KindKeyParams,
        response: { 200: ResponseObject({ items: Type.Array(VersionSchema) }) },
      },
    },
    async (req) => {
      const { kind, key } = req.params;
      const versions = await engine.definitionVersions(kind, key);
      if (versions.length === 0) throw new NotFoundError('key', `“${key}”尚未部署`, `${key} is not deployed`);
      const [deployments, counts] = await Promise.all([
        Promise.all(versions.map((v) => engine.deployment(v.deploymentId))),
        kind === 'process' ? instanceCounts(engine, versions) : Promise.resolve([]),
      ]);
      return {
        items: versions.map((v, i) => ({
          ...v,
          deploymentTime: deployments[i].deploymentTime,
          comment: deployments[i].name,
          source: deployments[i].source,
          deployedBy: deployments[i].source?.startsWith(MODELER_SOURCE) ? deployments[i].source.slice(MODELER_SOURCE.length) : null,
          running: counts[i]?.running ?? null,
        })),
      };
    },
  );

  app.get<{ Params: Static<typeof KindKeyParams>; Querystring: Static<typeof DiffQuery> }>(
    '/api/definitions/:kind/:key/diff',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '版本对比：流程的环节增删改（含变化的属性），决策表的规则增删改（含前后的条目）',
        params: KindKeyParams,
        querystring: DiffQuery,
        response: { 200: DiffSchema },
      },
    },
    async (req) => {
      const { kind, key } = req.params;
      const versions = await engine.definitionVersions(kind, key);
      const xmlOf = async (v: number, field: string) => {
        const d = versions.find((x) => x.version === v);
        if (!d) throw new NotFoundError(field, `“${key}”没有版本 ${v}`, `${key} has no version ${v}`);
        return engine.definitionXml(kind, d.id);
      };
      const [from, to] = await Promise.all([xmlOf(req.query.from, 'from'), xmlOf(req.query.to, 'to')]);
      const diff = kind === 'process' ? diffBpmn(from, to) : diffDmn(from, to, key);
      return { kind, key, from: req.query.from, to: req.query.to, ...diff };
    },
  );

  app.post<{ Params: Static<typeof KindIdParams>; Body: Static<typeof RedeployBody> }>(
    '/api/definitions/:kind/:id/redeploy',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '回滚：把某个旧版本的 XML 重新部署为最新版本（先校验，记录部署人）',
        params: KindIdParams,
        body: RedeployBody,
        response: { 201: DeployedSchema, 409: DeployRefusalSchema, 422: DeployRefusalSchema },
      },
    },
    async (req, reply) => {
      const { kind, id } = req.params;
      const comment = req.body.comment.trim();
      if (!comment) throw new ValidationError('comment', '请填写部署说明', 'comment is required', 400);
      const definition = await engine.definition(kind, id);
      const content = await engine.definitionXml(kind, id);
      const deployed = await oneAtATime(ds, 'deployments', () =>
        checkedDeploy(
          engine,
          { files: [{ name: definition.resource, content }], comment, username: req.currentUser.username, confirm: req.body.confirm },
          operations.suggestions,
        ),
      );
      req.log.info({ from: id, deploymentId: deployed.deploymentId, user: req.currentUser.username }, 'rolled back from the modeler');
      return reply.code(201).send(deployed);
    },
  );

  app.get<{ Params: Static<typeof ProcessKeyParams> }>(
    '/api/definitions/process/:key/instances',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '各版本运行中的工单数（最新版本在前）',
        params: ProcessKeyParams,
        response: { 200: ResponseObject({ key: Type.String(), versions: CountsSchema }) },
      },
    },
    async (req) => ({ key: req.params.key, versions: await instanceCounts(engine, await processVersions(engine, req.params.key)) }),
  );

  app.post<{ Params: Static<typeof ProcessKeyParams>; Body: Static<typeof MigrateBody> }>(
    '/api/definitions/process/:key/migrate',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '把某个版本上运行中的工单迁移到另一个版本（全部迁移或全部不迁移）',
        params: ProcessKeyParams,
        body: MigrateBody,
        response: { 200: ResponseObject({ migrated: Type.Integer(), versions: CountsSchema }) },
      },
    },
    async (req) => {
      const { key } = req.params;
      const outcome = await migrateInstances(engine, key, req.body.fromVersion, req.body.toVersion);
      if (outcome.problems) {
        throw new ValidationError('toVersion', '流程引擎拒绝迁移，工单仍在原版本上', 'the engine refused the migration; no instance was moved', 422, {
          code: 'migration_refused',
          extra: { problems: outcome.problems },
        });
      }
      req.log.info({ key, ...req.body, migrated: outcome.migrated, user: req.currentUser.username }, 'migrated instances from the modeler');
      return { migrated: outcome.migrated, versions: await instanceCounts(engine, await processVersions(engine, key)) };
    },
  );

  app.get<{ Params: Static<typeof ProcessKeyParams> }>(
    '/api/definitions/process/:key/live',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '运行监控：各环节（所有版本合计）的运行中令牌、事件（incident）和超期工单数；子流程含其内部环节',
        params: ProcessKeyParams,
        response: { 200: LiveSchema },
      },
    },
    async (req) => ({ activities: await liveActivities(engine, ds, req.params.key) }),
  );
}
