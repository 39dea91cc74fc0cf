/**
 * One task: the work order beside the task's form (the form-js schema deployed with the diagram).
 * Submitting validates in the form first, then on the server; a refusal is shown in Chinese next to its field.
 */
import { Form } from '@bpmn-io/form-js';
import { get, post } from '../api.js';
import { caseFields } from '../case-fields.js';
import { h, fill, toast } from '../dom.js';
import { uploadChosenFiles } from '../forms/attachments.js';
import { deadlineHint } from '../forms/deadline-hint.js';
import { fieldIdByPath, prepareFormData } from '../forms/form-data.js';
import { localizeForm } from '../forms/localize.js';
import { toVariables } from '../forms/submission.js';
import { TASK, label } from '../labels.js';
import { claimControl } from '../tasks-actions.js';
import { countdown } from '../time.js';

export async function taskFormView({ main, params: [taskId], user }) {
  const { task, form: schema, data: variables } = await get(`/api/tasks/${taskId}/form`);
  const workOrder = task.caseId ? await get(`/api/cases/${task.caseId}`) : null;
  const title = label(TASK, task.taskKey, task.name);

  const claim = h('span', { class: 'claim' });
  const renderClaim = (t) => fill(claim, h('span', { class: 'muted' }, t.assignee ? `签收人：${t.assignee}` : '未签收'), claimControl(t, user, refreshClaim));
  const refreshClaim = async () => renderClaim((await get(`/api/tasks/${taskId}/form`).catch(() => ({ task }))).task);
  const left = countdown(task.due);
  const banner = h('div', { role: 'alert' });
  const host = h('div', { class: 'form-host' });
  const submitButton = h('button', { type: 'button', class: 'btn btn-primary' }, '提交（Ctrl+回车）');

  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h('a', { href: '#/tasks', class: 'btn btn-ghost' }, '← 返回待办'),
      h('h1', {}, title),
      workOrder && h('a', { href: `#/cases/${workOrder.id}` }, workOrder.code),
      !left.none && h('span', { class: `countdown${left.overdue ? ' is-overdue' : left.soon ? ' is-soon' : ''}` }, left.text),
      claim,
    ),
    h(
      'div',
      { class: 'task-layout' },
      h('section', { class: 'panel case-panel' }, h('h2', {}, '工单信息'), workOrder ? await caseFields(workOrder) : h('p', { class: 'muted' }, '该任务不属于任何工单')),
      h('section', { class: 'panel form-panel' }, h('h2', {}, `${title}表单`), banner, host, h('div', { class: 'actions' }, submitButton, h('a', { href: '#/tasks', class: 'btn btn-ghost' }, '取消'))),
    ),
  );
  renderClaim(task);

  const form = new Form({ container: host });
  const stopLocalizing = localizeForm(form, host);
  const { data, helperKeys } = await prepareFormData(schema, variables, user);
  try {
    await form.importSchema(schema, data);
  } catch {
    fill(banner, h('div', { class: 'notice notice-error' }, '任务表单无法显示，请联系管理员检查表单定义'));
    return () => (stopLocalizing(), form.destroy());
  }
  if ((schema.components ?? []).some((c) => c.key === 'category')) host.after(deadlineHint(form));

  const showError = (message) => fill(banner, h('div', { class: 'notice notice-error' }, message));

  async function submit() {
    fill(banner);
    const { data: submitted, errors, files } = form.submit();
    if (Object.keys(errors).length > 0) {
      showError('请按红色提示完善表单后再提交');
      host.querySelector('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors')?.scrollIntoView({ block: 'center' });
      return;
    }
    submitButton.disabled = true;
    try {
      await uploadChosenFiles(form, submitted, files, task.caseId);
      await post(`/api/tasks/${taskId}/complete`, { variables: toVariables(submitted, helperKeys) });
      toast(`已提交：${title}（${task.caseCode ?? ''}）`);
      location.hash = '#/tasks';
    } catch (e) {
      showError(e.message);
      const fieldId = fieldIdByPath(form).get((e.field ?? '').replace(/^variables\.?/, ''));
      if (fieldId) form._setState({ errors: { ...form._getState().errors, [fieldId]: [e.message] } });
    } finally {
      submitButton.disabled = false;
    }
  }

  submitButton.addEventListener('click', () => void submit());
  const onKey = (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void submit();
    }
  };
  document.addEventListener('keydown', onKey);
  return () => {
    document.removeEventListener('keydown', onKey);
    stopLocalizing();
    form.destroy();
  };
}
