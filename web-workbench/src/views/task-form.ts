/**
 * One task: the work order beside the task's form (the form-js schema deployed with the diagram).
 * Submitting validates in the form first, then on the server; a refusal is shown in Chinese next to its field.
 */
import { Form } from '@bpmn-io/form-js';
import { ApiError, get, post } from '../../../web-shared/src/api';
import { caseFields } from '../case-fields';
import { h, fill } from '../../../web-shared/src/dom';
import { toast } from '../dom';
import { uploadChosenFiles } from '../forms/attachments';
import { deadlineHint } from '../forms/deadline-hint';
import { fieldIdByPath, prepareFormData, type FormOptions, type FormSchema } from '../forms/form-data';
import { localizeForm } from '../forms/localize';
import { toVariables } from '../forms/submission';
import type { DispatchSuggestion } from '../../../core/dispatch/suggestion';
import type { CaseDetail, Task } from '../model';
import { suggestionView } from '../suggestion';
import { claimControl } from '../tasks-actions';
import type { ViewContext } from '../view';
import { countdown } from '../time';

/** GET /api/tasks/:id/form: the task, its deployed form-js schema, the process variables and the options policy owns. */
interface TaskForm {
  task: Task;
  form: FormSchema;
  data: Record<string, unknown>;
  options?: FormOptions;
}

/** Forms that choose the lead unit (分类交办) show the dispatch suggestion beside the work order. */
const asksLeadUnit = (schema: FormSchema) => JSON.stringify(schema).includes('"defaultFrom":"suggestedUnitId"');

/** The suggestion recorded with the work order (what the form proposes) first, today's other candidates after it. */
async function dispatchSuggestion(c: CaseDetail) {
  const s = await get<DispatchSuggestion>(`/api/cases/${c.id}/suggestion`).catch(() => null);
  return s && h('div', { class: 'suggestion' }, h('h2', {}, '派单建议'), ...suggestionView(s));
}

export async function taskFormView({ main, params: [taskId], user }: ViewContext) {
  const { task, form: schema, data: variables, options } = await get<TaskForm>(`/api/tasks/${taskId}/form`);
  const workOrder = task.caseId ? await get<CaseDetail>(`/api/cases/${task.caseId}`) : null;
  // A task's Chinese name is its BPMN name, as the engine reports it.
  const title = task.name;

  const claim = h('span', { class: 'claim' });
  const renderClaim = (t: Task) =>
    fill(
      claim,
      h('span', { class: 'muted' }, t.assignee ? `签收人：${t.assignee}` : '未签收'),
      claimControl(t, user, () => void refreshClaim()),
    );
  const refreshClaim = async () => void renderClaim((await get<TaskForm>(`/api/tasks/${taskId}/form`).catch(() => ({ task }))).task);
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
      h(
        'section',
        { class: 'panel case-panel' },
        h('h2', {}, '工单信息'),
        workOrder ? await caseFields(workOrder) : h('p', { class: 'muted' }, '该任务不属于任何工单'),
        workOrder && asksLeadUnit(schema) && (await dispatchSuggestion(workOrder)),
      ),
      h(
        'section',
        { class: 'panel form-panel' },
        h('h2', {}, `${title}表单`),
        banner,
        host,
        h('div', { class: 'actions' }, submitButton, h('a', { href: '#/tasks', class: 'btn btn-ghost' }, '取消')),
      ),
    ),
  );
  renderClaim(task);

  const form = new Form({ container: host });
  const stopLocalizing = localizeForm(form, host);
  const { data, helperKeys } = await prepareFormData(schema, variables, user, options);
  try {
    await form.importSchema(schema, data);
  } catch {
    fill(banner, h('div', { class: 'notice notice-error' }, '任务表单无法显示，请联系管理员检查表单定义'));
    return () => (stopLocalizing(), form.destroy());
  }
  if ((schema.components ?? []).some((c) => c.key === 'category')) host.after(deadlineHint(form));

  const showError = (message: string) => fill(banner, h('div', { class: 'notice notice-error' }, message));

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
      showError(e instanceof Error ? e.message : String(e));
      const fieldId = e instanceof ApiError ? fieldIdByPath(form).get((e.field ?? '').replace(/^variables\.?/, '')) : undefined;
      if (fieldId && e instanceof Error) form._setState({ errors: { ...form._getState().errors, [fieldId]: [e.message] } });
    } finally {
      submitButton.disabled = false;
    }
  }

  submitButton.addEventListener('click', () => void submit());
  const onKey = (e: KeyboardEvent) => {
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
