/** 提级督办 (六): the office raises an open, dispatched work order's supervision level by hand, with a reason. */
import { post } from '../../web-shared/src/api';
import { h, fill } from '../../web-shared/src/dom';
import { userIn, type User } from '../../web-shared/src/session';
import { SUPERVISION_LADDER, SUPERVISION_LEVEL, SUPERVISION_REQUEST_REASONS, supervisionRank, type SupervisionLevel } from '../../core/vocabulary';
import { toast } from './dom';

/** The action on the case page, or nothing when the user is not the office or the case cannot be raised. */
export function escalateAction(c: { id: string; status: string; supervisionLevel: SupervisionLevel }, user: User): HTMLElement | null {
  const higher = SUPERVISION_LADDER.filter((l) => supervisionRank(l) > supervisionRank(c.supervisionLevel));
  if (!userIn(user, 'supervision') || c.status !== 'dispatched' || higher.length === 0) return null;

  const level = h('select', { 'aria-label': '提级后的督办级别' }, ...higher.map((l) => h('option', { value: l }, SUPERVISION_LEVEL[l])));
  const listId = `escalate-reasons-${c.id}`;
  const reason = h('input', { maxlength: 500, list: listId, placeholder: '事由，如：群众反映集中', 'aria-label': '提级督办事由' });
  const reasons = h('datalist', { id: listId }, ...SUPERVISION_REQUEST_REASONS.map((r) => h('option', { value: r })));
  const error = h('span', { class: 'field-error' });
  const submitButton = h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, '确认提级');
  const form = h(
    'form',
    { class: 'reveal-form escalate-form', onsubmit: (e: Event) => (e.preventDefault(), void submit()) },
    level,
    reason,
    reasons,
    submitButton,
    h('button', { type: 'button', class: 'btn btn-small', onclick: () => form.replaceWith(button) }, '取消'),
    error,
  );
  const button = h('button', { type: 'button', class: 'btn btn-small escalate', onclick: () => (button.replaceWith(form), reason.focus()) }, '提级督办');

  async function submit() {
    const text = reason.value.trim();
    if (!text) return void fill(error, '请填写提级督办事由');
    submitButton.disabled = true;
    try {
      await post(`/api/cases/${c.id}/supervision`, { level: level.value, reason: text });
      toast('已提交提级督办，督办通知将按所选级别下发');
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (e) {
      submitButton.disabled = false;
      fill(error, e instanceof Error ? e.message : String(e));
    }
  }
  return button;
}
