import type { FastifyInstance } from 'fastify';
import { EngineError } from '../../core/engine/client';
import { NotFoundError } from '../../core/errors';
import type { AppDeps } from '../app';
import { CaseIdParams, ResponseObject, Type, type Static } from '../schemas';
import { visibleCase } from '../visibility';

/** The engine's activity-instance tree: activities nest in sub-processes; async continuations wait as transitions. */
interface ActivityInstanceNode {
  activityId: string;
  childActivityInstances?: ActivityInstanceNode[];
  transitionInstances?: { activityId: string }[];
}

function leafActivityIds(node: ActivityInstanceNode): string[] {
  const isLeaf = (c: ActivityInstanceNode) => !c.childActivityInstances?.length && !c.transitionInstances?.length;
  return [
    ...(node.childActivityInstances ?? []).flatMap((c) => (isLeaf(c) ? [c.activityId] : leafActivityIds(c))),
    ...(node.transitionInstances ?? []).map((t) => t.activityId),
  ];
}

/** The runtime tree exists only while the instance runs; an ended instance has no active activity. */
async function activeActivityIds(engine: AppDeps['engine'], processInstanceId: string): Promise<string[]> {
  try {
    return [...new Set(leafActivityIds((await engine.activityInstances(processInstanceId)) as ActivityInstanceNode))];
  } catch (e) {
    if (e instanceof EngineError && e.status === 404) return [];
    throw e;
  }
}

/**
 * The diagram version a work order runs on, with where it stands now and what it has passed through,
 * so the workbench can draw it and highlight the current task. Same visibility as the work order itself.
 */
export default async function diagramRoutes(app: FastifyInstance, { ds, engine, cases }: AppDeps) {
  app.get<{ Params: Static<typeof CaseIdParams> }>(
    '/api/cases/:id/diagram',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['工单'],
        summary: '工单所用流程图（BPMN XML）及当前、已完成的环节',
        security: [{ bearer: [] }],
        params: CaseIdParams,
        response: {
          200: ResponseObject({ xml: Type.String(), activeActivityIds: Type.Array(Type.String()), completedActivityIds: Type.Array(Type.String()) }),
        },
      },
    },
    async (req) => {
      const c = await visibleCase(ds, cases, req.params.id, req.currentUser);
      if (!c.processInstanceId) throw new NotFoundError('id', '该工单没有流程实例', 'work order has no process instance');
      const [instance, active, history] = await Promise.all([
        engine.historicProcessInstance(c.processInstanceId),
        activeActivityIds(engine, c.processInstanceId),
        engine.historicActivityInstances(c.processInstanceId),
      ]);
      const xml = await engine.definitionXml('process', instance.processDefinitionId);
      const completed = [...new Set(history.filter((a) => a.endTime !== null).map((a) => a.activityId))];
      return { xml, activeActivityIds: active, completedActivityIds: completed };
    },
  );
}
