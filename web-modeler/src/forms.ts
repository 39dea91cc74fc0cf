/** Task forms: the sidebar's list of forms (named by the user tasks that link them), opening one, and its 预览. */
import { h } from '../../web-shared/src/dom';
import { modelerApi } from './api';
import type { Documents } from './documents';
import type { FormSummary } from './model';
import type { Workspace } from './workspace';

export interface Forms {
  list: HTMLElement;
  previewButton: HTMLButtonElement;
  reload(): Promise<void>;
}

/** The title of an open form: its id, version and the tasks that use it. */
export function formTitle(form: FormSummary): string {
  const tasks = form.usedBy.map((u) => `${u.name ?? u.taskId}（${u.processKey}）`).join('、') || '没有任务使用';
  return `表单：${form.formId}（版本 ${form.version} · 用于 ${tasks}）`;
}

export function createForms(ws: Workspace, documents: Documents): Forms {
  const list = h('ul', { class: 'forms' }, h('li', {}, '正在加载…'));
  const previewButton = h('button', { type: 'button', class: 'toggle', disabled: true, 'aria-pressed': 'false', onclick: () => void togglePreview() }, '预览');

  /** A form in the sidebar: the user tasks that link it (分类交办 …), its id and version. */
  const entry = (f: FormSummary) =>
    h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'def', 'data-form-id': f.formId, onclick: () => void open(f) },
        h('span', { class: 'def-name' }, f.usedBy.map((u) => u.name ?? u.taskId).join('、') || '（没有任务使用）'),
        h('span', { class: 'def-meta' }, `${f.formId} · 版本 ${f.version}`),
      ),
    );

  async function reload() {
    try {
      list.replaceChildren(...(await modelerApi.forms()).items.map(entry));
    } catch (err) {
      ws.handleError(err);
    }
  }

  async function open(f: FormSummary) {
    try {
      ws.setStatus(`正在加载表单 ${f.formId}…`);
      const form = await modelerApi.form(f.formId);
      await documents.open('form', JSON.stringify(form.schema), form.resourceName, formTitle(form));
    } catch (err) {
      ws.handleError(err);
    }
  }

  function setPreview(on: boolean) {
    previewButton.classList.toggle('active', on);
    previewButton.setAttribute('aria-pressed', String(on));
  }

  async function togglePreview() {
    const on = previewButton.getAttribute('aria-pressed') !== 'true';
    try {
      await ws.doc?.editor.setPreview?.(on);
      setPreview(on);
      if (on) ws.setStatus('预览：按示例工单数据显示表单，填写内容不会保存', 'info');
    } catch (err) {
      ws.setStatus(`无法预览：${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  }

  ws.on('opened', (doc) => {
    setPreview(false);
    previewButton.disabled = doc.kind !== 'form';
  });
  ws.on('deployed', () => void reload());
  return { list, previewButton, reload };
}
