/**
 * The printable 《领导批示件办理情况反馈单》 (一(四) 领导批示件的转办、督办和反馈) at /feedback-sheet.html?id=<work order>:
 * GET /api/cases/:id/feedback-sheet laid out on A4. A part not done yet is a blank line to be filled by hand.
 * Signed in by the workbench's session.
 */
import './styles/bulletin.css';
import { label, SUPERVISION_LEVEL } from '../../core/vocabulary';
import { get } from '../../web-shared/src/api';
import { fill, h } from '../../web-shared/src/dom';
import { currentUser } from '../../web-shared/src/session';
import { formatTime } from '../../web-shared/src/time';
import type { FeedbackSheet } from '../../core/cases/feedback-sheet-shape';
import { loadUnits } from './units';

/** GET /api/cases/:id/feedback-sheet: instants as ISO strings. */
type Sheet = FeedbackSheet<string>;

function row(name: string, value: string, wide = false) {
  return h('tr', {}, h('th', {}, name), h('td', { class: 'name', colspan: wide ? 3 : 1 }, value));
}

async function render(root: HTMLElement, s: Sheet) {
  const { byId } = await loadUnits();
  const unit = s.leadUnitId ? (byId.get(s.leadUnitId)?.name ?? s.leadUnitId) : '';
  document.title = `领导批示件办理情况反馈单 ${s.code}`;
  fill(
    root,
    h('h1', {}, '领导批示件办理情况反馈单'),
    h('p', { class: 'meta' }, `平顶山市市长热线办公室    编号：${s.code}`),
    h(
      'table',
      { class: 'sheet' },
      h(
        'tbody',
        {},
        row('批示领导', s.leaderName),
        row('登记时间', formatTime(s.registeredAt)),
        row('批示内容', s.instruction, true),
        row('事项', s.content, true),
        row('承办单位', unit),
        row('交办时间', s.dispatchedAt ? formatTime(s.dispatchedAt) : ''),
        row('办理期限', s.dueAt ? `${formatTime(s.dueAt)}${s.dueByInstruction ? '（批示期限）' : ''}` : '按分类时限，交办时确定'),
        row('督办情况', s.notices.map((n) => `${label(SUPERVISION_LEVEL, n.level)} ${n.number}（${formatTime(n.issuedAt)}）`).join('；') || '无', true),
        row('办理过程', s.handling?.process ?? '', true),
        row('办理结果', s.handling?.result ?? '', true),
        row('责任人', s.handling?.responsible ?? ''),
        row('单位领导签发', s.signoff ? `${s.signoff.approved ? '同意签发' : '不同意签发'}（${s.signoff.by}，${formatTime(s.signoff.at)}）` : ''),
        row('热线办审核', s.review ? `审核通过（${formatTime(s.review.at)}）` : ''),
        row('向批示领导反馈', s.report?.text ?? '', true),
        row('反馈时间', s.report ? `${formatTime(s.report.at)}（${s.report.by}）` : ''),
      ),
    ),
    h('p', { class: 'signature' }, '市长热线办公室（盖章）        年    月    日'),
  );
}

async function load(root: HTMLElement) {
  const id = new URLSearchParams(location.search).get('id');
  if (!(await currentUser())) return void fill(root, h('p', { class: 'error' }, '请先登录工作台后再打开本页。'));
  if (!id) return void fill(root, h('p', { class: 'error' }, '请在地址中指定工单，例如 feedback-sheet.html?id=<工单编号>'));
  await render(root, await get<Sheet>(`/api/cases/${encodeURIComponent(id)}/feedback-sheet`));
}

const root = document.getElementById('sheet') as HTMLElement;
document.getElementById('print')?.addEventListener('click', () => window.print());
load(root).catch((e: unknown) => fill(root, h('p', { class: 'error' }, `加载失败：${e instanceof Error ? e.message : String(e)}`)));
