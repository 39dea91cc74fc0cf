/**
 * 工作台统计 (GET /api/dashboard): today's intake, open work orders by category, each unit's overdue and
 * soon-due work, this month's supervision notices and the on-time ranking. Tables with CSS bars, refreshed every minute.
 */
import { get } from '../../../web-shared/src/api';
import { h, fill } from '../../../web-shared/src/dom';
import { CASE_STATUS, CATEGORY, CHANNEL, label, SUPERVISION_LEVEL } from '../../../core/vocabulary';
import { countdown } from '../time';
import { pct } from '../report';
import type { ViewContext } from '../view';

interface CaseLink {
  id: string;
  code: string;
  status: string;
  dueAt: string | null;
}

/** GET /api/dashboard, for the city or the user's unit and those below it. */
interface Dashboard {
  scope: 'city' | 'unit';
  todayIntake: { total: number; byChannel: Record<string, number> };
  openByCategory: { category: string | null; count: number }[];
  deadlines: { unitName: string; overdueCount: number; overdue: CaseLink[]; dueSoonCount: number; dueSoon: CaseLink[] }[];
  supervisionByLevel: { level: string; count: number }[];
  onTimeRanking: { unitName: string; closed: number; onTime: number; rate: number }[];
  dispatchQuality: { unitId: string | null; unitName: string; firstDispatched: number; dispatchAccuracy: number | null; suggestionAdoption: number | null }[];
}

function bar(value: number, max: number, kind = '') {
  const width = max > 0 ? Math.max(2, Math.round((value / max) * 100)) : 0;
  return h('span', { class: `bar ${kind}` }, h('span', { class: 'bar-fill', style: `width:${width}%` }));
}

function figure(title: string, value: number, note?: string, kind = '') {
  return h(
    'div',
    { class: `figure ${kind}` },
    h('span', { class: 'figure-title' }, title),
    h('strong', { class: 'figure-value' }, String(value)),
    note && h('span', { class: 'figure-note' }, note),
  );
}

function table(headers: string[], rows: HTMLElement[], empty: string) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    { class: 'grid compact dashboard-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', {}, t)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

function caseLinks(items: CaseLink[], total: number) {
  return h(
    'span',
    { class: 'case-links' },
    items.map((i) => {
      const left = countdown(i.dueAt);
      return h('a', { href: `#/cases/${i.id}`, title: `${label(CASE_STATUS, i.status)} · ${left.text}` }, i.code.slice(-6));
    }),
    total > items.length && h('span', { class: 'muted' }, `等 ${total} 件`),
  );
}

function render(d: Dashboard) {
  const open = d.openByCategory.reduce((s, r) => s + r.count, 0);
  const overdue = d.deadlines.reduce((s, u) => s + u.overdueCount, 0);
  const soon = d.deadlines.reduce((s, u) => s + u.dueSoonCount, 0);
  const notices = d.supervisionByLevel.reduce((s, r) => s + r.count, 0);
  const channels = Object.entries(d.todayIntake.byChannel)
    .map(([c, n]) => `${label(CHANNEL, c)} ${n}`)
    .join('　');
  const maxCategory = Math.max(0, ...d.openByCategory.map((r) => r.count));
  const maxLevel = Math.max(0, ...d.supervisionByLevel.map((r) => r.count));

  return [
    h(
      'div',
      { class: 'figures' },
      figure('今日受理', d.todayIntake.total, channels || '今日暂无受理'),
      figure('未办结工单', open),
      figure('已超期', overdue, '承办单位办理中', overdue > 0 ? 'is-danger' : ''),
      figure('24 小时内到期', soon, '承办单位办理中', soon > 0 ? 'is-warn' : ''),
      figure('本月督办', notices),
    ),
    h(
      'div',
      { class: 'dashboard-grid' },
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, '未办结工单（按分类）'),
        table(
          ['分类', '件数', ''],
          d.openByCategory.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, label(CATEGORY, r.category, '未分类')),
              h('td', { class: 'num' }, String(r.count)),
              h('td', { class: 'bar-cell' }, bar(r.count, maxCategory)),
            ),
          ),
          '没有未办结的工单。',
        ),
      ),
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, '本月督办（按级别）'),
        table(
          ['级别', '件数', ''],
          d.supervisionByLevel.map((r) =>
            h(
              'tr',
              {},
              h('td', {}, label(SUPERVISION_LEVEL, r.level)),
              h('td', { class: 'num' }, String(r.count)),
              h('td', { class: 'bar-cell' }, bar(r.count, maxLevel, 'bar-warn')),
            ),
          ),
          '本月没有督办。',
        ),
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '超期与 24 小时内到期（按承办单位）'),
      table(
        ['单位', '超期', '超期工单', '24 小时内到期', '即将到期工单'],
        d.deadlines.map((u) =>
          h(
            'tr',
            {},
            h('td', {}, u.unitName),
            h('td', { class: 'num' }, u.overdueCount > 0 ? h('span', { class: 'badge badge-danger' }, String(u.overdueCount)) : '0'),
            h('td', {}, caseLinks(u.overdue, u.overdueCount)),
            h('td', { class: 'num' }, u.dueSoonCount > 0 ? h('span', { class: 'badge badge-warn' }, String(u.dueSoonCount)) : '0'),
            h('td', {}, caseLinks(u.dueSoon, u.dueSoonCount)),
          ),
        ),
        '没有超期或 24 小时内到期的工单。',
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '按期办结率排名（本月）', h('small', { class: 'muted' }, '按期办结件数 ÷ 办结件数，按牵头单位')),
      table(
        ['名次', '单位', '办结', '按期办结', '按期办结率', ''],
        d.onTimeRanking.map((r, i) =>
          h(
            'tr',
            {},
            h('td', { class: 'num' }, String(i + 1)),
            h('td', {}, r.unitName),
            h('td', { class: 'num' }, String(r.closed)),
            h('td', { class: 'num' }, String(r.onTime)),
            h('td', { class: 'num' }, pct(r.rate)),
            h('td', { class: 'bar-cell' }, bar(r.rate, 1, r.rate < 0.9 ? 'bar-warn' : 'bar-ok')),
          ),
        ),
        '本月还没有办结的工单。',
      ),
    ),
    h(
      'section',
      { class: 'panel' },
      h('h2', {}, '派单质量（本月）', h('small', { class: 'muted' }, '派单准确率：首次交办未改派、未退回后引导；建议采纳率：首次交办即系统建议的单位')),
      table(
        ['单位', '首次交办', '派单准确率', '建议采纳率'],
        d.dispatchQuality.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, r.unitId === null ? h('strong', {}, r.unitName) : r.unitName),
            h('td', { class: 'num' }, String(r.firstDispatched)),
            h('td', { class: 'num' }, pct(r.dispatchAccuracy)),
            h('td', { class: 'num' }, pct(r.suggestionAdoption)),
          ),
        ),
        '本月还没有交办的工单。',
      ),
    ),
  ];
}

export async function dashboardView({ main }: ViewContext) {
  const first = await get<Dashboard>('/api/dashboard');
  const body = h('div', {}, render(first));
  const stamp = h('span', { class: 'muted' }, `更新于 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`);
  main.append(
    h('div', { class: 'toolbar' }, h('h1', {}, '工作台 · 统计'), h('span', { class: 'badge' }, first.scope === 'city' ? '全市' : '本单位及下级单位'), stamp),
    body,
  );
  const timer = setInterval(async () => {
    try {
      fill(body, render(await get<Dashboard>('/api/dashboard')));
      fill(stamp, `更新于 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`);
    } catch (e) {
      fill(stamp, `刷新失败：${e instanceof Error ? e.message : String(e)}`);
    }
  }, 60_000);
  return () => clearInterval(timer);
}
