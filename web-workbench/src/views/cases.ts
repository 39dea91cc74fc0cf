/** 工单: search (work-order number, phone, name, address, content), status, flag and channel filters, paged; the query lives in the hash. */
import { download, get, query } from '../../../web-shared/src/api';
import { h, fill } from '../../../web-shared/src/dom';
import { pager, toast } from '../dom';
import { canExportCases } from '../session';
import { categoryText, statusBadge } from '../case-fields';
import { CASE_FLAG, CASE_STATUS, CHANNEL, label } from '../../../core/vocabulary';
import { hashOf } from '../router';
import { formatTime } from '../../../web-shared/src/time';
import type { WorkOrder } from '../model';
import { loadUnits } from '../units';
import type { ViewContext } from '../view';

interface CasePage {
  items: WorkOrder[];
  total: number;
  totalCapped?: boolean;
}

const PAGE_SIZE = 15;

export async function casesView({ main, query: q, user }: ViewContext) {
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  const search = h('input', { id: 'cases-q', type: 'search', value: q.q ?? '', maxlength: 100, placeholder: '工单号、电话、姓名、地址或诉求内容' });
  const status = h(
    'select',
    { id: 'cases-status', 'aria-label': '状态' },
    h('option', { value: '' }, '全部状态'),
    Object.entries(CASE_STATUS).map(([value, text]) => h('option', { value, selected: q.status === value }, text)),
  );
  const flag = h(
    'select',
    { id: 'cases-flag', 'aria-label': '事项性质' },
    h('option', { value: '' }, '全部性质'),
    Object.entries(CASE_FLAG).map(([value, text]) => h('option', { value, selected: q.flag === value }, text)),
  );
  // 来源渠道, e.g. the 领导批示件 (一(四)) alone
  const channel = h(
    'select',
    { id: 'cases-channel', 'aria-label': '来源渠道' },
    h('option', { value: '' }, '全部渠道'),
    Object.entries(CHANNEL).map(([value, text]) => h('option', { value, selected: q.channel === value }, text)),
  );
  const go = (p = 1) =>
    (location.hash = hashOf('/cases', { q: search.value.trim(), status: status.value, flag: flag.value, channel: channel.value, page: p > 1 ? p : '' }));
  for (const filter of [status, flag, channel]) filter.addEventListener('change', () => go());
  const body = h('div', { class: 'panel table-panel' }, h('p', { class: 'muted' }, '正在查询…'));

  main.append(
    h(
      'form',
      { class: 'toolbar', onsubmit: (e: Event) => (e.preventDefault(), go()) },
      h('h1', {}, '工单查询'),
      search,
      status,
      flag,
      channel,
      h('button', { type: 'submit', class: 'btn btn-primary' }, '查询'),
      (q.q || q.status || q.flag || q.channel) && h('a', { href: '#/cases', class: 'btn btn-ghost' }, '清除条件'),
      // 导出 (office, admin): the current filter as CSV; the server audits it as one export
      canExportCases(user) &&
        h(
          'button',
          {
            type: 'button',
            class: 'btn',
            onclick: () =>
              void download(`/api/cases/export${query({ q: q.q, status: q.status })}`, '工单导出.csv').catch((e: Error) => toast(e.message, 'error')),
          },
          '导出 CSV',
        ),
    ),
    body,
  );

  let result: CasePage;
  try {
    result = await get<CasePage>(`/api/cases${query({ q: q.q, status: q.status, flag: q.flag, channel: q.channel, page, pageSize: PAGE_SIZE })}`);
  } catch (e) {
    return void fill(body, h('div', { class: 'notice notice-error' }, e instanceof Error ? e.message : String(e)));
  }
  const { byId } = await loadUnits();
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  fill(
    body,
    result.items.length === 0
      ? h('p', { class: 'empty' }, '没有找到符合条件的工单。')
      : h(
          'table',
          { class: 'grid cases-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['工单号', '受理时间', '反映人', '地址', '诉求内容', '分类', '状态', '牵头单位', '办理期限'].map((t) => h('th', {}, t)),
            ),
          ),
          h(
            'tbody',
            {},
            result.items.map((c) =>
              h(
                'tr',
                { class: 'clickable', onclick: (e: Event) => (e.target as Element).tagName !== 'A' && (location.hash = `#/cases/${c.id}`) },
                h('td', {}, h('a', { href: `#/cases/${c.id}` }, c.code)),
                h('td', {}, formatTime(c.createdAt)),
                h('td', {}, c.citizenName, h('br'), h('small', { class: 'muted' }, c.citizenPhone)),
                h('td', { class: 'clip-cell' }, c.address),
                h('td', { class: 'clip-cell wide' }, c.content),
                h(
                  'td',
                  {},
                  c.category ? categoryText(c) : '—',
                  (c.flags ?? []).map((f) => h('span', { class: 'badge badge-danger' }, label(CASE_FLAG, f))),
                ),
                h('td', {}, statusBadge(c.status), c.overdue && h('span', { class: 'badge badge-danger' }, '超期')),
                h('td', {}, (c.leadUnitId && byId.get(c.leadUnitId)?.name) || '—'),
                h('td', {}, formatTime(c.dueAt)),
              ),
            ),
          ),
        ),
    pager(page, pages, `共 ${result.total}${result.totalCapped ? '+' : ''} 件`, go),
  );
}
