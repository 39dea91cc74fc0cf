/** What a worker is: a typed async function over a task's variables, bound to one external-task topic. */
export interface TaskContext {
  taskId: string;
  topic: string;
  processInstanceId: string;
  businessKey: string | null;
  activityId: string;
  /** Unique per execution of a diagram element: the idempotency key of anything the handler writes. */
  activityInstanceId: string;
  retries: number | null;
}

export interface Worker<I = Record<string, unknown>, O extends Record<string, unknown> = Record<string, unknown>> {
  topic: string;
  /** The variables the handler reads; fetched with the task. */
  variables: string[];
  handler(input: I, ctx: TaskContext): Promise<O>;
  /** How long a fetched task stays locked, when longer than the configured default (long-running work). */
  lockDuration?: number;
}

/** Reads a required input; a diagram that does not provide it is a modelling error (permanent). */
export function required<T>(input: Record<string, unknown>, name: string, check: (v: unknown) => v is T, expected: string): T {
  const value = input[name];
  if (!check(value)) throw new Error(`input variable "${name}" must be ${expected}, got ${JSON.stringify(value)}`);
  return value;
}

export const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
export const isInstant = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));
export const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
