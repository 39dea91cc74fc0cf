/** 运行监控: running work orders, incidents and overdue ones per activity on the diagram, summed over all versions of the key. */
import { h } from '../../web-shared/src/dom';
import { modelerApi } from './api';
import type { Versions } from './versions';
import type { Workspace } from './workspace';

export function createLiveView(ws: Workspace, versions: Versions): HTMLButtonElement {
  let on = false;
  const button = h('button', { type: 'button', class: 'toggle', disabled: true, 'aria-pressed': 'false', onclick: () => void toggle() }, '运行监控');

  function set(value: boolean) {
    on = value;
    button.classList.toggle('active', on);
    button.setAttribute('aria-pressed', String(on));
    if (!on) ws.doc?.editor.clearLive();
  }

  async function toggle() {
    if (on) return set(false);
    const def = ws.doc?.def;
    if (!def) return;
    try {
      const { activities } = await modelerApi.live(def.key);
      set(true);
      ws.doc?.editor.showLive(activities);
      const overdue = Object.values(activities).reduce((n, a) => n + a.overdue, 0);
      ws.setStatus(`运行监控：数字为各环节运行中的工单（所有版本合计），红色越深超期越多${overdue ? '' : '（当前没有超期工单）'}`, 'info');
    } catch (err) {
      ws.handleError(err);
    }
  }

  ws.on('opened', () => set(false));
  versions.onReady((ready) => (button.disabled = !ready || ws.doc?.kind !== 'process'));
  return button;
}
