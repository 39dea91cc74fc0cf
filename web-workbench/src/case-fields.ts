/** A work order's fields as a Chinese definition list: the short form beside a task, the full one on its page. */
import { h, type Child } from '../../web-shared/src/dom';
import { CASE_FLAG, CASE_STATUS, CATEGORY, CHANNEL, CLOSE_REASON, label, SUPERVISION_LEVEL } from '../../core/vocabulary';
import { formatTime } from '../../web-shared/src/time';
import { countdown } from './time';
import type { WorkOrder } from './model';
import { unitName } from './units';

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge status-${status}` }, label(CASE_STATUS, status));
}

export function categoryText(c: Pick<WorkOrder, 'category' | 'suggestedCategory'>): string {
  if (c.category) return label(CATEGORY, c.category);
  return c.suggestedCategory ? `未确定（系统建议 ${label(CATEGORY, c.suggestedCategory)}）` : '未确定';
}

function deadline(c: WorkOrder) {
  if (!c.dueAt) return '尚未确定（交办后按分类计算）';
  const left = c.closedAt ? null : countdown(c.dueAt);
  return h(
    'span',
    {},
    formatTime(c.dueAt),
    c.dueProvisional && h('span', { class: 'badge badge-warn' }, '暂定'),
    left && h('span', { class: `countdown${left.overdue ? ' is-overdue' : left.soon ? ' is-soon' : ''}` }, left.text),
    c.dueBasis && h('small', { class: 'basis' }, `依据：${c.dueBasis}`),
  );
}

type Row = [string, Child] | false | null | undefined | '';

export async function caseFields(c: WorkOrder, { full = false } = {}): Promise<HTMLElement> {
  const rows: Row[] = [
    ['工单号', c.code],
    ['状态', statusBadge(c.status)],
    ['事项分类', categoryText(c)],
    c.flags &&
      c.flags.length > 0 && [
        '事项性质',
        h(
          'span',
          {},
          c.flags.map((f) => h('span', { class: 'badge badge-danger' }, label(CASE_FLAG, f))),
        ),
      ],
    ['来源渠道', label(CHANNEL, c.channel)],
    ['反映人', c.citizenName],
    ['联系电话', h('span', { class: 'citizen-phone' }, c.citizenPhone)],
    ['地址', c.address],
    ['诉求内容', h('span', { class: 'prewrap' }, c.content)],
    ['牵头单位', await unitName(c.leadUnitId)],
    c.coUnitIds && c.coUnitIds.length > 0 && ['配合单位', (await Promise.all(c.coUnitIds.map(unitName))).join('、')],
    c.delegatedUnitId && ['转派下级单位', await unitName(c.delegatedUnitId)],
    ['办理期限', deadline(c)],
    ['受理时间', formatTime(c.createdAt)],
  ];
  if (full) {
    rows.push(
      ['系统分类建议', label(CATEGORY, c.suggestedCategory, '无')],
      ['是否超期', c.overdue ? h('span', { class: 'badge badge-danger' }, '已超期') : '未超期'],
      ['督办级别', label(SUPERVISION_LEVEL, c.supervisionLevel)],
      ['交办时间', formatTime(c.dispatchedAt)],
      ['交办次数', String(c.dispatchCount)],
      ['延期次数', String(c.extensionCount ?? 0)],
      ['受理人', c.createdBy],
      ['最近更新', formatTime(c.updatedAt)],
      ['办结时间', formatTime(c.closedAt)],
      c.closeReason && ['办结原因', label(CLOSE_REASON, c.closeReason)],
    );
  }
  return h(
    'dl',
    { class: 'fields' },
    rows.flatMap((row) => (row ? [h('dt', {}, row[0]), h('dd', {}, row[1] ?? '—')] : [])),
  );
}
