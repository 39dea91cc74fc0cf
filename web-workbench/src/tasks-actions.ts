/** Claiming and releasing tasks, shared by the tasklist and the task form. */
import { post } from './api.js';
import { h, toast } from './dom.js';

/** The claim control for a task: 签收 when free, 退回签收 when mine, the holder's name when someone else's. */
export function claimControl(task, user, onChanged) {
  const act = (path, done) => async (e) => {
    e.currentTarget.disabled = true;
    try {
      await post(`/api/tasks/${task.id}/${path}`);
      toast(done);
      onChanged();
    } catch (err) {
      toast(err.message, 'error');
      onChanged();
    }
  };
  if (!task.assignee) return h('button', { type: 'button', class: 'btn btn-small', onclick: act('claim', '已签收') }, '签收');
  if (task.assignee === user.username) return h('button', { type: 'button', class: 'btn btn-small btn-ghost', onclick: act('unclaim', '已退回签收') }, '退回签收');
  return h('span', { class: 'muted' }, `已由 ${task.assignee} 签收`);
}
