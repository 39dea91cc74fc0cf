/**
 * 待办: the user's tasks, soonest deadline first, with a live countdown; filters by type, category and
 * deadline; claim, release and open each task.
 */
import { get, query } from '../api.js';
import { h, fill } from '../dom.js';
import { CATEGORY, STATUS, TASK, label } from '../labels.js';
import { hashOf } from '../router.js';
import { claimControl } from '../tasks-actions.js';
import { countdown, formatTime, toDate } from '../time.js';

const DUE_FILTERS = { '': '全部期限', soon: '即将到期（24小时内）', overdue: '已超期' };

/** Deadlines first (soonest on top), then tasks without a deadline, oldest first. */
function byDeadline(a, b) {
  const da = toDate(a.due)?.getTime() ?? Infinity;
  const db = toDate(b.due)?.getTime() ?? Infinity;
  return da - db || toDate(a.created) - toDate(b.created);
}

function matches(task, filters, now) {
  if (filters.category && task.category !== filters.category) return false;
  const c = countdown(task.due, now);
  if (filters.due === 'soon') return c.soon;
  if (filters.due === 'overdue') return c.overdue || task.overdue;
  return true;
}

function countdownCell(task) {
  const c = countdown(task.due);
  return h('span', { class: `countdown${c.overdue ? ' is-overdue' : c.soon ? ' is-soon' : ''}${c.none ? ' muted' : ''}`, dataset: { due: task.due ?? '' } }, c.text);
}

export async function tasksView({ main, query: q, user }) {
  const filters = { taskKey: q.taskKey ?? '', category: q.category ?? '', due: q.due ?? '' };
  const select = (name, options, all) =>
    h(
      'select',
      { id: `filter-${name}`, 'aria-label': all, onchange: (e) => (location.hash = hashOf('/tasks', { ...filters, [name]: e.target.value })) },
      h('option', { value: '' }, all),
      Object.entries(options).map(([value, text]) => h('option', { value, selected: filters[name] === value }, text)),
    );
  const dueSelect = h(
    'select',
    { id: 'filter-due', 'aria-label': '期限', onchange: (e) => (location.hash = hashOf('/tasks', { ...filters, due: e.target.value })) },
    Object.entries(DUE_FILTERS).map(([value, text]) => h('option', { value, selected: filters.due === value }, text)),
  );
  const summary = h('span', { class: 'muted' });
  const body = h('div', { class: 'panel table-panel' }, h('p', { class: 'muted' }, '正在加载待办…'));

  async function load() {
    let items;
    try {
      ({ items } = await get(`/api/tasks${query({ taskKey: filters.taskKey, pageSize: 200 })}`));
    } catch (e) {
      return fill(body, h('div', { class: 'notice notice-error' }, e.message));
    }
    const now = Date.now();
    const shown = items.filter((t) => matches(t, filters, now)).sort(byDeadline);
    summary.textContent = `共 ${shown.length} 项${shown.length !== items.length ? `（全部 ${items.length} 项）` : ''}`;
    if (shown.length === 0) return fill(body, h('p', { class: 'empty' }, items.length ? '没有符合筛选条件的待办。' : '暂无待办任务。'));
    fill(
      body,
      h(
        'table',
        { class: 'grid tasks-table' },
        h('thead', {}, h('tr', {}, ['工单号', '任务', '分类', '工单状态', '接收时间', '办理期限', '剩余时间', '签收', ''].map((t) => h('th', {}, t)))),
        h(
          'tbody',
          {},
          shown.map((t) =>
            h(
              'tr',
              { class: t.overdue ? 'row-overdue' : undefined, dataset: { taskId: t.id, taskKey: t.taskKey } },
              h('td', {}, t.caseId ? h('a', { href: `#/cases/${t.caseId}` }, t.caseCode) : '—'),
              h('td', {}, label(TASK, t.taskKey, t.name)),
              h('td', {}, t.category ? h('span', { class: `badge cat-${t.category}` }, label(CATEGORY, t.category)) : '—'),
              h('td', {}, label(STATUS, t.caseStatus)),
              h('td', {}, formatTime(t.created)),
              h('td', {}, formatTime(t.due)),
              h('td', {}, countdownCell(t)),
              h('td', {}, claimControl(t, user, load)),
              h('td', {}, h('a', { class: 'btn btn-small btn-primary', href: `#/tasks/${t.id}` }, '办理')),
            ),
          ),
        ),
      ),
    );
  }

  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h('h1', {}, '我的待办'),
      select('taskKey', TASK, '全部任务类型'),
      select('category', CATEGORY, '全部分类'),
      dueSelect,
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: load }, '刷新'),
      summary,
    ),
    body,
  );
  await load();

  const tick = setInterval(() => {
    for (const el of body.querySelectorAll('.countdown[data-due]')) {
      const c = countdown(el.dataset.due || null);
      el.textContent = c.text;
      el.classList.toggle('is-overdue', c.overdue);
      el.classList.toggle('is-soon', c.soon);
    }
  }, 15_000);
  const refresh = setInterval(load, 60_000);
  return () => (clearInterval(tick), clearInterval(refresh));
}
