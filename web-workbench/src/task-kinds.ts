/**
 * The kinds of user task as the deployed diagrams name them (GET /api/tasks/kinds): the tasklist's filter and the
 * name of a task in timeline entries written before events carried it. A task's Chinese name is its BPMN `name`.
 */
import { get } from '../../web-shared/src/api';

export interface TaskKind {
  taskKey: string;
  name: string;
  processKey: string;
  /** Whether GET /api/tasks?taskKey= accepts it. */
  filterable: boolean;
}

let loaded: Promise<TaskKind[]> | null = null;

export function loadTaskKinds(): Promise<TaskKind[]> {
  loaded ??= get<{ items: TaskKind[] }>('/api/tasks/kinds').then((r) => r.items);
  loaded.catch(() => (loaded = null));
  return loaded;
}

/** The name of a kind of task: the event's own name, else the deployed diagram's, else a neutral word — never an id. */
export function taskName(kinds: TaskKind[], taskKey: unknown, recorded: unknown): string {
  if (typeof recorded === 'string' && recorded) return recorded;
  return kinds.find((k) => k.taskKey === taskKey)?.name ?? '任务';
}
