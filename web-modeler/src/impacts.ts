/** What a deployment would do to running work orders, and the question whether to deploy anyway. */
import { ApiError } from '../../web-shared/src/api';
import { h } from '../../web-shared/src/dom';
import type { Impact, Problem } from './model';
import type { Workspace } from './workspace';

export function showImpacts(ws: Workspace, impacts: Impact[], label: string, action: () => Promise<unknown>): void {
  ws.openPanel(
    '部署会影响运行中的工单',
    h(
      'ul',
      { class: 'problems impacts' },
      impacts.map((i) =>
        h(
          'li',
          { onclick: () => i.elementId && ws.doc?.editor.reveal(i.elementId) },
          h('code', { class: 'p-element' }, i.elementId ?? i.processKey),
          h('span', { class: 'p-message' }, i.message),
        ),
      ),
    ),
    ws.confirmBar('运行中的工单仍留在原版本上办理。确认仍要部署吗？', label, action),
  );
  ws.setStatus(`此次部署会影响 ${impacts.length} 处运行中的工单，请确认`, 'warn');
}

/** A refusal's problems (a deployment check) or impacts (running work orders, 409), when it has them. */
export const problemsOf = (err: unknown) => (err instanceof ApiError ? (err.body as { problems?: Problem[] } | undefined)?.problems : undefined);
export const impactsOf = (err: unknown) =>
  err instanceof ApiError && err.status === 409 ? (err.body as { impacts?: Impact[] } | undefined)?.impacts : undefined;
