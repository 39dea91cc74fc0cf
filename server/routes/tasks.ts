import type { FastifyInstance } from 'fastify';
import { parseDiagram } from '../../core/bpmn/model';
import { fromEngineVariables, type EngineClient, type EngineTask } from '../../core/engine/client';
import type { WorkOrder } from '../../core/db/entities';
import { ConflictError, ForbiddenError } from '../../core/errors';
import type { AppDeps } from '../app';
import type { CurrentUser } from '../plugins/auth';
import { EngineIdParams, Nullable, Pagination, ResponseObject, StringEnum, Type, type Static } from '../schemas';
import { FORM_TASKS, prepareCompletion } from '../tasks/forms';
import { guideReasons } from '../../core/policy/guide-reasons';

const NullableString = Nullable(Type.String());

/** A task row: the engine's task with what it shows of its work order. */
export const TaskViewSchema = ResponseObject({
  id: Type.String(),
  name: Type.String(),
  taskKey: Type.String(),
  assignee: NullableString,
  created: Type.String(),
  due: NullableString,
  processInstanceId: Type.String(),
  caseId: NullableString,
  caseCode: NullableString,
  caseStatus: NullableString,
  category: NullableString,
  overdue: Type.Boolean(),
});

const TaskQuery = Type.Object({ taskKey: Type.Optional(StringEnum(FORM_TASKS)), ...Pagination(50, 200) }, { additionalProperties: false });
const CompleteBody = Type.Object({ variables: Type.Record(Type.String(), Type.Unknown()) }, { additionalProperties: false });
type Params = Static<typeof EngineIdParams>;

/** A kind of user task as the deployed diagrams name it: 单位领导签发 is `leaderSignoff`'s BPMN name. */
const TaskKindSchema = Type.Object({ taskKey: Type.String(), name: Type.String(), processKey: Type.String(), filterable: Type.Boolean() });
type TaskKind = Omit<Static<typeof TaskKindSchema>, 'filterable'>;

/** Options of a form's selects that policy owns, by their `valuesKey` (guideReasons from caseGuideReasons). */
const FormOptionsSchema = Type.Record(Type.String(), Type.Array(ResponseObject({ label: Type.String(), value: Type.String() })));

/** The user tasks of the latest deployed processes, read once per deployed definition version. */
function taskKinds(engine: EngineClient) {
  const byDefinition = new Map<string, TaskKind[]>();
  return async (): Promise<TaskKind[]> => {
    const definitions = await engine.latestDefinitions('process');
    const kinds = await Promise.all(
      definitions.map(async (d) => {
        let found = byDefinition.get(d.id);
        if (!found) {
          const elements = parseDiagram(await engine.definitionXml('process', d.id), d.resource);
          found = elements.filter((e) => e.tag === 'userTask').map((e) => ({ taskKey: e.id, name: e.attrs.name || e.id, processKey: d.key }));
          byDefinition.set(d.id, found);
        }
        return found;
      }),
    );
    const seen = new Set<string>();
    return kinds.flat().filter((k) => !seen.has(k.taskKey) && seen.add(k.taskKey));
  };
}

/** Instants leave the API in ISO 8601 UTC, whichever way the task was read (the engine writes +0800). */
const iso = (instant: string) => new Date(instant).toISOString();

/** What a task row shows of its work order. */
type CaseSummary = Pick<WorkOrder, 'id' | 'code' | 'status' | 'category' | 'suggestedCategory'>;

export function taskView(t: EngineTask, c: CaseSummary | null | undefined) {
  return {
    id: t.id,
    name: t.name,
    taskKey: t.taskDefinitionKey,
    assignee: t.assignee,
    created: iso(t.created),
    due: t.due === null ? null : iso(t.due),
    processInstanceId: t.processInstanceId,
    caseId: c?.id ?? null,
    caseCode: c?.code ?? null,
    caseStatus: c?.status ?? null,
    category: c?.category ?? c?.suggestedCategory ?? null,
    overdue: t.due !== null && Date.parse(t.due) < Date.now(),
  };
}

/**
 * The engine's user tasks, behind our own authorization: a user works on a task assigned to them, or on an
 * unassigned task whose candidate group is one of theirs (the unit's id, or an office role).
 */
export default async function taskRoutes(app: FastifyInstance, { ds, engine, cases, taskList, operations }: AppDeps) {
  async function authorize(taskId: string, user: CurrentUser, opts: { allowClaimedByOthers?: boolean } = {}): Promise<EngineTask> {
    const task = await engine.task(taskId);
    if (task.assignee === user.username) return task;
    const links = await engine.identityLinks(taskId);
    const candidate = links.some((l) => l.type === 'candidate' && l.groupId !== null && user.groups.includes(l.groupId));
    if (!candidate) throw new ForbiddenError('无权办理该任务', 'this task is not for your unit or role');
    if (task.assignee && !opts.allowClaimedByOthers)
      throw new ConflictError('assignee', `该任务已由 ${task.assignee} 签收`, `task is claimed by ${task.assignee}`);
    return task;
  }

  const kinds = taskKinds(engine);

  /** One query for the work orders of a page of tasks, only the columns a task row shows. */
  async function casesFor(tasks: EngineTask[]): Promise<Map<string, CaseSummary>> {
    const ids = [...new Set(tasks.map((t) => t.processInstanceId))];
    if (ids.length === 0) return new Map();
    const rows: (CaseSummary & { processInstanceId: string })[] = await ds.query(
      `SELECT id, code, status, category, suggested_category AS "suggestedCategory", process_instance_id AS "processInstanceId"
         FROM work_orders WHERE process_instance_id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((c) => [c.processInstanceId, c]));
  }

  app.get<{ Querystring: Static<typeof TaskQuery> }>(
    '/api/tasks',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['任务'],
        summary: '我的待办：本人签收的任务和本单位/本岗位可签收的任务，按期限排序',
        security: [{ bearer: [] }],
        querystring: TaskQuery,
        response: { 200: ResponseObject({ items: Type.Array(TaskViewSchema) }) },
      },
    },
    async (req) => {
      const user = req.currentUser;
      const tasks = await taskList.forUser({
        username: user.username,
        groups: user.groups,
        taskKey: req.query.taskKey,
        offset: (req.query.page - 1) * req.query.pageSize,
        limit: req.query.pageSize,
      });
      const byInstance = await casesFor(tasks);
      return { items: tasks.map((t) => taskView(t, byInstance.get(t.processInstanceId))) };
    },
  );

  app.get(
    '/api/tasks/kinds',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['任务'],
        summary: '任务类型：已部署流程中的用户任务及其名称（任务筛选、历史记录中的任务名称）',
        security: [{ bearer: [] }],
        response: { 200: ResponseObject({ items: Type.Array(TaskKindSchema) }) },
      },
    },
    async () => ({ items: (await kinds()).map((k) => ({ ...k, filterable: FORM_TASKS.includes(k.taskKey) })) }),
  );

  app.get<{ Params: Params }>(
    '/api/tasks/:id/form',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['任务'],
        summary: '任务表单（随流程部署的 form-js 表单）及其当前数据',
        security: [{ bearer: [] }],
        params: EngineIdParams,
        response: {
          200: ResponseObject({
            task: TaskViewSchema,
            form: Type.Object({}, { additionalProperties: true }),
            data: Type.Object({}, { additionalProperties: true }),
            options: FormOptionsSchema,
          }),
        },
      },
    },
    async (req) => {
      const task = await authorize(req.params.id, req.currentUser, { allowClaimedByOthers: true });
      const [form, variables, c, reasons] = await Promise.all([
        engine.deployedForm(task.id),
        engine.taskVariables(task.id),
        cases.byProcessInstance(task.processInstanceId),
        guideReasons(engine, task.taskDefinitionKey),
      ]);
      const options = { guideReasons: reasons.map((r) => ({ label: r.label, value: r.value })) };
      return { task: taskView(task, c), form, data: fromEngineVariables(variables), options };
    },
  );

  app.post<{ Params: Params }>(
    '/api/tasks/:id/claim',
    { onRequest: app.authenticate, schema: { tags: ['任务'], summary: '签收任务', security: [{ bearer: [] }], params: EngineIdParams } },
    async (req, reply) => {
      const task = await authorize(req.params.id, req.currentUser);
      if (task.assignee !== req.currentUser.username) await engine.claim(task.id, req.currentUser.username);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Params }>(
    '/api/tasks/:id/unclaim',
    { onRequest: app.authenticate, schema: { tags: ['任务'], summary: '退回签收', security: [{ bearer: [] }], params: EngineIdParams } },
    async (req, reply) => {
      const task = await engine.task(req.params.id);
      if (task.assignee !== req.currentUser.username) throw new ForbiddenError('只能退回本人签收的任务', 'only the assignee can unclaim a task');
      await engine.unclaim(task.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: Params; Body: Static<typeof CompleteBody> }>(
    '/api/tasks/:id/complete',
    {
      onRequest: app.authenticate,
      schema: {
        tags: ['任务'],
        summary: '提交任务（服务端按该任务部署的表单及流程规则校验变量）',
        security: [{ bearer: [] }],
        params: EngineIdParams,
        body: CompleteBody,
      },
    },
    async (req, reply) => {
      const user = req.currentUser;
      const task = await authorize(req.params.id, user);
      // The form the engine resolves for the task (its formRef, latest binding) is what the submission is checked against;
      // its conditions read the task's variables (the handle form shows 主管领导 when caseClock says leaderRequired).
      const [c, form, engineVariables] = await Promise.all([
        cases.byProcessInstance(task.processInstanceId),
        engine.deployedForm(task.id),
        engine.taskVariables(task.id),
      ]);
      const variables = fromEngineVariables(engineVariables);
      const taskForm = { taskKey: task.taskDefinitionKey, form, variables };
      const guideReasonsOffered = 'guideReason' in req.body.variables ? await guideReasons(engine, task.taskDefinitionKey) : undefined;
      if (!c) {
        // A task of another process (the office's review of a compiled report, R7.4): validated the same way.
        const completion = await prepareCompletion(taskForm, req.body.variables, ds, null, new Date());
        await engine.complete(task.id, { ...completion.variables, reviewedBy: user.username });
        return reply.code(204).send();
      }
      req.auditNote = { resource: 'cases', resourceId: c.id, detail: { taskId: task.id, taskKey: task.taskDefinitionKey } };
      // What the diagram's decisions asked of this case (caseClock: attachments required for this category).
      const clock = variables.clock as { attachmentRequired?: unknown; leaderRequired?: unknown } | undefined;
      const completion = await prepareCompletion(taskForm, req.body.variables, ds, c, new Date(), {
        attachmentRequired: clock?.attachmentRequired === true,
        leaderRequired: clock?.leaderRequired === true,
        guideReasons: guideReasonsOffered,
      });
      await operations.completeCaseTask({
        taskId: task.id,
        taskKey: task.taskDefinitionKey,
        taskName: task.name,
        caseId: c.id,
        actor: user.username,
        variables: completion.variables,
        patch: completion.patch,
        countsAsDispatch: completion.countsAsDispatch,
      });
      return reply.code(204).send();
    },
  );
}
