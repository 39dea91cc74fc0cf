/**
 * The process admins' modeler: log in (admins only), pick a deployed process or decision, edit it,
 * check it against the server's rules and deploy it with a comment; compare and roll back versions,
 * migrate running work orders between versions and watch them live on the diagram; edit the task forms and
 * preview them. Every screen speaks Chinese.
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
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js/dist/assets/properties-panel.css';
import '@bpmn-io/form-js/dist/assets/flatpickr/light.css';
import './styles.css';
import { api, ApiError, session } from './api.js';
import { createBpmnEditor } from './bpmn-editor.js';
import { createDmnEditor } from './dmn-editor.js';
import { createFormEditor } from './form-editor.js';
import { renderDiff } from './compare.js';
import { beijingTime, h } from './dom.js';

const KIND_LABEL = { process: '流程', decision: '决策', form: '表单' };
const EXT = { process: '.bpmn', decision: '.dmn', form: '.form' };
const EDITORS = { process: createBpmnEditor, decision: createDmnEditor, form: createFormEditor };
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
  const formsEl = h('ul', { class: 'forms' }, h('li', {}, '正在加载…'));
  const historyEl = h('ol', { class: 'history' });
  const versionsEl = h('ol', { class: 'versions' }, h('li', {}, '打开一个已部署的定义后显示其版本'));
  const sidePanel = h('section', { class: 'side-panel', hidden: true });
  const titleEl = h('div', { class: 'doc-title' }, '请从左侧选择要编辑的流程或决策表');
  const statusEl = h('div', { class: 'status', role: 'status' });
  const problemsEl = h('ul', { class: 'problems' });
  const editorHost = h('div', { class: 'editor-host empty' }, h('p', {}, '尚未打开任何流程或决策表'));
  const comment = h('input', { class: 'comment', placeholder: '部署说明（必填），如：B类时限改为3个工作日', maxlength: 200 });
  const checkBtn = h('button', { type: 'button', disabled: true, onclick: () => check() }, '服务器校验');
  const deployBtn = h('button', { type: 'button', class: 'primary', disabled: true, onclick: () => deploy() }, '部署');
  const compareBtn = h('button', { type: 'button', disabled: true, onclick: () => showCompare() }, '版本对比');
  const liveBtn = h('button', { type: 'button', class: 'toggle', disabled: true, 'aria-pressed': 'false', onclick: () => toggleLive() }, '运行监控');
  const migrateBtn = h('button', { type: 'button', disabled: true, onclick: () => showMigration() }, '迁移运行中工单');
  const previewBtn = h('button', { type: 'button', class: 'toggle', disabled: true, 'aria-pressed': 'false', onclick: () => togglePreview() }, '预览');
  const fileInput = h('input', { type: 'file', accept: '.bpmn,.dmn,.form', class: 'visually-hidden', onchange: () => openLocal(fileInput.files[0]) });

  /** The open document: which editor, the file name it deploys under, and the deployed definition it shows (if any). */
  let doc = null;
  /** The versions of the open definition, newest first. */
  let versions = [];
  let liveOn = false;

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
          h('h2', {}, '表单'),
          formsEl,
          h('h2', {}, '版本历史'),
          versionsEl,
          h('h2', {}, '打开本地文件'),
          h('label', { class: 'file-button' }, '选择 .bpmn、.dmn 或 .form 文件…', fileInput),
          h('h2', {}, '部署历史'),
          historyEl,
        ),
        h(
          'main',
          { class: 'workspace' },
          h('div', { class: 'toolbar' }, titleEl, h('span', { class: 'spacer' }), compareBtn, liveBtn, migrateBtn, previewBtn, checkBtn, comment, deployBtn),
          editorHost,
          sidePanel,
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
      const [defs, forms, history] = await Promise.all([api.definitions(), api.forms(), api.deployments()]);
      formsEl.replaceChildren(...forms.items.map((f) => h('li', {}, formButton(f))));
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

  /** A form in the sidebar: its id and the user tasks that link it (分类交办 …). */
  function formButton(f) {
    const tasks = f.usedBy.map((u) => u.name ?? u.taskId).join('、');
    return h(
      'button',
      { type: 'button', class: 'def', 'data-form-id': f.formId, onclick: () => openForm(f) },
      h('span', { class: 'def-name' }, tasks || '（没有任务使用）'),
      h('span', { class: 'def-meta' }, `${f.formId} · 版本 ${f.version}`),
    );
  }

  function formTitle(form) {
    const tasks = form.usedBy.map((u) => `${u.name ?? u.taskId}（${u.processKey}）`).join('、') || '没有任务使用';
    return `表单：${form.formId}（版本 ${form.version} · 用于 ${tasks}）`;
  }

  async function openForm(f) {
    try {
      setStatus(`正在加载表单 ${f.formId}…`);
      const form = await api.form(f.formId);
      await openEditor('form', JSON.stringify(form.schema), form.resourceName, formTitle(form));
      versions = [];
      versionsEl.replaceChildren(h('li', {}, '表单的历次部署见下方“部署历史”'));
    } catch (err) {
      handleError(err);
    }
  }

  async function togglePreview() {
    const on = previewBtn.getAttribute('aria-pressed') !== 'true';
    try {
      await doc.editor.setPreview(on);
      setPreview(on);
      if (on) setStatus('预览：按示例工单数据显示表单，填写内容不会保存', 'info');
    } catch (err) {
      setStatus(`无法预览：${err.message}`, 'error');
    }
  }

  function setPreview(on) {
    previewBtn.classList.toggle('active', on);
    previewBtn.setAttribute('aria-pressed', String(on));
  }

  async function openEditor(kind, xml, fileName, title, def = null) {
    doc?.editor.destroy();
    doc = null;
    setLive(false);
    setPreview(false);
    previewBtn.disabled = kind !== 'form';
    closePanel();
    editorHost.classList.remove('empty');
    const editor = EDITORS[kind](editorHost);
    doc = { kind, fileName, editor, def };
    enableVersionTools();
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
      await openEditor(d.kind, xml, d.resource, `${KIND_LABEL[d.kind]}：${d.name ?? d.key}（${d.key} · 版本 ${d.version}）`, d);
      await loadVersions(d.kind, d.key);
    } catch (err) {
      handleError(err);
    }
  }

  /** Comparing, the live view and migration need the open definition's versions loaded. */
  function enableVersionTools() {
    const ready = Boolean(doc?.def) && versions[0]?.key === doc.def.key && versions[0]?.kind === doc.def.kind;
    compareBtn.disabled = !ready;
    liveBtn.disabled = !ready || doc.kind !== 'process';
    migrateBtn.disabled = !ready || doc.kind !== 'process';
  }

  async function loadVersions(kind, key) {
    versions = (await api.versions(kind, key)).items.map((v) => ({ ...v, kind }));
    enableVersionTools();
    const latest = versions[0]?.version;
    versionsEl.replaceChildren(
      ...versions.map((v) =>
        h(
          'li',
          { 'data-version': v.version },
          h('div', { class: 'v-head' }, h('span', {}, `版本 ${v.version}${v.version === latest ? '（最新）' : ''}`), v.running !== null ? h('span', { class: 'v-meta' }, `运行中 ${v.running} 件`) : null),
          h('div', { class: 'v-meta' }, `${v.deploymentTime ? beijingTime(v.deploymentTime) : ''} · ${deployedBy(v)}`),
          h('div', {}, v.comment || '（无说明）'),
          h(
            'div',
            { class: 'v-actions' },
            h('button', { type: 'button', onclick: () => openDefinition(v) }, '打开'),
            v.version !== latest ? h('button', { type: 'button', onclick: () => showCompare(v.version, latest) }, '与最新对比') : null,
            v.version !== latest ? h('button', { type: 'button', class: 'rollback', onclick: () => confirmRollback(v) }, '回滚到此版本') : null,
          ),
        ),
      ),
    );
  }

  function closePanel() {
    doc?.editor.clearDiff();
    sidePanel.hidden = true;
    sidePanel.replaceChildren();
  }

  function openPanel(title, ...content) {
    sidePanel.hidden = false;
    sidePanel.replaceChildren(h('h3', {}, title, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: closePanel }, '关闭')), ...content);
  }

  /** A question in the side panel with one button that does it. */
  function confirmBar(question, label, action) {
    const btn = h('button', { type: 'button', class: 'primary', onclick: async () => ((btn.disabled = true), await action()) }, label);
    return h('div', { class: 'confirm-bar' }, h('span', {}, question), btn, h('button', { type: 'button', onclick: closePanel }, '取消'));
  }

  /** 版本对比: two versions side by side in a list; on a diagram the added and changed elements are coloured. */
  function showCompare(from, to) {
    const { kind, key, version } = doc.def;
    const options = (selected) => versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, `版本 ${v.version}`));
    const older = versions.find((v) => v.version < version)?.version ?? version;
    const fromSel = h('select', { name: 'from' }, ...options(from ?? older));
    const toSel = h('select', { name: 'to' }, ...options(to ?? version));
    const result = h('div', { class: 'diff-result' });
    const run = async () => {
      try {
        const a = Number(fromSel.value);
        const b = Number(toSel.value);
        const diff = await api.diff(kind, key, a, b);
        // the diagram shows the later version, so its added and changed elements can be coloured
        if (kind === 'process' && doc.def.version !== b) {
          await openEditor(kind, (await api.xml(kind, versions.find((v) => v.version === b).id)).xml, doc.fileName, `${KIND_LABEL[kind]}：${doc.def.name ?? key}（${key} · 版本 ${b}）`, versions.find((v) => v.version === b));
          return showCompare(a, b);
        }
        doc.editor.markDiff(diff);
        result.replaceChildren(...renderDiff(diff, (id) => doc.editor.reveal(id)));
        setStatus(`已对比版本 ${a} 与版本 ${b}`, 'info');
      } catch (err) {
        handleError(err);
      }
    };
    openPanel('版本对比', h('div', { class: 'confirm-bar' }, '从', fromSel, '到', toSel, h('button', { type: 'button', class: 'primary', onclick: run }, '对比')), result);
    return run();
  }

  function showImpacts(impacts, label, action) {
    openPanel(
      '部署会影响运行中的工单',
      h('ul', { class: 'problems impacts' }, ...impacts.map((i) => h('li', { onclick: () => i.elementId && doc?.editor.reveal(i.elementId) }, h('code', { class: 'p-element' }, i.elementId ?? i.processKey), h('span', { class: 'p-message' }, i.message)))),
      confirmBar('运行中的工单仍留在原版本上办理。确认仍要部署吗？', label, action),
    );
    setStatus(`此次部署会影响 ${impacts.length} 处运行中的工单，请确认`, 'warn');
  }

  function confirmRollback(v) {
    const text = comment.value.trim() || `回滚到版本 ${v.version}`;
    const rollback = async (confirm) => {
      try {
        const res = await api.redeploy(v.kind, v.id, text, confirm);
        closePanel();
        setStatus(res.definitions.length ? `已回滚：版本 ${v.version} 的内容已部署为 ${res.definitions.map((d) => `${d.key} 版本 ${d.version}`).join('；')}` : '内容没有变化，未生成新版本', 'ok');
        comment.value = '';
        await loadLists();
        const latest = (await api.versions(v.kind, v.key)).items[0];
        await openDefinition({ ...latest, kind: v.kind });
      } catch (err) {
        if (err instanceof ApiError && err.status === 409 && err.body?.impacts) return showImpacts(err.body.impacts, '确认回滚', () => rollback(true));
        if (err instanceof ApiError && err.body?.problems) showProblems(err.body.problems);
        handleError(err);
      }
    };
    openPanel(`回滚到版本 ${v.version}`, confirmBar(`将把版本 ${v.version} 的内容重新部署为最新版本（部署说明：${text}）。新工单将按此版本办理，运行中的工单不受影响。`, '确认回滚', () => rollback(false)));
  }

  /** 迁移运行中工单: the running work orders per version, and moving those of an older version to the newest. */
  async function showMigration() {
    const { key } = doc.def;
    try {
      const { versions: counts } = await api.instances(key);
      const latest = counts[0];
      const older = counts.filter((c) => c.version !== latest.version && c.running > 0);
      const list = h(
        'ul',
        { class: 'diff-list migrations' },
        ...counts.map((c) =>
          h(
            'li',
            { 'data-version': c.version },
            `版本 ${c.version}${c.version === latest.version ? '（最新）' : ''}：运行中 ${c.running} 件 `,
            c.version !== latest.version && c.running > 0
              ? h('button', { type: 'button', onclick: () => sidePanel.append(confirmBar(`将把版本 ${c.version} 上的 ${c.running} 件运行中工单迁移到版本 ${latest.version}（定时器按新版本重新计算），确认吗？`, '确认迁移', () => migrate(c.version, latest.version))) }, `迁移到版本 ${latest.version}`)
              : null,
          ),
        ),
      );
      openPanel('迁移运行中工单', h('p', {}, older.length ? '运行中的工单默认留在其启动时的版本上。' : '没有需要迁移的工单：所有运行中的工单都在最新版本上。'), list);
    } catch (err) {
      handleError(err);
    }
  }

  async function migrate(fromVersion, toVersion) {
    try {
      const res = await api.migrate(doc.def.key, fromVersion, toVersion);
      await showMigration();
      setStatus(`已将 ${res.migrated} 件工单从版本 ${fromVersion} 迁移到版本 ${toVersion}`, 'ok');
      await loadVersions(doc.def.kind, doc.def.key);
    } catch (err) {
      if (err instanceof ApiError && err.body?.problems) {
        openPanel('迁移被拒绝', h('p', {}, err.message), h('ul', { class: 'problems' }, ...err.body.problems.map((p) => h('li', {}, h('code', { class: 'p-element' }, p.activityId ?? '（整个流程）'), h('span', {}, p.name ?? ''), h('span', { class: 'p-message' }, p.messages.join('；'))))));
        setStatus('迁移被拒绝，工单仍在原版本上', 'error');
      } else handleError(err);
    }
  }

  function setLive(on) {
    liveOn = on;
    liveBtn.classList.toggle('active', on);
    liveBtn.setAttribute('aria-pressed', String(on));
    if (!on) doc?.editor.clearLive();
  }

  /** 运行监控: tokens, incidents and overdue work orders on the diagram, summed over all versions of the key. */
  async function toggleLive() {
    if (liveOn) return setLive(false);
    try {
      const { activities } = await api.live(doc.def.key);
      setLive(true);
      doc.editor.showLive(activities);
      const total = Object.entries(activities).reduce((n, [, a]) => n + a.overdue, 0);
      setStatus(`运行监控：数字为各环节运行中的工单（所有版本合计），红色越深超期越多${total ? '' : '（当前没有超期工单）'}`, 'info');
    } catch (err) {
      handleError(err);
    }
  }

  async function openLocal(file) {
    if (!file) return;
    const kind = Object.keys(EXT).find((k) => file.name.endsWith(EXT[k]));
    if (!kind) return setStatus('只能打开 .bpmn、.dmn 或 .form 文件', 'error');
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

  async function deploy(confirm = false) {
    if (!comment.value.trim()) return setStatus('请填写部署说明', 'error');
    const errors = doc.editor.clientErrors();
    if (errors > 0) return setStatus(doc.editor.clientErrorMessage?.() ?? `图中还有 ${errors} 个错误（见图上的标记），请先修正再部署`, 'error');
    deployBtn.disabled = true;
    try {
      const file = await currentFile();
      const res = await api.deploy([file], comment.value.trim(), confirm);
      showProblems([]);
      closePanel();
      // the engine reports no definitions for a form: its new version is read from the form list
      const form = doc.kind === 'form' ? await api.form(JSON.parse(file.content).id) : null;
      if (form) titleEl.textContent = formTitle(form);
      setStatus(
        form
          ? `部署成功：表单 ${form.formId} 版本 ${form.version}`
          : res.definitions.length
            ? `部署成功：${res.definitions.map((d) => `${KIND_LABEL[d.kind]} ${d.key} 版本 ${d.version}`).join('；')}`
            : '内容没有变化，未生成新版本',
        'ok',
      );
      comment.value = '';
      await loadLists();
      if (doc.def) await loadVersions(doc.def.kind, doc.def.key);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.body?.impacts) showImpacts(err.body.impacts, '确认部署', () => deploy(true));
      else if (err instanceof ApiError && err.body?.problems) {
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
