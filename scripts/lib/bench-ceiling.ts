/**
 * (e) of `npm run bench`: the engine's own ceiling for the work one case is. The deployed `hotlineCase` is driven
 * straight through the engine's REST API — started by key with the variables intake gives, each human task
 * completed through `/task/{id}/complete` with the variables the API would send — while its external tasks are
 * completed by workers that do no work: the project's own runtime (workers/runtime.ts, on
 * camunda-external-task-client-js, with the configured polling) subscribed to every topic the diagram names,
 * each handler answering at once with the output variables the diagram needs to go on. No server, no
 * application table.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import type { WorkOrder } from '../../core/db/entities';
import { toEngineVariables, type VariableValue } from '../../core/engine/client';
import type { ServiceAccount } from '../../core/engine/credentials';
import { PROCESS_KEY, startVariables } from '../../core/operations/intake';
import { runWorkers, type RunningWorkers } from '../../workers/runtime';
import type { Worker } from '../../workers/types';
import { ROOT } from './system-process';

const DIAGRAM = path.join(ROOT, 'bpmn/hotline-case.bpmn');

/** Every external-task topic the case diagram names. */
export function caseTopics(): string[] {
  const xml = readFileSync(DIAGRAM, 'utf8');
  return [...new Set([...xml.matchAll(/camunda:topic="([^"]+)"/g)].map((m) => m[1]))].sort();
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const count = (v: unknown) => (typeof v === 'number' ? v : 0);

/**
 * What each topic's worker (workers/topics/*.ts) hands back that the diagram reads afterwards (timers, due
 * dates, gateways, counters); a topic missing here returns nothing, as its worker does (case-status, notices).
 */
const OUTPUTS: Record<string, { variables: string[]; out: (v: Record<string, unknown>) => Record<string, unknown> }> = {
  'case-suggest': { variables: [], out: () => ({ suggestedCategory: 'B', suggestedUnitId: 'xinhua', suggestionSource: 'catalogue' }) },
  'case-deadline': { variables: [], out: () => ({ dueAt: inDays(7), dueProvisional: false }) },
  'case-plan': { variables: [], out: () => ({ dueAt: inDays(7) }) },
  'case-extension': { variables: [], out: () => ({ dueAt: inDays(14) }) },
  'case-co-deadline': { variables: [], out: () => ({ coInputDueAt: inDays(3), coInputRemindAt: inDays(2) }) },
  'case-supervision': { variables: ['dispatchCount'], out: (v) => ({ supervisionDispatchCount: count(v.dispatchCount), supervisionStep: 'none' }) },
  'case-extension-requested': { variables: ['extensionCount'], out: (v) => ({ extensionCount: count(v.extensionCount) + 1 }) },
  'case-revisit-attempt': { variables: ['revisitAttempts'], out: (v) => ({ revisitAttempts: count(v.revisitAttempts) + 1 }) },
};

/** Workers that complete every task of the case diagram at once, polling every node as the real ones do. */
export function startIdleWorkers(engineUrls: string[], account: ServiceAccount): Promise<RunningWorkers> {
  const workers: Worker[] = caseTopics().map((topic) => {
    const o = OUTPUTS[topic] ?? { variables: [], out: () => ({}) };
    return { topic, variables: o.variables, handler: async (input) => o.out(input) };
  });
  const log = (level: string, msg: string) => level !== 'info' && process.stderr.write(`[idle workers] ${msg}\n`);
  return runWorkers(workers, engineUrls, account, loadConfig().workers, log);
}

/** JSON over HTTP, as scripts/bench.ts speaks it; the answers are read by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = (method: string, url: string, token?: string, body?: unknown) => Promise<{ status: number; body: any }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One case through the engine alone, as scenario (b) walks it through the API: dispatch (B to xinhua) → handle
 * (feedback with one attachment) → leader sign-off → review → revisit → unit revisit → ended.
 */
export function engineCase(engine: string, json: Json): (i: number) => Promise<boolean> {
  const task = async (processInstanceId: string, key: string): Promise<string> => {
    for (let n = 0; n < 2000; n++) {
      const found = await json('GET', `${engine}/task?processInstanceId=${processInstanceId}&taskDefinitionKey=${key}`);
      if (found.body?.[0]) return found.body[0].id as string;
      await sleep(10);
    }
    throw new Error(`no ${key} task`);
  };
  return async (i) => {
    const workOrder = {
      id: randomUUID(),
      code: `ceiling-${i}`,
      channel: 'phone',
      address: '新华区矿工路128号',
      content: `第${i}号：小区门口占道经营，影响通行`,
    };
    const started = await json('POST', `${engine}/process-definition/key/${PROCESS_KEY}/start`, undefined, {
      businessKey: workOrder.code,
      variables: toEngineVariables(startVariables(workOrder as WorkOrder)),
    });
    if (started.status !== 200) return false;
    const pid = started.body.id as string;
    const complete = async (key: string, variables: Record<string, VariableValue>) =>
      (await json('POST', `${engine}/task/${await task(pid, key)}/complete`, undefined, { variables: toEngineVariables(variables) })).status === 204;
    // the variables server/tasks/forms.ts prepareCompletion sends for the same submissions as (b)'s
    if (
      !(await complete('dispatch', {
        disposition: 'dispatch',
        category: 'B',
        leadUnitId: 'xinhua',
        coUnitIds: [],
        dispatchedAt: new Date().toISOString(),
        dispatchCount: 1,
      }))
    )
      return false;
    const feedback = {
      handledAt: new Date().toISOString(),
      responsible: { name: '李明', title: '队长', phone: '0375-2345678' },
      process: '现场核查',
      result: '已处理',
      attachmentIds: [randomUUID()],
    };
    if (!(await complete('handle', { outcome: 'feedback', feedback }))) return false;
    if (!(await complete('leaderSignoff', { signoffApproved: true }))) return false;
    if (!(await complete('review', { reviewOutcome: 'accept' }))) return false;
    const revisit = { reached: true, solved: true, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied', truthful: true };
    if (!(await complete('revisit', { revisit }))) return false;
    if (!(await complete('unitRevisit', { revisit }))) return false;
    for (let n = 0; n < 2000; n++) {
      if ((await json('GET', `${engine}/process-instance/${pid}`)).status === 404) return true;
      await sleep(10);
    }
    return false;
  };
}
