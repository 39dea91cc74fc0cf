/** The workbench's small widgets, built with the shared element builder. */
import { h } from '../../web-shared/src/dom';

/** 上一页 · 第 x / y 页，<summary> · 下一页 under a list; `go(page)` opens another page. */
export function pager(page: number, pages: number, summary: string, go: (page: number) => void): HTMLElement {
  return h(
    'div',
    { class: 'pager' },
    h('button', { type: 'button', class: 'btn btn-ghost', disabled: page <= 1, onclick: () => go(page - 1) }, '上一页'),
    h('span', {}, `第 ${page} / ${pages} 页，${summary}`),
    h('button', { type: 'button', class: 'btn btn-ghost', disabled: page >= pages, onclick: () => go(page + 1) }, '下一页'),
  );
}

/** A short notice at the top of the screen that goes away by itself. */
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const el = h('div', { class: `toast toast-${kind}`, role: 'status' }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
