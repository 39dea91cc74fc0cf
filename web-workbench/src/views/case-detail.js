/** 工单详情: every field, the open tasks, the timeline and the process diagram with the current task highlighted. */
import { download, get } from '../api.js';
import { caseFields, categoryText, statusBadge } from '../case-fields.js';
import { drawDiagram } from '../diagram.js';
import { h, fill, toast } from '../dom.js';
import { SUPERVISION, TASK, label } from '../labels.js';
import { timeline } from '../timeline.js';
import { countdown, formatTime } from '../time.js';
import { loadUnits } from '../units.js';

function openTasks(tasks) {
  if (tasks.length === 0) return h('p', { class: 'muted' }, '当前没有待办任务。');
  return h(
    'table',
    { class: 'grid compact' },
    h('thead', {}, h('tr', {}, ['任务', '签收人', '办理期限', '剩余时间', ''].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      tasks.map((t) => {
        const c = countdown(t.due);
        return h(
          'tr',
          {},
          h('td', {}, label(TASK, t.taskKey, t.name)),
          h('td', {}, t.assignee ?? '未签收'),
          h('td', {}, formatTime(t.due)),
          h('td', {}, h('span', { class: `countdown${c.overdue ? ' is-overdue' : c.soon ? ' is-soon' : ''}` }, c.text)),
          h('td', {}, h('a', { href: `#/tasks/${t.id}`, class: 'btn btn-small btn-primary' }, '办理')),
        );
      }),
    ),
  );
}

function notices(list) {
  return h(
    'ul',
    { class: 'plain-list' },
    list.map((n) => h('li', {}, h('strong', {}, `${label(SUPERVISION, n.level)} ${n.number}`), h('span', { class: 'muted' }, formatTime(n.issuedAt)), h('p', {}, n.reason, n.replyDueAt && `（${formatTime(n.replyDueAt)} 前回复）`))),
  );
}

function attachments(list) {
  const open = (a) => () => download(`/api/attachments/${a.id}`, a.filename).catch((e) => toast(e.message, 'error'));
  return h(
    'ul',
    { class: 'plain-list' },
    list.map((a) => h('li', {}, h('button', { type: 'button', class: 'link', onclick: open(a) }, a.filename), h('span', { class: 'muted' }, `${Math.ceil(a.sizeBytes / 1024)} KB · ${a.uploadedBy} · ${formatTime(a.uploadedAt)}`))),
  );
}

export async function caseDetailView({ main, params: [id] }) {
  const [c, { byId }] = await Promise.all([get(`/api/cases/${id}`), loadUnits()]);
  const unitName = (unitId) => byId.get(unitId)?.name ?? unitId;
  const canvas = h('div', { class: 'diagram', id: 'case-diagram' }, h('p', { class: 'muted' }, '正在加载流程图…'));

  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h('a', { href: '#/cases', class: 'btn btn-ghost' }, '← 工单列表'),
      h('h1', {}, `工单 ${c.code}`),
      statusBadge(c.status),
      h('span', { class: `badge cat-${c.category ?? 'none'}` }, categoryText(c)),
    ),
    h(
      'div',
      { class: 'detail-layout' },
      h(
        'div',
        {},
        h('section', { class: 'panel' }, h('h2', {}, '工单信息'), await caseFields(c, { full: true })),
        h('section', { class: 'panel' }, h('h2', {}, '待办任务'), openTasks(c.tasks)),
        c.notices?.length > 0 && h('section', { class: 'panel' }, h('h2', {}, '督办通知'), notices(c.notices)),
        c.attachments?.length > 0 && h('section', { class: 'panel' }, h('h2', {}, '附件'), attachments(c.attachments)),
      ),
      h('section', { class: 'panel' }, h('h2', {}, '办理过程'), timeline(c.timeline, unitName)),
    ),
    h('section', { class: 'panel' }, h('h2', {}, '流程图', h('small', { class: 'legend' }, h('span', { class: 'legend-active' }, '当前环节'), h('span', { class: 'legend-done' }, '已完成'), '拖动可平移，滚轮缩放')), canvas),
  );

  let viewer = null;
  try {
    const diagram = await get(`/api/cases/${id}/diagram`);
    fill(canvas);
    viewer = await drawDiagram(canvas, diagram);
  } catch (e) {
    fill(canvas, h('p', { class: 'field-error' }, `流程图无法显示：${e.message}`));
  }
  return () => viewer?.destroy();
}
