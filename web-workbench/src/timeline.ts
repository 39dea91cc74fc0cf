/** A work order's timeline in words: who did what and when, each task's decision summarised in Chinese. */
import { h } from './dom.js';
import { CATEGORY, CHANNEL, DISPOSITION, GUIDE_REASON, SATISFACTION, STATUS, SUPERVISION, TASK, label } from './labels.js';
import { formatTime } from './time.js';

const EVENT = {
  registered: '受理登记',
  'category-suggested': '分类建议',
  'task-completed': '提交任务',
  'deadline-set': '确定办理期限',
  status: '状态变更',
  overdue: '办理超期',
  attachment: '上传附件',
  supervision: '督办',
  'emergency-notice': '紧急事项报送',
  'extension-refused': '延期申请驳回',
  'revisit-unreached': '回访未联系上',
};

const yesNo = (v, yes, no) => (v ? yes : no);

/** One line per decision, from the variables the task submitted. */
function taskSummary(key, v, unitName) {
  const units = (ids) => (ids ?? []).map(unitName).join('、');
  switch (key) {
    case 'dispatch':
      if (v.disposition === 'dispatch') return `交办${unitName(v.leadUnitId)}，分类 ${label(CATEGORY, v.category)}${v.coUnitIds?.length ? `，配合单位：${units(v.coUnitIds)}` : ''}`;
      if (v.disposition === 'answer') return `即办答复：${v.answerText ?? ''}`;
      return `${label(DISPOSITION, v.disposition)}：${label(GUIDE_REASON, v.guideReason, '')} ${v.guideText ?? ''}`;
    case 'handle':
      if (v.outcome === 'delegate') return `转派${unitName(v.subUnitId)}办理`;
      if (v.outcome === 'return') return `申请退回：${v.returnReason ?? ''}`;
      if (v.outcome === 'extend') return `申请延期至 ${formatTime(v.requestedDueAt)}：${v.extensionReason ?? ''}`;
      return `办结反馈：${v.feedback?.result ?? ''}（责任人 ${v.feedback?.responsible?.name ?? ''}）`;
    case 'handleDelegated':
      return `办结反馈：${v.feedback?.result ?? ''}`;
    case 'plan':
      return `计划 ${formatTime(v.plannedDoneAt)} 前办结：${v.plan ?? ''}`;
    case 'decideExtension':
      return v.extensionApproved ? `同意延期至 ${formatTime(v.newDueAt)}` : `不同意延期${v.decisionComment ? `：${v.decisionComment}` : ''}`;
    case 'decideReturn':
      if (v.returnDecision === 'redispatch') return `改派${unitName(v.redispatchUnitId)}`;
      if (v.returnDecision === 'guide') return `引导：${label(GUIDE_REASON, v.guideReason, '')} ${v.guideText ?? ''}`;
      return '不同意退回，原单位继续办理';
    case 'coInput':
      return `配合意见：${v.coOpinion ?? ''}`;
    case 'review':
      return `${v.reviewOutcome === 'accept' ? '审核通过，转回访' : `退回重办：${v.reviewComment ?? ''}`}${v.conductIssue ? '；反映干部作风纪律问题' : ''}`;
    case 'revisit': {
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
    default:
      return '';
  }
}

function describe(e, unitName) {
  const d = e.data ?? {};
  switch (e.type) {
    case 'registered':
      return `来源：${label(CHANNEL, d.channel)}`;
    case 'category-suggested':
      return `系统建议 ${label(CATEGORY, d.suggestedCategory)}`;
    case 'task-completed':
      return [`「${label(TASK, d.taskKey, d.taskName)}」`, taskSummary(d.taskKey, d.variables ?? {}, unitName)];
    case 'deadline-set':
      return `办理期限 ${formatTime(d.dueAt)}${d.provisional ? '（暂定）' : ''}${d.basis ? `，依据：${d.basis}` : ''}`;
    case 'status':
      return `${label(STATUS, e.fromStatus)} → ${label(STATUS, e.toStatus)}`;
    case 'overdue':
      return `期限 ${formatTime(d.dueAt)} 已过，未办结`;
    case 'attachment':
      return d.filename ?? '';
    case 'supervision':
      return `${label(SUPERVISION, d.level)}：${d.reason ?? ''}${d.replyDueAt ? `，${formatTime(d.replyDueAt)} 前回复` : ''}`;
    case 'emergency-notice':
      return `已报送${d.to ?? '热线办领导'}`;
    case 'extension-refused':
      return d.reason ?? '';
    case 'revisit-unreached':
      return `第 ${d.attempt ?? '?'} 次回访未联系到反映人`;
    default:
      return '';
  }
}

export function actorName(actor, unitName) {
  if (actor === 'system') return '系统';
  if (actor === 'engine') return '流程引擎';
  const unit = unitName(actor);
  return unit !== actor ? `${unit}（${actor}）` : actor;
}

/** `unitName` here is synchronous: id → name from the loaded unit list. */
export function timeline(events, unitName) {
  return h(
    'ol',
    { class: 'timeline' },
    events.map((e) =>
      h(
        'li',
        { class: `tl-${e.type}` },
        h('time', {}, formatTime(e.occurredAt)),
        h('div', {}, h('strong', {}, EVENT[e.type] ?? '其他记录'), h('span', { class: 'tl-actor' }, actorName(e.actor, unitName)), h('p', {}, describe(e, unitName))),
      ),
    ),
  );
}
