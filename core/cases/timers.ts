/**
 * When a deadline changes (an approved extension, a C-category plan, a holiday year loaded), everything
 * that was bound to the old deadline moves with it: the `dueAt` variable, the timer jobs due at the old
 * instant (whatever diagram element they belong to), and the open tasks due then.
 */
import type { EngineClient } from '../engine/client';

export async function moveDeadline(engine: EngineClient, processInstanceId: string, from: Date | null, to: Date): Promise<number> {
  let moved = 0;
  if (from) {
    const same = (iso: string | null) => iso !== null && Date.parse(iso) === from.getTime();
    const [jobs, tasks] = await Promise.all([engine.jobs({ processInstanceId, timers: true }), engine.tasks({ processInstanceId })]);
    const timers = jobs.filter((j) => same(j.dueDate));
    await Promise.all([...timers.map((j) => engine.setJobDueDate(j.id, to)), ...tasks.filter((t) => same(t.due)).map((t) => engine.updateTaskDue(t.id, to))]);
    moved = timers.length;
  }
  // The variable last: a caller that died before it reads the old deadline again and finds what is left to move.
  await engine.setVariable(processInstanceId, 'dueAt', to.toISOString());
  return moved;
}
