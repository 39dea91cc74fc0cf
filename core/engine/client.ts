/**
 * A small typed client for the engine's REST API (Operaton, Camunda-7 compatible), covering
 * what the server, the start script and the tests use. Variables cross the wire as typed values;
 * objects travel as Json so the diagrams read them with Spin (`${feedback.prop('result')}`).
 */
import { ConcurrentUpdateError, EngineUnavailableError } from '../errors';
import { basicAuth, type ServiceAccount } from './credentials';

export type VariableValue = string | number | boolean | null | Record<string, unknown> | unknown[];
export type EngineVariables = Record<string, { value: unknown; type: string; valueInfo?: Record<string, unknown> }>;

export interface EngineTask {
  id: string;
  name: string;
  assignee: string | null;
  created: string;
  due: string | null;
  taskDefinitionKey: string;
  processInstanceId: string;
  processDefinitionId: string;
  description: string | null;
}

export interface IdentityLink {
  userId: string | null;
  groupId: string | null;
  type: string;
}

export interface ProcessInstance {
  id: string;
  businessKey: string | null;
  definitionId: string;
  ended: boolean;
  variables?: EngineVariables;
}

export interface Deployment {
  id: string;
  name: string;
  deploymentTime: string;
  deployedProcessDefinitions: Record<string, { id: string; key: string; version: number }> | null;
  deployedDecisionDefinitions: Record<string, { id: string; key: string; version: number }> | null;
}

/** A deployment as the engine lists it: `source` says who deployed (start script or modeler). */
export interface DeploymentSummary {
  id: string;
  name: string | null;
  source: string | null;
  deploymentTime: string;
}

export interface DeploymentResource {
  id: string;
  name: string;
  deploymentId: string;
}

/** A process or decision definition as the engine lists it. */
export interface Definition {
  id: string;
  key: string;
  name: string | null;
  version: number;
  resource: string;
  deploymentId: string;
}

export interface Job {
  id: string;
  dueDate: string | null;
  processInstanceId: string;
  retries: number;
  exceptionMessage: string | null;
}

/** A refusal by the engine (4xx): the request was wrong for the engine's current state. */
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The engine's REST date format: yyyy-MM-dd'T'HH:mm:ss.SSSZ, e.g. 2026-11-26T10:00:00.000+0000. */
export function engineDate(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export function toEngineVariables(vars: Record<string, VariableValue>): EngineVariables {
  const out: EngineVariables = {};
  for (const [name, value] of Object.entries(vars)) {
    if (value === null) out[name] = { value: null, type: 'Null' };
    else if (typeof value === 'string') out[name] = { value, type: 'String' };
    else if (typeof value === 'boolean') out[name] = { value, type: 'Boolean' };
    else if (typeof value === 'number') out[name] = Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? { value, type: 'Integer' } : { value, type: 'Double' };
    else out[name] = { value: JSON.stringify(value), type: 'Json' };
  }
  return out;
}

export function fromEngineVariables(vars: EngineVariables): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(vars)) {
    // Json values, and objects the engine serialized as JSON (a decision's singleResult map), arrive as text.
    const json = v.type === 'Json' || (v.type === 'Object' && v.valueInfo?.serializationDataFormat === 'application/json');
    out[name] = json && typeof v.value === 'string' ? JSON.parse(v.value) : v.value;
  }
  return out;
}

/** Faults in which the request never reached the engine: safe to send again, even a POST, to another node. */
const NOT_SENT = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The longest one exchange with a node may take. Well under the outbox relay's lease (RELAY_LEASE_MS, 60 s by
 * default), so a start that hangs is given up before another relay may claim the same row and start it again.
 */
export const ENGINE_REQUEST_TIMEOUT_MS = 20_000;

/** Methods the engine's REST API treats as repeatable: after a fault mid-request another node may take them. */
const REPEATABLE = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/**
 * One or more engine nodes of one cluster (ENGINE_URL is a comma-separated list). A request goes to the node
 * that answered last; when that node is unreachable or its gateway answers 502/503/504 the next one is
 * tried, and the one that answers becomes the node for what follows. A POST whose fault may have come after
 * the engine received it (reset, timeout) is not sent again: starting a process twice is worse than a 503.
 */
export class EngineClient {
  readonly nodes: string[];
  private current = 0;
  private readonly authorization?: string;

  constructor(nodes: string | string[], account?: ServiceAccount) {
    this.nodes = (Array.isArray(nodes) ? nodes : [nodes]).map((n) => n.replace(/\/$/, ''));
    if (this.nodes.length === 0) throw new Error('EngineClient: no engine node');
    if (account) this.authorization = basicAuth(account);
  }

  /** The node requests go to now. */
  get baseUrl(): string {
    return this.nodes[this.current];
  }

  /**
   * One HTTP exchange with the engine, `path` relative to the REST base, failing over between the nodes.
   * A network fault (refused, reset, timed out) on every node means the engine is unavailable.
   */
  private async send(path: string, init: RequestInit = {}): Promise<Response> {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    if (this.authorization) headers.set('authorization', this.authorization);
    const first = this.current;
    let fault = '';
    for (let i = 0; i < this.nodes.length; i++) {
      const node = (first + i) % this.nodes.length;
      let res: Response;
      try {
        res = await fetch(`${this.nodes[node]}${path}`, { ...init, headers, signal: AbortSignal.timeout(ENGINE_REQUEST_TIMEOUT_MS) });
      } catch (e) {
        // fetch says only "fetch failed"; the cause names the fault (ECONNREFUSED, UND_ERR_CONNECT_TIMEOUT…).
        const cause = (e as { cause?: { code?: unknown; message?: unknown } }).cause;
        const code = typeof cause?.code === 'string' ? cause.code : '';
        fault = `engine unreachable at ${this.nodes[node]}: ${[e instanceof Error ? e.message : String(e), code || cause?.message].filter(Boolean).join(': ')}`;
        if (NOT_SENT.has(code) || REPEATABLE.has(method)) continue;
        throw new EngineUnavailableError(fault);
      }
      if ((res.status === 502 || res.status === 504) && !REPEATABLE.has(method)) return res;
      if ((res.status === 502 || res.status === 503 || res.status === 504) && i < this.nodes.length - 1) {
        await res.arrayBuffer().catch(() => undefined);
        continue;
      }
      this.current = node;
      return res;
    }
    throw new EngineUnavailableError(fault);
  }

  /** The error for a failed answer: unavailable behind a gateway, a concurrent update, or the engine's refusal. */
  private failure(status: number, type: string, message: string): Error {
    if (status === 502 || status === 503 || status === 504) return new EngineUnavailableError(`engine ${status}: ${message}`);
    if (/OptimisticLocking/.test(type)) return new ConcurrentUpdateError(`engine ${status}: ${message}`);
    return new EngineError(status, type, message);
  }

  private async request<T>(method: string, path: string, body?: unknown, form?: FormData): Promise<T> {
    const res = await this.send(path, {
      method,
      headers: form ? undefined : { 'content-type': 'application/json', accept: 'application/json' },
      body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (!res.ok) {
      let type = 'EngineError';
      let message = text;
      try {
        const parsed = JSON.parse(text) as { type?: string; message?: string };
        type = parsed.type ?? type;
        message = parsed.message ?? message;
      } catch {
        // not JSON: keep the raw text as the message
      }
      throw this.failure(res.status, type, message);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  engines(): Promise<{ name: string }[]> {
    return this.request('GET', '/engine');
  }

  deploy(name: string, files: { name: string; content: string | Buffer }[], opts: { source?: string; changedOnly?: boolean } = {}): Promise<Deployment> {
    const form = new FormData();
    form.append('deployment-name', name);
    form.append('deployment-source', opts.source ?? 'hotline');
    form.append('enable-duplicate-filtering', String(opts.changedOnly ?? true));
    form.append('deploy-changed-only', String(opts.changedOnly ?? true));
    for (const f of files) form.append(f.name, new Blob([typeof f.content === 'string' ? f.content : new Uint8Array(f.content)]), f.name);
    return this.request('POST', '/deployment/create', undefined, form);
  }

  startProcess(key: string, businessKey: string, variables: Record<string, VariableValue>): Promise<ProcessInstance> {
    return this.request('POST', `/process-definition/key/${encodeURIComponent(key)}/start`, {
      businessKey,
      variables: toEngineVariables(variables),
      withVariablesInReturn: true,
    });
  }

  deleteProcessInstance(id: string, reason: string): Promise<void> {
    return this.request('DELETE', `/process-instance/${encodeURIComponent(id)}?skipCustomListeners=true&failIfNotExists=false&deleteReason=${encodeURIComponent(reason)}`);
  }

  tasks(query: Record<string, unknown>, firstResult = 0, maxResults = 200): Promise<EngineTask[]> {
    return this.request('POST', `/task?firstResult=${firstResult}&maxResults=${maxResults}`, query);
  }

  task(id: string): Promise<EngineTask> {
    return this.request('GET', `/task/${encodeURIComponent(id)}`);
  }

  identityLinks(taskId: string): Promise<IdentityLink[]> {
    return this.request('GET', `/task/${encodeURIComponent(taskId)}/identity-links`);
  }

  taskVariables(taskId: string): Promise<EngineVariables> {
    return this.request('GET', `/task/${encodeURIComponent(taskId)}/variables?deserializeValues=false`);
  }

  /** The form-js schema linked to the task by `camunda:formRef` (deployed beside the diagram). */
  deployedForm(taskId: string): Promise<Record<string, unknown>> {
    return this.request('GET', `/task/${encodeURIComponent(taskId)}/deployed-form`);
  }

  claim(taskId: string, userId: string): Promise<void> {
    return this.request('POST', `/task/${encodeURIComponent(taskId)}/claim`, { userId });
  }

  unclaim(taskId: string): Promise<void> {
    return this.request('POST', `/task/${encodeURIComponent(taskId)}/unclaim`);
  }

  complete(taskId: string, variables: Record<string, VariableValue>): Promise<void> {
    return this.request('POST', `/task/${encodeURIComponent(taskId)}/complete`, { variables: toEngineVariables(variables) });
  }

  evaluateDecision(key: string, variables: Record<string, VariableValue>): Promise<Record<string, { value: unknown; type: string }>[]> {
    return this.request('POST', `/decision-definition/key/${encodeURIComponent(key)}/evaluate`, { variables: toEngineVariables(variables) });
  }

  jobs(query: { processInstanceId?: string; timers?: boolean }): Promise<Job[]> {
    const params = new URLSearchParams();
    if (query.processInstanceId) params.set('processInstanceId', query.processInstanceId);
    if (query.timers) params.set('timers', 'true');
    return this.request('GET', `/job?${params.toString()}`);
  }

  /** Moves a timer: the engine fires the job at the new instant. */
  setJobDueDate(id: string, due: Date): Promise<void> {
    return this.request('PUT', `/job/${encodeURIComponent(id)}/duedate`, { duedate: engineDate(due), cascade: false });
  }

  /** Delivers a message to the process instance (a message start or catch event the diagram waits on), with process variables. */
  correlateMessage(messageName: string, processInstanceId: string, variables: Record<string, VariableValue>): Promise<void> {
    return this.request('POST', '/message', { messageName, processInstanceId, processVariables: toEngineVariables(variables) });
  }

  /** The message subscriptions an instance has open now under that message name (what a correlation would reach). */
  eventSubscriptions(processInstanceId: string, eventName: string): Promise<{ id: string; activityId: string }[]> {
    const params = new URLSearchParams({ processInstanceId, eventName, eventType: 'message' });
    return this.request('GET', `/event-subscription?${params.toString()}`);
  }

  setVariable(processInstanceId: string, name: string, value: VariableValue): Promise<void> {
    return this.request('PUT', `/process-instance/${encodeURIComponent(processInstanceId)}/variables/${encodeURIComponent(name)}`, toEngineVariables({ [name]: value })[name]);
  }

  updateTaskDue(taskId: string, due: Date): Promise<void> {
    return this.task(taskId).then((t) => this.request('PUT', `/task/${encodeURIComponent(taskId)}`, { name: t.name, assignee: t.assignee, description: t.description, due: engineDate(due) }));
  }

  activityInstances(processInstanceId: string): Promise<{ childActivityInstances: { activityId: string }[] }> {
    return this.request('GET', `/process-instance/${encodeURIComponent(processInstanceId)}/activity-instances`);
  }

  /** Also answers for ended instances (history level full), unlike the runtime process-instance resource. */
  historicProcessInstance(id: string): Promise<{ id: string; processDefinitionId: string; state: string }> {
    return this.request('GET', `/history/process-instance/${encodeURIComponent(id)}`);
  }

  /** Instances of a business key, running or ended (history level full records an instance when it starts). */
  historicProcessInstances(query: { businessKey: string; processDefinitionKey: string }): Promise<{ id: string; businessKey: string; startTime: string; state: string }[]> {
    const params = new URLSearchParams({ processInstanceBusinessKey: query.businessKey, processDefinitionKey: query.processDefinitionKey, sortBy: 'startTime', sortOrder: 'asc' });
    return this.request('GET', `/history/process-instance?${params.toString()}`);
  }

  /** Running instances of a key, a page at a time (id and business key). */
  processInstances(query: { processDefinitionKey: string }, firstResult = 0, maxResults = 1000): Promise<{ id: string; businessKey: string | null }[]> {
    const params = new URLSearchParams({ processDefinitionKey: query.processDefinitionKey, sortBy: 'instanceId', sortOrder: 'asc', firstResult: String(firstResult), maxResults: String(maxResults) });
    return this.request('GET', `/process-instance?${params.toString()}`);
  }

  /** A task as history keeps it: `deleteReason` is "completed" once completed, "deleted" when its scope ended otherwise. */
  async historicTask(taskId: string): Promise<{ id: string; endTime: string | null; deleteReason: string | null } | null> {
    const found = await this.request<{ id: string; endTime: string | null; deleteReason: string | null }[]>('GET', `/history/task?taskId=${encodeURIComponent(taskId)}`);
    return found[0] ?? null;
  }

  historicActivityInstances(processInstanceId: string): Promise<{ activityId: string; activityType: string; endTime: string | null }[]> {
    return this.request('GET', `/history/activity-instance?processInstanceId=${encodeURIComponent(processInstanceId)}&sortBy=startTime&sortOrder=asc`);
  }

  deployments(firstResult = 0, maxResults = 50): Promise<DeploymentSummary[]> {
    return this.request('GET', `/deployment?sortBy=deploymentTime&sortOrder=desc&firstResult=${firstResult}&maxResults=${maxResults}`);
  }

  deploymentResources(deploymentId: string): Promise<DeploymentResource[]> {
    return this.request('GET', `/deployment/${encodeURIComponent(deploymentId)}/resources`);
  }

  /** A deployed resource's content as text (a .form's JSON, a diagram's XML), as it was uploaded. */
  async deploymentResourceText(deploymentId: string, resourceId: string): Promise<string> {
    const res = await this.send(`/deployment/${encodeURIComponent(deploymentId)}/resources/${encodeURIComponent(resourceId)}/data`);
    const text = await res.text();
    if (!res.ok) throw this.failure(res.status, 'EngineError', text);
    return text;
  }

  latestDefinitions(kind: 'process' | 'decision'): Promise<Definition[]> {
    return this.request('GET', `/${kind}-definition?latestVersion=true&sortBy=key&sortOrder=asc`);
  }

  async definitionXml(kind: 'process' | 'decision', id: string): Promise<string> {
    const body = await this.request<{ bpmn20Xml?: string; dmnXml?: string }>('GET', `/${kind}-definition/${encodeURIComponent(id)}/xml`);
    return (kind === 'process' ? body.bpmn20Xml : body.dmnXml) ?? '';
  }

  /** Every version of a key, newest first. */
  definitionVersions(kind: 'process' | 'decision', key: string): Promise<Definition[]> {
    return this.request('GET', `/${kind}-definition?key=${encodeURIComponent(key)}&sortBy=version&sortOrder=desc`);
  }

  definition(kind: 'process' | 'decision', id: string): Promise<Definition> {
    return this.request('GET', `/${kind}-definition/${encodeURIComponent(id)}`);
  }

  deployment(id: string): Promise<DeploymentSummary> {
    return this.request('GET', `/deployment/${encodeURIComponent(id)}`);
  }

  /** Running activity instances and incidents per activity of one definition version. */
  activityStatistics(processDefinitionId: string): Promise<ActivityStatistics[]> {
    return this.request('GET', `/process-definition/${encodeURIComponent(processDefinitionId)}/statistics?incidents=true`);
  }

  /** Executions waiting at an activity, across all versions of the key. */
  executions(query: { processDefinitionKey: string; activityId: string }): Promise<{ id: string; processInstanceId: string }[]> {
    const params = new URLSearchParams(query);
    return this.request('GET', `/execution?${params.toString()}`);
  }

  async processInstanceCount(query: { processDefinitionId?: string; processDefinitionKey?: string; businessKey?: string }): Promise<number> {
    const params = new URLSearchParams(query as Record<string, string>);
    return (await this.request<{ count: number }>('GET', `/process-instance/count?${params.toString()}`)).count;
  }

  /** The engine's plan mapping equal activity ids of two versions; timers and other event triggers are recomputed. */
  generateMigrationPlan(sourceProcessDefinitionId: string, targetProcessDefinitionId: string): Promise<MigrationPlan> {
    return this.request('POST', '/migration/generate', { sourceProcessDefinitionId, targetProcessDefinitionId, updateEventTriggers: true });
  }

  /**
   * Migrates, all or nothing, the running instances of the plan's source version. Answers the engine's
   * validation report when it refuses (the plain request() would drop it); other faults throw as usual.
   */
  async executeMigration(plan: MigrationPlan): Promise<MigrationReport | null> {
    const body = { migrationPlan: plan, processInstanceQuery: { processDefinitionId: plan.sourceProcessDefinitionId }, skipCustomListeners: false, skipIoMappings: false };
    const res = await this.send('/migration/execute', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
    if (res.ok) return null;
    const text = await res.text();
    let parsed: { type?: string; message?: string; validationReport?: MigrationReport['validationReport'] } = {};
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the raw text becomes the message below
    }
    if (res.status < 500 && parsed.validationReport) return { type: parsed.type ?? 'EngineError', message: parsed.message ?? text, validationReport: parsed.validationReport };
    throw this.failure(res.status, parsed.type ?? 'EngineError', parsed.message ?? text);
  }
}

export interface ActivityStatistics {
  /** The activity id. */
  id: string;
  instances: number;
  failedJobs: number;
  incidents: { incidentType: string; incidentCount: number }[];
}

export interface MigrationPlan {
  sourceProcessDefinitionId: string;
  targetProcessDefinitionId: string;
  instructions: { sourceActivityIds: string[]; targetActivityIds: string[]; updateEventTrigger: boolean }[];
}

/** The engine's refusal of a migration: a plan report (instructionReports) or an instance report (activity/transition instances). */
export interface MigrationReport {
  type: string;
  message: string;
  validationReport: {
    processInstanceId?: string;
    failures?: string[];
    instructionReports?: { instruction: { sourceActivityIds: string[]; targetActivityIds: string[] }; failures: string[] }[];
    activityInstanceValidationReports?: { sourceScopeId: string; failures: string[] }[];
    transitionInstanceValidationReports?: { sourceScopeId: string; failures: string[] }[];
  };
}
