/**
 * Runs workers on camunda-external-task-client-js: fetch-and-lock with long polling, then maps the
 * handler's outcome onto the error taxonomy (core/errors.ts): return → complete; BusinessError →
 * BPMN error for the diagram; TransientError → failure with retries and exponential back-off;
 * anything else → failure with no retries left, i.e. an incident for an operator to look at.
 *
 * The client speaks to one base URL; with several engine nodes (ENGINE_URL a list) one client polls each, so
 * the work of a node that goes away is fetched through the others once its locks expire. A client whose node
 * does not answer pauses, 1 s doubling to 10 s, and says so once.
 */
import { BusinessError, isTransient } from '../core/errors';
import type { Config } from '../core/config';
import type { ServiceAccount } from '../core/engine/credentials';
import type { ExternalTask, TaskService, Variables as VariablesType } from 'camunda-external-task-client-js';
import type { TaskContext, Worker } from './types';

export interface RunningWorkers {
  topics: string[];
  stop(): Promise<void>;
}

type Log = (level: 'info' | 'warn' | 'error', msg: string) => void;

export async function runWorkers(workers: Worker[], engineUrls: string[], account: ServiceAccount, cfg: Config['workers'], log: Log): Promise<RunningWorkers> {
  // The client is an ES module; a dynamic import keeps this CommonJS project loading it natively.
  const { Client, Variables, BasicAuthInterceptor } = await import('camunda-external-task-client-js');
  let stopped = false;
  // The tasks one process runs at once, shared out between the nodes it polls.
  const perNode = Math.max(1, Math.ceil(cfg.maxTasks / engineUrls.length));

  const clients = engineUrls.map((baseUrl) => {
    const client = new Client({
      baseUrl,
      autoPoll: false,
      maxTasks: perNode,
      maxParallelExecutions: perNode,
      lockDuration: cfg.lockDuration,
      asyncResponseTimeout: cfg.asyncResponseTimeout,
      interval: 50,
      interceptors: new BasicAuthInterceptor({ username: account.user, password: account.password }),
      use: () => undefined,
    });
    let pause = 0;
    let resume: NodeJS.Timeout | undefined;
    client.on('poll:error', (e) => {
      if (stopped) return;
      if (pause === 0) log('warn', `fetch-and-lock at ${baseUrl} failed, pausing this node: ${e instanceof Error ? e.message : String(e)}`);
      pause = Math.min(pause ? pause * 2 : 1000, 10_000);
      client.stop();
      resume = setTimeout(() => !stopped && client.start(), pause);
    });
    client.on('poll:success', () => {
      if (pause > 0) log('info', `fetch-and-lock at ${baseUrl} answers again`);
      pause = 0;
    });
    for (const w of workers) {
      client.subscribe(w.topic, { variables: w.variables, ...(w.lockDuration ? { lockDuration: w.lockDuration } : {}) }, async ({ task, taskService }) => {
        const ctx: TaskContext = {
          taskId: task.id,
          topic: task.topicName,
          processInstanceId: task.processInstanceId,
          businessKey: task.businessKey,
          activityId: task.activityId,
          activityInstanceId: task.activityInstanceId,
          retries: task.retries,
        };
        try {
          const out = await w.handler(task.variables.getAll(), ctx);
          const vars = new Variables();
          vars.setAll(out);
          await taskService.complete(task, vars);
        } catch (e) {
          await report(e, task, taskService, Variables, cfg, log).catch((reportError: unknown) =>
            log('error', `${w.topic}: could not report the outcome of task ${task.id}: ${String(reportError)}`),
          );
        }
      });
    }
    client.start();
    return { client, cancel: () => clearTimeout(resume) };
  });
  log('info', `workers polling ${workers.map((w) => w.topic).join(', ')} at ${engineUrls.join(', ')}`);

  return {
    topics: workers.map((w) => w.topic),
    async stop() {
      stopped = true;
      for (const c of clients) {
        c.cancel();
        c.client.stop();
      }
      const until = Date.now() + 15_000;
      while (clients.some((c) => c.client.activeTasksCount > 0) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    },
  };
}

async function report(
  e: unknown,
  task: ExternalTask,
  taskService: TaskService,
  Variables: new () => VariablesType,
  cfg: Config['workers'],
  log: Log,
): Promise<void> {
  if (e instanceof BusinessError) {
    const vars = new Variables();
    vars.setAll(e.variables);
    await taskService.handleBpmnError(task, e.code, e.message, vars);
    return;
  }
  const message = e instanceof Error ? e.message : String(e);
  if (isTransient(e)) {
    const left = Math.max((task.retries ?? cfg.retries) - 1, 0);
    const attempt = cfg.retries - left;
    log('warn', `${task.topicName}: transient fault (retries left ${left}): ${message}`);
    await taskService.handleFailure(task, {
      errorMessage: message.slice(0, 600),
      retries: left,
      retryTimeout: cfg.retryBackoffMs * 2 ** Math.max(attempt - 1, 0),
    });
    return;
  }
  log('error', `${task.topicName}: permanent fault, incident raised: ${message}`);
  await taskService.handleFailure(task, {
    errorMessage: message.slice(0, 600),
    errorDetails: e instanceof Error ? e.stack : undefined,
    retries: 0,
    retryTimeout: 0,
  });
}
