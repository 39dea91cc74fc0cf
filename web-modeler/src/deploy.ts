/** 服务器校验 and 部署: the server's rules on the open document, and deploying it with a comment (confirmed when it affects running work orders). */
import { h } from '../../web-shared/src/dom';
import { modelerApi } from './api';
import type { Documents } from './documents';
import { formTitle } from './forms';
import { impactsOf, problemsOf, showImpacts } from './impacts';
import { KIND_LABEL } from './model';
import type { Workspace } from './workspace';

export function createDeploy(ws: Workspace, documents: Documents): { checkButton: HTMLButtonElement; deployButton: HTMLButtonElement } {
  const checkButton = h('button', { type: 'button', disabled: true, onclick: () => void check() }, '服务器校验');
  const deployButton = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => void deploy() }, '部署');

  async function check() {
    try {
      const { problems } = await modelerApi.lint([await documents.currentFile()]);
      ws.showProblems(problems);
      ws.setStatus(problems.length ? `服务器校验发现 ${problems.length} 个问题` : '服务器校验通过，可以部署', problems.length ? 'error' : 'ok');
    } catch (err) {
      ws.handleError(err);
    }
  }

  async function deploy(confirm = false): Promise<void> {
    const doc = ws.doc;
    if (!doc) return;
    const comment = ws.comment.value.trim();
    if (!comment) return ws.setStatus('请填写部署说明', 'error');
    const errors = doc.editor.clientErrors();
    if (errors > 0) return ws.setStatus(doc.editor.clientErrorMessage?.() ?? `图中还有 ${errors} 个错误（见图上的标记），请先修正再部署`, 'error');
    deployButton.disabled = true;
    try {
      const file = await documents.currentFile();
      const res = await modelerApi.deploy([file], comment, confirm);
      ws.showProblems([]);
      ws.closePanel();
      // the engine reports no definitions for a form: its new version is read from the form list
      const form = doc.kind === 'form' ? await modelerApi.form((JSON.parse(file.content) as { id: string }).id) : null;
      if (form) ws.title.textContent = formTitle(form);
      ws.setStatus(
        form
          ? `部署成功：表单 ${form.formId} 版本 ${form.version}`
          : res.definitions.length
            ? `部署成功：${res.definitions.map((d) => `${KIND_LABEL[d.kind]} ${d.key} 版本 ${d.version}`).join('；')}`
            : '内容没有变化，未生成新版本',
        'ok',
      );
      ws.comment.value = '';
      ws.emit('deployed', undefined);
    } catch (err) {
      const impacts = impactsOf(err);
      const problems = problemsOf(err);
      if (impacts) showImpacts(ws, impacts, '确认部署', () => deploy(true));
      else if (problems) {
        ws.showProblems(problems);
        ws.setStatus(`部署被拒绝：${err instanceof Error ? err.message : ''}`, 'error');
      } else ws.handleError(err);
    } finally {
      deployButton.disabled = false;
    }
  }

  ws.on('opened', () => (checkButton.disabled = deployButton.disabled = true));
  ws.on('imported', () => (checkButton.disabled = deployButton.disabled = false));
  return { checkButton, deployButton };
}
