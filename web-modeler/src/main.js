/**
 * The process admins' modeler: log in (admins only), pick a deployed process or decision, edit it,
 * check it against the server's rules and deploy it with a comment. Every screen speaks Chinese.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import './styles.css';
import { api, ApiError, session } from './api.js';
import { createBpmnEditor } from './bpmn-editor.js';
import { createDmnEditor } from './dmn-editor.js';
import { beijingTime, h } from './dom.js';

const KIND_LABEL = { process: '流程', decision: '决策' };
const EXT = { process: '.bpmn', decision: '.dmn' };
const EDITORS = { process: createBpmnEditor, decision: createDmnEditor };
const root = document.getElementById('app');

function deployedBy(d) {
  if (d.deployedBy) return d.deployedBy;
  return d.source === 'hotline-start' ? '系统启动（bpmn/ 目录）' : (d.source ?? '—');
}

function showLogin(message) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, placeholder: '用户名' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true, placeholder: '密码' });
  const error = h('p', { class: 'form-error', role: 'alert' }, message ?? '');
  const submit = h('button', { type: 'submit', class: 'primary' }, '登录');
  const form = h(
    'form',
    {
      class: 'login',
      async onsubmit(e) {
        e.preventDefault();
        submit.disabled = true;
        error.textContent = '';
        try {
          const res = await api.login(username.value.trim(), password.value);
          if (!res.user.roles.includes('admin')) {
            error.textContent = '只有系统管理员可以使用流程建模器，请使用管理员账号登录。';
            return;
          }
          session.token = res.token;
          await showWorkspace(res.user);
        } catch (err) {
          error.textContent = err.message;
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', {}, '流程建模'),
    h('p', { class: 'hint' }, '平顶山市12345市长热线 · 流程与决策表管理（仅限管理员）'),
    h('label', {}, '用户名', username),
    h('label', {}, '密码', password),
    submit,
    error,
  );
  root.replaceChildren(h('div', { class: 'login-page' }, form));
  username.focus();
}

async function showWorkspace(user) {
  const definitionsEl = h('div', { class: 'definitions' }, '正在加载…');
  const historyEl = h('ol', { class: 'history' });
  const titleEl = h('div', { class: 'doc-title' }, '请从左侧选择要编辑的流程或决策表');
  const statusEl = h('div', { class: 'status', role: 'status' });
  const problemsEl = h('ul', { class: 'problems' });
  const editorHost = h('div', { class: 'editor-host empty' }, h('p', {}, '尚未打开任何流程或决策表'));
  const comment = h('input', { class: 'comment', placeholder: '部署说明（必填），如：B类时限改为3个工作日', maxlength: 200 });
  const checkBtn = h('button', { type: 'button', disabled: true, onclick: () => check() }, '服务器校验');
  const deployBtn = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => deploy() }, '部署');
  const fileInput = h('input', { type: 'file', accept: '.bpmn,.dmn', class: 'visually-hidden', onchange: () => openLocal(fileInput.files[0]) });

  /** The open document: which editor, and the file name it deploys under. */
  let doc = null;

  root.replaceChildren(
    h(
      'div',
      { class: 'shell' },
      h(
        'header',
        { class: 'topbar' },
        h('strong', {}, '平顶山市12345 · 流程建模'),
        h('span', { class: 'spacer' }),
        h('span', {}, `${user.displayName}（${user.username}）`),
        h('button', { type: 'button', class: 'link', onclick: logout }, '退出登录'),
      ),
      h(
        'div',
        { class: 'layout' },
        h(
          'aside',
          { class: 'sidebar' },
          h('h2', {}, '已部署的定义'),
          definitionsEl,
          h('h2', {}, '打开本地文件'),
          h('label', { class: 'file-button' }, '选择 .bpmn 或 .dmn 文件…', fileInput),
          h('h2', {}, '部署历史'),
          historyEl,
        ),
        h(
          'main',
          { class: 'workspace' },
          h('div', { class: 'toolbar' }, titleEl, h('span', { class: 'spacer' }), checkBtn, comment, deployBtn),
          editorHost,
          h('section', { class: 'problems-panel' }, statusEl, problemsEl),
        ),
      ),
    ),
  );

  function setStatus(text, tone = 'info') {
    statusEl.className = `status ${tone}`;
    statusEl.textContent = text;
  }

  function showProblems(problems) {
    problemsEl.replaceChildren(
      ...problems.map((p) =>
        h(
          'li',
          { onclick: () => p.elementId && doc?.editor.reveal(p.elementId), title: p.elementId ? '点击在图中定位' : '' },
          h('span', { class: 'p-file' }, p.file),
          h('code', { class: 'p-element' }, p.elementId ?? '（整个文件）'),
          h('span', { class: 'p-message' }, p.message),
        ),
      ),
    );
    doc?.editor.showProblems(problems);
  }

  async function loadLists() {
    try {
      const [defs, history] = await Promise.all([api.definitions(), api.deployments()]);
      definitionsEl.replaceChildren(
        ...['process', 'decision'].map((kind) =>
          h(
            'div',
            { class: 'group' },
            h('h3', {}, KIND_LABEL[kind]),
            h(
              'ul',
              {},
              defs.items
                .filter((d) => d.kind === kind)
                .map((d) =>
                  h(
                    'li',
                    {},
                    h(
                      'button',
                      { type: 'button', class: 'def', 'data-key': d.key, onclick: () => openDefinition(d) },
                      h('span', { class: 'def-name' }, d.name ?? d.key),
                      h('span', { class: 'def-meta' }, `${d.key} · 版本 ${d.version}`),
                    ),
                  ),
                ),
            ),
          ),
        ),
      );
      historyEl.replaceChildren(
        ...history.items.map((d) =>
          h(
            'li',
            {},
            h('div', { class: 'h-head' }, h('span', {}, beijingTime(d.deploymentTime)), h('span', { class: 'h-by' }, deployedBy(d))),
            h('div', { class: 'h-comment' }, d.comment || '（无说明）'),
            h('div', { class: 'h-files' }, d.resources.join('、') || '（无资源）'),
          ),
        ),
      );
    } catch (err) {
      handleError(err);
    }
  }

  async function openEditor(kind, xml, fileName, title) {
    doc?.editor.destroy();
    doc = null;
    editorHost.classList.remove('empty');
    const editor = EDITORS[kind](editorHost);
    doc = { kind, fileName, editor };
    showProblems([]);
    try {
      const warnings = await editor.importXml(xml);
      titleEl.textContent = title;
      setStatus(warnings.length ? `已打开，但有 ${warnings.length} 处无法识别的内容` : `已打开 ${fileName}`, warnings.length ? 'warn' : 'info');
      checkBtn.disabled = false;
      deployBtn.disabled = false;
    } catch (err) {
      setStatus(`无法打开 ${fileName}：${err.message}`, 'error');
    }
  }

  async function openDefinition(d) {
    try {
      setStatus(`正在加载 ${d.name ?? d.key}…`);
      const { xml } = await api.xml(d.kind, d.id);
      await openEditor(d.kind, xml, d.resource, `${KIND_LABEL[d.kind]}：${d.name ?? d.key}（${d.key} · 版本 ${d.version}）`);
    } catch (err) {
      handleError(err);
    }
  }

  async function openLocal(file) {
    if (!file) return;
    const kind = file.name.endsWith('.bpmn') ? 'process' : file.name.endsWith('.dmn') ? 'decision' : null;
    if (!kind) return setStatus('只能打开 .bpmn 或 .dmn 文件', 'error');
    await openEditor(kind, await file.text(), file.name, `本地文件：${file.name}`);
  }

  async function currentFile() {
    const name = doc.fileName.endsWith(EXT[doc.kind]) ? doc.fileName : `${doc.fileName}${EXT[doc.kind]}`;
    return { name, content: await doc.editor.saveXml() };
  }

  async function check() {
    try {
      const { problems } = await api.lint([await currentFile()]);
      showProblems(problems);
      setStatus(problems.length ? `服务器校验发现 ${problems.length} 个问题` : '服务器校验通过，可以部署', problems.length ? 'error' : 'ok');
    } catch (err) {
      handleError(err);
    }
  }

  async function deploy() {
    if (!comment.value.trim()) return setStatus('请填写部署说明', 'error');
    const errors = doc.editor.clientErrors();
    if (errors > 0) return setStatus(`图中还有 ${errors} 个错误（见图上的标记），请先修正再部署`, 'error');
    deployBtn.disabled = true;
    try {
      const res = await api.deploy([await currentFile()], comment.value.trim());
      showProblems([]);
      setStatus(
        res.definitions.length
          ? `部署成功：${res.definitions.map((d) => `${KIND_LABEL[d.kind]} ${d.key} 版本 ${d.version}`).join('；')}`
          : '内容没有变化，未生成新版本',
        'ok',
      );
      comment.value = '';
      await loadLists();
    } catch (err) {
      if (err instanceof ApiError && err.body?.problems) {
        showProblems(err.body.problems);
        setStatus(`部署被拒绝：${err.message}`, 'error');
      } else handleError(err);
    } finally {
      deployBtn.disabled = false;
    }
  }

  function handleError(err) {
    if (err instanceof ApiError && err.status === 401) return logout('登录已过期，请重新登录');
    setStatus(err.message, 'error');
  }

  function logout(message) {
    doc?.editor.destroy();
    session.token = null;
    showLogin(typeof message === 'string' ? message : undefined);
  }

  await loadLists();
}

async function start() {
  document.documentElement.lang = 'zh-CN';
  if (!session.token) return showLogin();
  try {
    const me = await api.me();
    if (!me.roles.includes('admin')) return showLogin('只有系统管理员可以使用流程建模器，请使用管理员账号登录。');
    await showWorkspace(me);
  } catch {
    session.token = null;
    showLogin();
  }
}

start();
