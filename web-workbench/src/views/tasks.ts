/**
 * 待办: the user's tasks, soonest deadline first, with a live countdown; filters by type, category and
 * deadline; claim, release and open each task.
 */
import { get, query } from '../../../web-shared/src/api';
import { h, fill } from '../../../web-shared/src/dom';
import { CASE_STATUS, CATEGORY, label } from '../../../core/vocabulary';
import { hashOf } from '../router';
import type { Task } from '../model';
import { loadTaskKinds } from '../task-kinds';
import { claimControl } from '../tasks-actions';
import type { ViewContext } from '../view';
import { formatTime, toDate } from '../../../web-shared/src/time';
import { countdown } from '../time';

type Filters = { taskKey: string; category: string; due: string };

const DUE_FILTERS: Record<string, string> = { '': '全部期限', soon: '即将到期（24小时内）', overdue: '已超期' };

/** Deadlines first (soonest on top), then tasks without a deadline, oldest first. */
function byDeadline(a: Task, b: Task): number {
  const at = (t: string | null) => toDate(t)?.getTime() ?? Infinity;
  return at(a.due) - at(b.due) || at(a.created) - at(b.created);
}

function matches(task: Task, filters: Filters, now: number): boolean {
  if (filters.category && task.category !== filters.category) return false;
  const c = countdown(task.due, now);
  if (filters.due === 'soon') return c.soon;
  if (filters.due === 'overdue') return c.overdue || task.overdue;
  return true;
}

function countdownCell(task: Task) {
  const c = countdown(task.due);
  return h(
    'span',
    { class: `countdown${c.overdue ? ' is-overdue' : c.soon ? ' is-soon' : ''}${c.none ? ' muted' : ''}`, dataset: { due: task.due ?? '' } },
    c.text,
  );
}

export async function tasksView({ main, query: q, user }: ViewContext) {
  const filters: Filters = { taskKey: q.taskKey ?? '', category: q.category ?? '', due: q.due ?? '' };
  const valueOf = (e: Event) => (e.target as HTMLSelectElement).value;
  const select = (name: keyof Filters, options: Record<string, string>, all: string) =>
    h(
      'select',
      { id: `filter-${name}`, 'aria-label': all, onchange: (e: Event) => (location.hash = hashOf('/tasks', { ...filters, [name]: valueOf(e) })) },
      h('option', { value: '' }, all),
      Object.entries(options).map(([value, text]) => h('option', { value, selected: filters[name] === value }, text)),
    );
  const dueSelect = h(
    'select',
    { id: 'filter-due', 'aria-label': '期限', onchange: (e: Event) => (location.hash = hashOf('/tasks', { ...filters, due: valueOf(e) })) },
    Object.entries(DUE_FILTERS).map(([value, text]) => h('option', { value, selected: filters.due === value }, text)),
  );
  const summary = h('span', { class: 'muted' });
  const body = h('div', { class: 'panel table-panel' }, h('p', { class: 'muted' }, '正在加载待办…'));

  async function load(): Promise<void> {
    let items: Task[];
    try {
      ({ items } = await get<{ items: Task[] }>(`/api/tasks${query({ taskKey: filters.taskKey, pageSize: 200 })}`));
    } catch (e) {
      return void fill(body, h('div', { class: 'notice notice-error' }, e instanceof Error ? e.message : String(e)));
    }
    const now = Date.now();
    const shown = items.filter((t) => matches(t, filters, now)).sort(byDeadline);
    summary.textContent = `共 ${shown.length} 项${shown.length !== items.length ? `（全部 ${items.length} 项）` : ''}`;
    if (shown.length === 0) return void fill(body, h('p', { class: 'empty' }, items.length ? '没有符合筛选条件的待办。' : '暂无待办任务。'));
    fill(
      body,
      h(
        'table',
        { class: 'grid tasks-table' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['工单号', '任务', '分类', '工单状态', '接收时间', '办理期限', '剩余时间', '签收', ''].map((t) => h('th', {}, t)),
          ),
        ),
        h(
          'tbody',
          {},
          shown.map((t) =>
            h(
              'tr',
              { class: t.overdue ? 'row-overdue' : undefined, dataset: { taskId: t.id, taskKey: t.taskKey } },
              h('td', {}, t.caseId ? h('a', { href: `#/cases/${t.caseId}` }, t.caseCode) : '—'),
              h('td', {}, t.name),
              h('td', {}, t.category ? h('span', { class: `badge cat-${t.category}` }, label(CATEGORY, t.category)) : '—'),
              h('td', {}, label(CASE_STATUS, t.caseStatus)),
              h('td', {}, formatTime(t.created)),
              h('td', {}, formatTime(t.due)),
              h('td', {}, countdownCell(t)),
              h(
                'td',
                {},
                claimControl(t, user, () => void load()),
              ),
              h('td', {}, h('a', { class: 'btn btn-small btn-primary', href: `#/tasks/${t.id}` }, '办理')),
            ),
          ),
        ),
      ),
    );
  }

  // The task kinds of the deployed diagrams, by their BPMN names (单位领导签发 …).
  const taskKindOptions = Object.fromEntries((await loadTaskKinds().catch(() => [])).filter((k) => k.filterable).map((k) => [k.taskKey, k.name]));
  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h('h1', {}, '我的待办'),
      select('taskKey', taskKindOptions, '全部任务类型'),
      select('category', CATEGORY, '全部分类'),
      dueSelect,
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: () => void load() }, '刷新'),
      summary,
    ),
    body,
  );
  await load();

  const tick = setInterval(() => {
    for (const el of body.querySelectorAll<HTMLElement>('.countdown[data-due]')) {
      const c = countdown(el.dataset.due || null);
      el.textContent = c.text;
      el.classList.toggle('is-overdue', c.overdue);
      el.classList.toggle('is-soon', c.soon);
    }
  }, 15_000);
  const refresh = setInterval(() => void load(), 60_000);
  return () => (clearInterval(tick), clearInterval(refresh));
}
