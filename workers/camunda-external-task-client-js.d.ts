/** The part of camunda-external-task-client-js (which ships no types) that the runtime uses. */
declare module 'camunda-external-task-client-js' {
  export interface ExternalTask {
    id: string;
    topicName: string;
    processInstanceId: string;
    businessKey: string | null;
    activityId: string;
    activityInstanceId: string;
    retries: number | null;
    variables: { getAll(): Record<string, unknown> };
  }

  export class Variables {
    setAll(values: Record<string, unknown>): Variables;
  }

  export interface TaskService {
    complete(task: ExternalTask, variables?: Variables): Promise<void>;
    handleFailure(task: ExternalTask, options: { errorMessage: string; errorDetails?: string; retries: number; retryTimeout: number }): Promise<void>;
    handleBpmnError(task: ExternalTask, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
  }

  /** Adds `Authorization: Basic …` to every request; used as the client's `interceptors` option. */
  export class BasicAuthInterceptor {
    constructor(options: { username: string; password: string });
  }

  export class Client {
    constructor(options: Record<string, unknown>);
    activeTasksCount: number;
    subscribe(topic: string, options: Record<string, unknown>, handler: (args: { task: ExternalTask; taskService: TaskService }) => Promise<void>): void;
    start(): void;
    stop(): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
  }
}
