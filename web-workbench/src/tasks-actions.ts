/** Claiming and releasing tasks, shared by the tasklist and the task form. */
import { post } from '../../web-shared/src/api';
import { h } from '../../web-shared/src/dom';
import type { User } from '../../web-shared/src/session';
import { toast } from './dom';
import type { Task } from './model';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The claim control for a task: 签收 when free, 退回签收 when mine, the holder's name when someone else's. */
export function claimControl(task: Pick<Task, 'id' | 'assignee'>, user: User, onChanged: () => void): HTMLElement {
  const act = (path: string, done: string) => async (e: Event) => {
    (e.currentTarget as HTMLButtonElement).disabled = true;
    try {
      await post(`/api/tasks/${task.id}/${path}`);
      toast(done);
    } catch (err) {
      toast(message(err), 'error');
    }
    onChanged();
  };
  if (!task.assignee) return h('button', { type: 'button', class: 'btn btn-small', onclick: act('claim', '已签收') }, '签收');
  if (task.assignee === user.username)
    return h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: act('unclaim', '已退回签收') }, '退回签收');
  return h('span', { class: 'muted' }, `已由 ${task.assignee} 签收`);
}
