/** A work order's timeline in words: who did what and when, each task's decision summarised in Chinese. */
import { CASE_FLAG, CASE_STATUS, CATEGORY, CHANNEL, DISPOSITION, EVENT_TYPE, label, SATISFACTION, SUPERVISION_LEVEL } from '../../core/vocabulary';
import { h, type Child } from '../../web-shared/src/dom';
import { formatTime } from '../../web-shared/src/time';
import type { CaseEvent } from './model';
import { taskName, type TaskKind } from './task-kinds';

interface Person {
  name?: string;
}

/** The variables a task submitted, as far as the summaries read them. */
interface Submitted {
  disposition?: string;
  leadUnitId?: string;
  category?: string;
  coUnitIds?: string[];
  answerText?: string;
  guideReason?: string;
  /** The reason's label as the decision table caseGuideReasons gave it when the task was completed. */
  guideReasonLabel?: string;
  guideText?: string;
  outcome?: string;
  subUnitId?: string;
  returnReason?: string;
  requestedDueAt?: string;
  extensionReason?: string;
  feedback?: { result?: string; responsible?: Person; leader?: Person & { title?: string } };
  plannedDoneAt?: string;
  plan?: string;
  extensionApproved?: boolean;
  newDueAt?: string;
  decisionComment?: string;
  returnDecision?: string;
  redispatchUnitId?: string;
  coOpinion?: string;
  firstResponseNote?: string;
  /** instructionFeedback: what the office reported back to the instructing leader (一(四)). */
  directiveReport?: string;
  reviewOutcome?: string;
  reviewComment?: string;
  conductIssue?: boolean;
  revisit?: { reached?: boolean; solved?: boolean; processSatisfaction?: string; resultSatisfaction?: string; truthful?: boolean; comments?: string };
  reply?: string;
  responsibleLeader?: Person;
  responsiblePerson?: Person;
  leaderName?: string;
  instruction?: string;
  signoffApproved?: boolean;
  signoffComment?: string;
  publish?: boolean;
  comment?: string;
}

/** What the other events carry in their data. */
interface EventData {
  taskKey?: string;
  taskName?: string;
  variables?: Submitted;
  channel?: string;
  suggestedCategory?: string;
  suggestedUnitId?: string;
  source?: string;
  dueAt?: string;
  provisional?: boolean;
  basis?: string;
  filename?: string;
  level?: string;
  reason?: string;
  replyDueAt?: string;
  to?: string;
  /** emergency-notice: `intake` when reported at registration (一(四)), `dispatch` when reported with the lead unit. */
  stage?: string;
  attempt?: number;
  flags?: string[];
  respondedAt?: string;
  firstResponseWithin?: string;
}

type UnitName = (id: string | null | undefined) => string;

const yesNo = (v: unknown, yes: string, no: string) => (v ? yes : no);

/** One line per decision, from the variables the task submitted. */
function taskSummary(key: string | undefined, v: Submitted, unitName: UnitName): string {
  const units = (ids: string[] | undefined) => (ids ?? []).map(unitName).join('、');
  switch (key) {
    case 'dispatch':
      if (v.disposition === 'dispatch')
        return `交办${unitName(v.leadUnitId)}，分类 ${label(CATEGORY, v.category)}${v.coUnitIds?.length ? `，配合单位：${units(v.coUnitIds)}` : ''}`;
      if (v.disposition === 'answer') return `即办答复：${v.answerText ?? ''}`;
      return `${label(DISPOSITION, v.disposition)}：${v.guideReasonLabel ?? ''} ${v.guideText ?? ''}`;
    case 'handle':
      if (v.outcome === 'delegate') return `转派${unitName(v.subUnitId)}办理`;
      if (v.outcome === 'return') return `申请退回：${v.returnReason ?? ''}`;
      if (v.outcome === 'extend') return `申请延期至 ${formatTime(v.requestedDueAt)}：${v.extensionReason ?? ''}`;
      return `办结反馈：${v.feedback?.result ?? ''}（责任人 ${v.feedback?.responsible?.name ?? ''}${v.feedback?.leader ? `，主管领导 ${v.feedback.leader.name ?? ''} ${v.feedback.leader.title ?? ''}` : ''}）`;
    case 'handleDelegated':
      return `办结反馈：${v.feedback?.result ?? ''}`;
    case 'firstResponse':
      return `首次响应${v.firstResponseNote ? `：${v.firstResponseNote}` : ''}`;
    case 'leaderSignoff':
      return v.signoffApproved ? '同意签发' : `不同意签发：${v.signoffComment ?? ''}`;
    case 'plan':
      return `计划 ${formatTime(v.plannedDoneAt)} 前办结：${v.plan ?? ''}`;
    case 'decideExtension':
      return v.extensionApproved ? `同意延期至 ${formatTime(v.newDueAt)}` : `不同意延期${v.decisionComment ? `：${v.decisionComment}` : ''}`;
    case 'decideReturn':
      if (v.returnDecision === 'redispatch') return `改派${unitName(v.redispatchUnitId)}`;
      if (v.returnDecision === 'guide') return `引导：${v.guideReasonLabel ?? ''} ${v.guideText ?? ''}`;
      return '不同意退回，原单位继续办理';
    case 'coInput':
      return `配合意见：${v.coOpinion ?? ''}`;
    case 'review':
      return `${v.reviewOutcome === 'accept' ? '审核通过' : `退回重办：${v.reviewComment ?? ''}`}${v.conductIssue ? '；反映干部作风纪律问题' : ''}`;
    case 'revisit':
    case 'unitRevisit': {
      const r = v.revisit ?? {};
      return [
        yesNo(r.reached, '已联系到反映人', '未联系到反映人'),
        yesNo(r.solved, '问题已解决', '问题未解决'),
        `过程${label(SATISFACTION, r.processSatisfaction)}`,
        `结果${label(SATISFACTION, r.resultSatisfaction)}`,
        yesNo(r.truthful, '反馈属实', '反馈不属实'),
        r.comments && `意见：${r.comments}`,
      ]
        .filter(Boolean)
        .join('，');
    }
    case 'supervisionReply':
    case 'onsitePlan':
      return `${v.reply ?? ''}（责任领导 ${v.responsibleLeader?.name ?? ''}，责任人 ${v.responsiblePerson?.name ?? ''}）`;
    case 'leaderInstruction':
      return `${v.leaderName ?? ''}批示：${v.instruction ?? ''}`;
    case 'instructionFeedback':
      return `已向批示领导反馈：${v.directiveReport ?? ''}`;
    default:
      return '';
  }
}

function describe(e: CaseEvent, unitName: UnitName, kinds: TaskKind[]): Child {
  const d: EventData = e.data ?? {};
  switch (e.type) {
    case 'registered':
      return `来源：${label(CHANNEL, d.channel)}`;
    case 'category-suggested':
      return `系统建议 ${label(CATEGORY, d.suggestedCategory)}${d.suggestedUnitId ? `，承办单位 ${unitName(d.suggestedUnitId)}` : ''}${d.source ? `（${d.source}）` : ''}`;
    case 'task-completed':
      return [`「${taskName(kinds, d.taskKey, d.taskName)}」`, taskSummary(d.taskKey, d.variables ?? {}, unitName)];
    case 'deadline-set':
      return `办理期限 ${formatTime(d.dueAt)}${d.provisional ? '（暂定）' : ''}${d.basis ? `，依据：${d.basis}` : ''}`;
    case 'status':
      return `${label(CASE_STATUS, e.fromStatus)} → ${label(CASE_STATUS, e.toStatus)}`;
    case 'overdue':
      return `期限 ${formatTime(d.dueAt)} 已过，未办结`;
    case 'attachment':
      return d.filename ?? '';
    case 'supervision':
      return `${label(SUPERVISION_LEVEL, d.level)}：${d.reason ?? ''}${d.replyDueAt ? `，${formatTime(d.replyDueAt)} 前回复` : ''}`;
    case 'supervision-requested':
      return `提级至${label(SUPERVISION_LEVEL, d.level)}：${d.reason ?? ''}`;
    case 'supervision-request-lapsed':
      return `提级至${label(SUPERVISION_LEVEL, d.level)}未送达：工单已不在单位办理环节`;
    case 'emergency-notice':
      return `${d.stage === 'intake' ? '受理即报' : '已报送'}${d.to ?? '热线办领导'}${d.flags?.length ? `（${d.flags.map((f) => label(CASE_FLAG, f)).join('、')}）` : ''}`;
    case 'first-response':
      return `牵头单位已首次响应，响应时间 ${formatTime(d.respondedAt)}`;
    case 'first-response-overdue':
      return `首次响应时限（${d.firstResponseWithin ?? ''}）已过，牵头单位未响应，已报告${d.to ?? '热线办领导'}`;
    case 'extension-refused':
      return d.reason ?? '';
    case 'revisit-unreached':
      return `第 ${d.attempt ?? '?'} 次回访未联系到反映人`;
    default:
      return '';
  }
}

export function actorName(actor: string, unitName: UnitName): string {
  if (actor === 'system') return '系统';
  if (actor === 'engine') return '流程引擎';
  const unit = unitName(actor);
  return unit !== actor ? `${unit}（${actor}）` : actor;
}

/**
 * `unitName` here is synchronous: id → name from the loaded unit list; `kinds` names the tasks of entries
 * recorded before events carried the task's name.
 */
export function timeline(events: CaseEvent[], unitName: UnitName, kinds: TaskKind[]): HTMLElement {
  return h(
    'ol',
    { class: 'timeline' },
    events.map((e) =>
      h(
        'li',
        { class: `tl-${e.type}` },
        h('time', {}, formatTime(e.occurredAt)),
        h(
          'div',
          {},
          h('strong', {}, (EVENT_TYPE as Record<string, string>)[e.type] ?? '其他记录'),
          h('span', { class: 'tl-actor' }, actorName(e.actor, unitName)),
          h('p', {}, describe(e, unitName, kinds)),
        ),
      ),
    ),
  );
}
