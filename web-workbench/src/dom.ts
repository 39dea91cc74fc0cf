/** A tiny element builder: h('div', { class: 'x', onclick }, child, 'text', [more]) — no framework. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** 上一页 · 第 x / y 页，<summary> · 下一页 under a list; `go(page)` opens another page. */
export function pager(page, pages, summary, go) {
  return h(
    'div',
    { class: 'pager' },
    h('button', { type: 'button', class: 'btn btn-ghost', disabled: page <= 1, onclick: () => go(page - 1) }, '上一页'),
    h('span', {}, `第 ${page} / ${pages} 页，${summary}`),
    h('button', { type: 'button', class: 'btn btn-ghost', disabled: page >= pages, onclick: () => go(page + 1) }, '下一页'),
  );
}

/** A short notice at the top of the screen that goes away by itself. */
export function toast(message, kind = 'ok') {
  const el = h('div', { class: `toast toast-${kind}`, role: 'status' }, message);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}
