/** 工单详情: every field, the open tasks, the timeline and the process diagram with the current task highlighted. */
import { blobUrl, download, get, post } from '../../../web-shared/src/api';
import { caseFields, categoryText, statusBadge } from '../case-fields';
import { drawDiagram, type CaseDiagram } from '../diagram';
import { escalateAction } from '../escalate';
import { h, fill } from '../../../web-shared/src/dom';
import { toast } from '../dom';
import { label, SUPERVISION_LEVEL } from '../../../core/vocabulary';
import { timeline } from '../timeline';
import { formatTime } from '../../../web-shared/src/time';
import { countdown } from '../time';
import { isOffice } from '../session';
import type { Attachment, CaseDetail, Notice, Task } from '../model';
import { loadTaskKinds } from '../task-kinds';
import { loadUnits } from '../units';
import type { ViewContext } from '../view';

function openTasks(tasks: Task[]) {
  if (tasks.length === 0) return h('p', { class: 'muted' }, '当前没有待办任务。');
  return h(
    'table',
    { class: 'grid compact' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['任务', '签收人', '办理期限', '剩余时间', ''].map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      tasks.map((t) => {
        const c = countdown(t.due);
        return h(
          'tr',
          {},
          h('td', {}, t.name),
          h('td', {}, t.assignee ?? '未签收'),
          h('td', {}, formatTime(t.due)),
          h('td', {}, h('span', { class: `countdown${c.overdue ? ' is-overdue' : c.soon ? ' is-soon' : ''}` }, c.text)),
          h('td', {}, h('a', { href: `#/tasks/${t.id}`, class: 'btn btn-small btn-primary' }, '办理')),
        );
      }),
    ),
  );
}

function notices(list: Notice[]) {
  return h(
    'ul',
    { class: 'plain-list' },
    list.map((n) =>
      h(
        'li',
        {},
        h('strong', {}, `${label(SUPERVISION_LEVEL, n.level)} ${n.number}`),
        h('span', { class: 'muted' }, formatTime(n.issuedAt)),
        h('p', {}, n.reason, n.replyDueAt && `（${formatTime(n.replyDueAt)} 前回复）`),
      ),
    ),
  );
}

/** 预览: photos and PDFs open in a dialog over the page (the browser's own PDF viewer), without leaving it. */
async function preview(a: Attachment) {
  const url = await blobUrl(`/api/attachments/${a.id}`);
  const body =
    a.mimeType === 'application/pdf'
      ? h('iframe', { src: url, title: a.filename, class: 'attachment-pdf' })
      : h('img', { src: url, alt: a.filename, class: 'attachment-image' });
  const dialog = h(
    'dialog',
    { class: 'attachment-preview' },
    h(
      'div',
      { class: 'dialog-head' },
      h('strong', {}, a.filename),
      h('button', { type: 'button', class: 'btn btn-small', onclick: () => dialog.close() }, '关闭'),
    ),
    body,
  );
  dialog.addEventListener('close', () => (URL.revokeObjectURL(url), dialog.remove()));
  document.body.append(dialog);
  dialog.showModal();
}

function attachments(list: Attachment[]) {
  const fail = (e: unknown) => toast(e instanceof Error ? e.message : String(e), 'error');
  return h(
    'ul',
    { class: 'plain-list' },
    list.map((a) =>
      h(
        'li',
        {},
        h('button', { type: 'button', class: 'link', onclick: () => preview(a).catch(fail) }, a.filename),
        h('span', { class: 'muted' }, `${Math.ceil(a.sizeBytes / 1024)} KB · ${a.uploadedBy} · ${formatTime(a.uploadedAt)}`),
        h('button', { type: 'button', class: 'btn btn-small', onclick: () => download(`/api/attachments/${a.id}`, a.filename).catch(fail) }, '下载'),
      ),
    ),
  );
}

/** 一(四) 领导批示件: the leader's instruction, and the printable 反馈单 of its handling. */
function instructionPanel(c: CaseDetail) {
  const i = c.instruction;
  if (!i) return null;
  return h(
    'section',
    { class: 'panel instruction-panel' },
    h('h2', {}, '领导批示'),
    h(
      'div',
      { class: 'instruction-block' },
      h('p', {}, h('strong', {}, i.leaderName), '批示：', i.text),
      h('p', { class: 'muted' }, i.dueAt ? `批示办理期限：${formatTime(i.dueAt)}` : '批示未定期限，按分类时限办理'),
    ),
    h('a', { class: 'btn btn-small', href: `/feedback-sheet.html?id=${encodeURIComponent(c.id)}`, target: '_blank', rel: 'noopener' }, '打印反馈单'),
  );
}

/** 显示号码: units see the phone masked and reveal it with a reason, which the server audits. */
function revealPhone(caseId: string, phoneEl: Element) {
  const reason = h('input', { maxlength: 200, placeholder: '查看理由，如：需回电核实现场情况', 'aria-label': '查看号码的理由' });
  const error = h('span', { class: 'field-error' });
  const form = h(
    'form',
    { class: 'reveal-form', onsubmit: (e: Event) => (e.preventDefault(), void submit()) },
    reason,
    h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, '确认显示'),
    h('button', { type: 'button', class: 'btn btn-small', onclick: () => form.replaceWith(button) }, '取消'),
    error,
  );
  const button = h('button', { type: 'button', class: 'btn btn-small reveal-phone', onclick: () => (button.replaceWith(form), reason.focus()) }, '显示号码');

  async function submit() {
    if (reason.value.trim().length < 2) return void fill(error, '请填写查看理由（至少 2 个字）');
    try {
      const { phone } = await post<{ phone: string }>(`/api/cases/${caseId}/reveal-phone`, { reason: reason.value.trim() });
      fill(phoneEl, phone);
      form.remove();
      toast('已显示完整号码，本次查看已记入审计日志');
    } catch (e) {
      fill(error, e instanceof Error ? e.message : String(e));
    }
  }
  phoneEl.after(button);
}

export async function caseDetailView({ main, params: [id], user }: ViewContext) {
  const [c, { byId }, kinds] = await Promise.all([get<CaseDetail>(`/api/cases/${id}`), loadUnits(), loadTaskKinds().catch(() => [])]);
  const unitName = (unitId: string | null | undefined) => (unitId ? (byId.get(unitId)?.name ?? unitId) : '—');
  const canvas = h('div', { class: 'diagram', id: 'case-diagram' }, h('p', { class: 'muted' }, '正在加载流程图…'));

  main.append(
    h(
      'div',
      { class: 'toolbar' },
      h('a', { href: '#/cases', class: 'btn btn-ghost' }, '← 工单列表'),
      h('h1', {}, `工单 ${c.code}`),
      statusBadge(c.status),
      h('span', { class: `badge cat-${c.category ?? 'none'}` }, categoryText(c)),
      escalateAction(c, user),
    ),
    h(
      'div',
      { class: 'detail-layout' },
      h(
        'div',
        {},
        instructionPanel(c),
        h('section', { class: 'panel' }, h('h2', {}, '工单信息'), await caseFields(c, { full: true })),
        h('section', { class: 'panel' }, h('h2', {}, '待办任务'), openTasks(c.tasks)),
        c.notices && c.notices.length > 0 && h('section', { class: 'panel' }, h('h2', {}, '督办通知'), notices(c.notices)),
        c.attachments && c.attachments.length > 0 && h('section', { class: 'panel' }, h('h2', {}, '附件'), attachments(c.attachments)),
      ),
      h('section', { class: 'panel' }, h('h2', {}, '办理过程'), timeline(c.timeline, unitName, kinds)),
    ),
    h(
      'section',
      { class: 'panel' },
      h(
        'h2',
        {},
        '流程图',
        h(
          'small',
          { class: 'legend' },
          h('span', { class: 'legend-active' }, '当前环节'),
          h('span', { class: 'legend-done' }, '已完成'),
          '拖动可平移，滚轮缩放',
        ),
      ),
      canvas,
    ),
  );

  const phone = main.querySelector('.citizen-phone');
  if (!isOffice(user) && phone) revealPhone(c.id, phone);

  let viewer: Awaited<ReturnType<typeof drawDiagram>> | null = null;
  try {
    const diagram = await get<CaseDiagram>(`/api/cases/${id}/diagram`);
    fill(canvas);
    viewer = await drawDiagram(canvas, diagram);
  } catch (e) {
    fill(canvas, h('p', { class: 'field-error' }, `流程图无法显示：${e instanceof Error ? e.message : String(e)}`));
  }
  return () => viewer?.destroy();
}
