/** The sidebar's lists: the deployed processes and decisions, and the deployment history; reloaded after a deployment. */
import { h } from '../../web-shared/src/dom';
import { formatTime } from '../../web-shared/src/time';
import { modelerApi } from './api';
import type { Documents } from './documents';
import { deployedBy, KIND_LABEL, type Definition, type DefinitionKind } from './model';
import type { Workspace } from './workspace';

export interface Lists {
  definitions: HTMLElement;
  history: HTMLElement;
  reload(): Promise<void>;
}

export function createLists(ws: Workspace, documents: Documents): Lists {
  const definitions = h('div', { class: 'definitions' }, '正在加载…');
  const history = h('ol', { class: 'history' });

  const entry = (d: Definition) =>
    h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'def', 'data-key': d.key, onclick: () => void documents.openDefinition(d) },
        h('span', { class: 'def-name' }, d.name ?? d.key),
        h('span', { class: 'def-meta' }, `${d.key} · 版本 ${d.version}`),
      ),
    );

  async function reload() {
    try {
      const [defs, deployments] = await Promise.all([modelerApi.definitions(), modelerApi.deployments()]);
      const kinds: DefinitionKind[] = ['process', 'decision'];
      definitions.replaceChildren(
        ...kinds.map((kind) => h('div', { class: 'group' }, h('h3', {}, KIND_LABEL[kind]), h('ul', {}, defs.items.filter((d) => d.kind === kind).map(entry)))),
      );
      history.replaceChildren(
        ...deployments.items.map((d) =>
          h(
            'li',
            {},
            h('div', { class: 'h-head' }, h('span', {}, formatTime(d.deploymentTime)), h('span', { class: 'h-by' }, deployedBy(d))),
            h('div', { class: 'h-comment' }, d.comment || '（无说明）'),
            h('div', { class: 'h-files' }, d.resources.join('、') || '（无资源）'),
          ),
        ),
      );
    } catch (err) {
      ws.handleError(err);
    }
  }

  ws.on('deployed', () => void reload());
  return { definitions, history, reload };
}
