import type { FastifyInstance } from 'fastify';
import { diffBpmn, diffDmn } from '../../core/bpmn/diff';
import { NotFoundError, ValidationError } from '../../core/errors';
import type { AppDeps } from '../app';
import { requireRole } from '../plugins/auth';
import { checkedDeploy, MODELER_SOURCE, type DefinitionKind } from '../modeler/deploy';
import { liveActivities } from '../modeler/live';
import { instanceCounts, migrateInstances, processVersions } from '../modeler/migration';

const KINDS = ['process', 'decision'] as const;
const admin = (app: FastifyInstance) => ({ onRequest: app.authenticate, preHandler: requireRole('admin') });
const common = { tags: ['流程建模'], security: [{ bearer: [] }] };
const KEY = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,254}$' } as const;
const ID = { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,255}$' } as const;
const kindKey = { type: 'object', required: ['kind', 'key'], properties: { kind: { type: 'string', enum: [...KINDS] }, key: KEY } } as const;
const processKey = { type: 'object', required: ['key'], properties: { key: KEY } } as const;

const changeSchema = { type: 'object', properties: { attribute: { type: 'string' }, before: { type: ['string', 'null'] }, after: { type: ['string', 'null'] } } } as const;
const rowSchema = {
  type: ['object', 'null'],
  properties: { inputs: { type: 'array', items: { type: 'string' } }, outputs: { type: 'array', items: { type: 'string' } }, description: { type: ['string', 'null'] } },
} as const;
const elementChangeSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { type: 'string' },
    name: { type: ['string', 'null'] },
    changes: { type: 'array', items: changeSchema },
    before: rowSchema,
    after: rowSchema,
  },
} as const;
const countsSchema = {
  type: 'array',
  items: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'integer' }, running: { type: 'integer' } } },
} as const;

/**
 * The versions of a deployed process or decision table: their history, what changed between two of them,
 * rolling back to one, and for processes the running work orders per version, their migration, and the
 * live view of tokens, incidents and overdue work orders on the diagram.
 */
export default async function definitionRoutes(app: FastifyInstance, { engine, ds }: AppDeps) {
  app.get<{ Params: { kind: DefinitionKind; key: string } }>(
    '/api/definitions/:kind/:key/versions',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '某个流程或决策的全部版本（最新在前），含部署说明、部署人和运行中的工单数（流程）',
        params: kindKey,
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    key: { type: 'string' },
                    name: { type: ['string', 'null'] },
                    version: { type: 'integer' },
                    resource: { type: 'string' },
                    deploymentId: { type: 'string' },
                    deploymentTime: { type: ['string', 'null'] },
                    comment: { type: ['string', 'null'] },
                    source: { type: ['string', 'null'] },
                    deployedBy: { type: ['string', 'null'] },
                    running: { type: ['integer', 'null'] },
                  },
                },
              },
            },
          },
        },
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

  app.get<{ Params: { kind: DefinitionKind; key: string }; Querystring: { from: number; to: number } }>(
    '/api/definitions/:kind/:key/diff',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '版本对比：流程的环节增删改（含变化的属性），决策表的规则增删改（含前后的条目）',
        params: kindKey,
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['from', 'to'],
          properties: { from: { type: 'integer', minimum: 1 }, to: { type: 'integer', minimum: 1 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              kind: { type: 'string' },
              key: { type: 'string' },
              from: { type: 'integer' },
              to: { type: 'integer' },
              added: { type: 'array', items: elementChangeSchema },
              removed: { type: 'array', items: elementChangeSchema },
              changed: { type: 'array', items: elementChangeSchema },
            },
          },
        },
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

  app.post<{ Params: { kind: DefinitionKind; id: string }; Body: { comment: string; confirm: boolean } }>(
    '/api/definitions/:kind/:id/redeploy',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '回滚：把某个旧版本的 XML 重新部署为最新版本（先校验，记录部署人）',
        params: { type: 'object', required: ['kind', 'id'], properties: { kind: { type: 'string', enum: [...KINDS] }, id: ID } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['comment'],
          properties: { comment: { type: 'string', minLength: 1, maxLength: 200 }, confirm: { type: 'boolean', default: false } },
        },
      },
    },
    async (req, reply) => {
      const { kind, id } = req.params;
      const comment = req.body.comment.trim();
      if (!comment) throw new ValidationError('comment', '请填写部署说明', 'comment is required', 400);
      const definition = await engine.definition(kind, id);
      const content = await engine.definitionXml(kind, id);
      const deployed = await checkedDeploy(engine, { files: [{ name: definition.resource, content }], comment, username: req.currentUser.username, confirm: req.body.confirm });
      req.log.info({ from: id, deploymentId: deployed.deploymentId, user: req.currentUser.username }, 'rolled back from the modeler');
      return reply.code(201).send(deployed);
    },
  );

  app.get<{ Params: { key: string } }>(
    '/api/definitions/process/:key/instances',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '各版本运行中的工单数（最新版本在前）',
        params: processKey,
        response: { 200: { type: 'object', properties: { key: { type: 'string' }, versions: countsSchema } } },
      },
    },
    async (req) => ({ key: req.params.key, versions: await instanceCounts(engine, await processVersions(engine, req.params.key)) }),
  );

  app.post<{ Params: { key: string }; Body: { fromVersion: number; toVersion: number } }>(
    '/api/definitions/process/:key/migrate',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '把某个版本上运行中的工单迁移到另一个版本（全部迁移或全部不迁移）',
        params: processKey,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['fromVersion', 'toVersion'],
          properties: { fromVersion: { type: 'integer', minimum: 1 }, toVersion: { type: 'integer', minimum: 1 } },
        },
        response: { 200: { type: 'object', properties: { migrated: { type: 'integer' }, versions: countsSchema } } },
      },
    },
    async (req) => {
      const { key } = req.params;
      const outcome = await migrateInstances(engine, key, req.body.fromVersion, req.body.toVersion);
      if (outcome.problems) {
        throw new ValidationError('toVersion', '流程引擎拒绝迁移，工单仍在原版本上', 'the engine refused the migration; no instance was moved', 422, { code: 'migration_refused', extra: { problems: outcome.problems } });
      }
      req.log.info({ key, ...req.body, migrated: outcome.migrated, user: req.currentUser.username }, 'migrated instances from the modeler');
      return { migrated: outcome.migrated, versions: await instanceCounts(engine, await processVersions(engine, key)) };
    },
  );

  app.get<{ Params: { key: string } }>(
    '/api/definitions/process/:key/live',
    {
      ...admin(app),
      schema: {
        ...common,
        summary: '运行监控：各环节（所有版本合计）的运行中令牌、事件（incident）和超期工单数；子流程含其内部环节',
        params: processKey,
        response: {
          200: {
            type: 'object',
            properties: {
              activities: {
                type: 'object',
                additionalProperties: { type: 'object', properties: { running: { type: 'integer' }, incidents: { type: 'integer' }, overdue: { type: 'integer' } } },
              },
            },
          },
        },
      },
    },
    async (req) => ({ activities: await liveActivities(engine, ds, req.params.key) }),
  );
}
