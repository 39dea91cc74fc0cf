/**
 * The printable 《领导批示件办理情况反馈单》 (一(四) 领导批示件的转办、督办和反馈) at /feedback-sheet.html?id=<work order>:
 * the leader's instruction, where it was sent, what the unit did and signed, how it was supervised, and what the
 * office reported back. Before the report is made the sheet leaves its lines blank to be filled by hand.
 * Signed in by the workbench's session.
 */
import './styles/bulletin.css';
import { label, SUPERVISION_LEVEL } from '../../core/vocabulary';
import { get } from '../../web-shared/src/api';
import { fill, h } from '../../web-shared/src/dom';
import { currentUser } from '../../web-shared/src/session';
import { formatTime } from '../../web-shared/src/time';
import type { CaseDetail, CaseEvent } from './model';
import { loadUnits } from './units';

/** What the sheet reads from the completions of handle, leaderSignoff, review and instructionFeedback. */
interface Variables {
  feedback?: { process?: string; result?: string; responsible?: { name?: string; title?: string } };
  signoffApproved?: boolean;
  reviewOutcome?: string;
  directiveReport?: string;
  directiveReportedVia?: string;
}

/** The variables of the last completion of a task kind, if it was completed. */
function lastCompleted(timeline: CaseEvent[], taskKey: string): { at: string; actor: string; v: Variables } | null {
  const e = [...timeline].reverse().find((x) => x.type === 'task-completed' && x.data.taskKey === taskKey);
  return e ? { at: e.occurredAt, actor: e.actor, v: (e.data.variables ?? {}) as Variables } : null;
}

const REPORTED_VIA: Record<string, string> = { written: '书面报送', intranet: '电子政务内网', 'in-person': '当面汇报' };

/** The case's deadline once dispatched (an approved extension moves it), else the leader's own date. */
function deadline(dueAt: string | null, instructed: string | null): string {
  const shown = dueAt ?? instructed;
  if (!shown) return '按分类时限，交办时确定';
  return `${formatTime(shown)}${instructed && Date.parse(shown) === Date.parse(instructed) ? '（批示期限）' : ''}`;
}

function row(name: string, value: string | HTMLElement, wide = false) {
  return h('tr', {}, h('th', {}, name), h('td', { class: 'name', colspan: wide ? 3 : 1 }, value));
}

async function render(root: HTMLElement, c: CaseDetail) {
  const { byId } = await loadUnits();
  const unit = (id: string | null | undefined) => (id ? (byId.get(id)?.name ?? id) : '');
  const instruction = c.instruction;
  if (!instruction) return void fill(root, h('p', { class: 'error' }, `工单 ${c.code} 不是领导批示件，没有反馈单。`));
  const handled = lastCompleted(c.timeline, 'handle');
  const signed = lastCompleted(c.timeline, 'leaderSignoff');
  const reviewed = lastCompleted(c.timeline, 'review');
  const reported = lastCompleted(c.timeline, 'instructionFeedback');
  const result: NonNullable<Variables['feedback']> = handled?.v.feedback ?? {};
  const blank = '';
  document.title = `领导批示件办理情况反馈单 ${c.code}`;
  fill(
    root,
    h('h1', {}, '领导批示件办理情况反馈单'),
    h('p', { class: 'meta' }, `平顶山市市长热线办公室    编号：${c.code}`),
    h(
      'table',
      { class: 'sheet' },
      h(
        'tbody',
        {},
        row('批示领导', instruction.leaderName),
        row('登记时间', formatTime(c.createdAt)),
        row('批示内容', instruction.text, true),
        row('事项', c.content, true),
        row('承办单位', unit(c.leadUnitId)),
        row('交办时间', formatTime(c.dispatchedAt)),
        row('办理期限', deadline(c.dueAt, instruction.dueAt)),
        row('督办情况', (c.notices ?? []).map((n) => `${label(SUPERVISION_LEVEL, n.level)} ${n.number}（${formatTime(n.issuedAt)}）`).join('；') || '无', true),
        row('办理过程', result.process ?? blank, true),
        row('办理结果', result.result ?? blank, true),
        row('责任人', result.responsible ? `${result.responsible.name ?? ''} ${result.responsible.title ?? ''}` : blank),
        row('单位领导签发', signed ? `${signed.v.signoffApproved ? '同意签发' : '不同意签发'}（${signed.actor}，${formatTime(signed.at)}）` : blank),
        row('热线办审核', reviewed && reviewed.v.reviewOutcome === 'accept' ? `审核通过（${formatTime(reviewed.at)}）` : blank),
        row('向批示领导反馈', reported ? String(reported.v.directiveReport ?? '') : blank, true),
        row('反馈方式', reported ? (REPORTED_VIA[String(reported.v.directiveReportedVia)] ?? String(reported.v.directiveReportedVia ?? '')) : blank),
        row('反馈时间', reported ? formatTime(reported.at) : blank),
      ),
    ),
    h('p', { class: 'signature' }, '市长热线办公室（盖章）        年    月    日'),
  );
}

async function load(root: HTMLElement) {
  const id = new URLSearchParams(location.search).get('id');
  if (!(await currentUser())) return void fill(root, h('p', { class: 'error' }, '请先登录工作台后再打开本页。'));
  if (!id) return void fill(root, h('p', { class: 'error' }, '请在地址中指定工单，例如 feedback-sheet.html?id=<工单编号>'));
  await render(root, await get<CaseDetail>(`/api/cases/${encodeURIComponent(id)}`));
}

const root = document.getElementById('sheet') as HTMLElement;
document.getElementById('print')?.addEventListener('click', () => window.print());
load(root).catch((e: unknown) => fill(root, h('p', { class: 'error' }, `加载失败：${e instanceof Error ? e.message : String(e)}`)));
