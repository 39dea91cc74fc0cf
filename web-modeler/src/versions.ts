/**
 * 版本历史 and 版本对比: the versions of the open definition with who deployed them and why; comparing two of them
 * (on a diagram the later version is shown with its added and changed elements coloured); 回滚 to an older one.
 */
import { h } from '../../web-shared/src/dom';
import { formatTime } from '../../web-shared/src/time';
import { modelerApi } from './api';
import { renderDiff } from './compare';
import type { Documents } from './documents';
import { deployedBy, KIND_LABEL, type Version } from './model';
import { impactsOf, problemsOf, showImpacts } from './impacts';
import type { Workspace } from './workspace';

export interface Versions {
  list: HTMLElement;
  compareButton: HTMLButtonElement;
  /** The open definition's versions, newest first; empty until loaded or when a form or local file is open. */
  current(): Version[];
  /** Whether the versions loaded are the open definition's (comparing, the live view and migrating need them). */
  ready(): boolean;
  load(): Promise<void>;
  /** Called whenever `ready()` may have changed. */
  onReady(listener: (ready: boolean) => void): void;
}

export function createVersions(ws: Workspace, documents: Documents): Versions {
  const list = h('ol', { class: 'versions' }, h('li', {}, '打开一个已部署的定义后显示其版本'));
  const compareButton = h('button', { type: 'button', disabled: true, onclick: () => void showCompare() }, '版本对比');
  let versions: Version[] = [];
  const readyListeners: ((ready: boolean) => void)[] = [];

  const ready = () => {
    const def = ws.doc?.def;
    return Boolean(def) && versions[0]?.key === def?.key && versions[0]?.kind === def?.kind;
  };
  const announce = () => {
    compareButton.disabled = !ready();
    for (const listener of readyListeners) listener(ready());
  };

  async function load() {
    const def = ws.doc?.def;
    if (!def) return;
    versions = (await modelerApi.versions(def.kind, def.key)).items.map((v) => ({ ...v, kind: def.kind }));
    announce();
    const latest = versions[0]?.version;
    list.replaceChildren(
      ...versions.map((v) =>
        h(
          'li',
          { 'data-version': v.version },
          h(
            'div',
            { class: 'v-head' },
            h('span', {}, `版本 ${v.version}${v.version === latest ? '（最新）' : ''}`),
            v.running !== null ? h('span', { class: 'v-meta' }, `运行中 ${v.running} 件`) : null,
          ),
          h('div', { class: 'v-meta' }, `${v.deploymentTime ? formatTime(v.deploymentTime) : ''} · ${deployedBy(v)}`),
          h('div', {}, v.comment || '（无说明）'),
          h(
            'div',
            { class: 'v-actions' },
            h('button', { type: 'button', onclick: () => void documents.openDefinition(v) }, '打开'),
            v.version !== latest && h('button', { type: 'button', onclick: () => void showCompare(v.version, latest) }, '与最新对比'),
            v.version !== latest && h('button', { type: 'button', class: 'rollback', onclick: () => confirmRollback(v) }, '回滚到此版本'),
          ),
        ),
      ),
    );
  }

  /** The diagram shows the later version, so its added and changed elements can be coloured. */
  async function showCompare(from?: number, to?: number): Promise<void> {
    const def = ws.doc?.def;
    if (!def) return;
    const { kind, key, version } = def;
    const options = (selected: number) => versions.map((v) => h('option', { value: v.version, selected: v.version === selected }, `版本 ${v.version}`));
    const older = versions.find((v) => v.version < version)?.version ?? version;
    const fromSelect = h('select', { name: 'from' }, options(from ?? older));
    const toSelect = h('select', { name: 'to' }, options(to ?? version));
    const result = h('div', { class: 'diff-result' });
    const run = async (): Promise<void> => {
      try {
        const a = Number(fromSelect.value);
        const b = Number(toSelect.value);
        const diff = await modelerApi.diff(kind, key, a, b);
        const later = versions.find((v) => v.version === b);
        if (kind === 'process' && version !== b && later) {
          const { xml } = await modelerApi.xml(kind, later.id);
          await documents.open(kind, xml, ws.doc?.fileName ?? later.resource, `${KIND_LABEL[kind]}：${def.name ?? key}（${key} · 版本 ${b}）`, later);
          announce();
          return showCompare(a, b);
        }
        ws.doc?.editor.markDiff(diff);
        result.replaceChildren(...renderDiff(diff, (id) => ws.doc?.editor.reveal(id)));
        ws.setStatus(`已对比版本 ${a} 与版本 ${b}`, 'info');
      } catch (err) {
        ws.handleError(err);
      }
    };
    ws.openPanel(
      '版本对比',
      h(
        'div',
        { class: 'confirm-bar' },
        '从',
        fromSelect,
        '到',
        toSelect,
        h('button', { type: 'button', class: 'primary', onclick: () => void run() }, '对比'),
      ),
      result,
    );
    return run();
  }

  function confirmRollback(v: Version) {
    const text = ws.comment.value.trim() || `回滚到版本 ${v.version}`;
    const rollback = async (confirm: boolean): Promise<void> => {
      try {
        const res = await modelerApi.redeploy(v.kind, v.id, text, confirm);
        ws.closePanel();
        ws.setStatus(
          res.definitions.length
            ? `已回滚：版本 ${v.version} 的内容已部署为 ${res.definitions.map((d) => `${d.key} 版本 ${d.version}`).join('；')}`
            : '内容没有变化，未生成新版本',
          'ok',
        );
        ws.comment.value = '';
        ws.emit('deployed', undefined);
        const latest = (await modelerApi.versions(v.kind, v.key)).items[0];
        if (latest) await documents.openDefinition({ ...latest, kind: v.kind });
      } catch (err) {
        const impacts = impactsOf(err);
        if (impacts) return showImpacts(ws, impacts, '确认回滚', () => rollback(true));
        const problems = problemsOf(err);
        if (problems) ws.showProblems(problems);
        ws.handleError(err);
      }
    };
    ws.openPanel(
      `回滚到版本 ${v.version}`,
      ws.confirmBar(`将把版本 ${v.version} 的内容重新部署为最新版本（部署说明：${text}）。新工单将按此版本办理，运行中的工单不受影响。`, '确认回滚', () =>
        rollback(false),
      ),
    );
  }

  ws.on('opened', (doc) => {
    if (doc.kind === 'form') {
      versions = [];
      list.replaceChildren(h('li', {}, '表单的历次部署见下方“部署历史”'));
    }
    announce();
  });
  ws.on('definition.opened', () => void load().catch((err: unknown) => ws.handleError(err)));
  ws.on('deployed', () => void load().catch((err: unknown) => ws.handleError(err)));
  return { list, compareButton, current: () => versions, ready, load, onReady: (listener) => void readyListeners.push(listener) };
}
