/** The 版本对比 list: elements or decision rules added, removed and changed, with what changed in each, in Chinese. */
import { h } from '../../web-shared/src/dom';
import type { Change, Diff, DiffItem, RuleRow } from './model';

const TYPE_LABEL: Record<string, string> = {
  process: '流程',
  userTask: '用户任务',
  serviceTask: '服务任务',
  businessRuleTask: '业务规则任务',
  scriptTask: '脚本任务',
  sendTask: '发送任务',
  receiveTask: '接收任务',
  task: '任务',
  callActivity: '调用活动',
  subProcess: '子流程',
  startEvent: '开始事件',
  endEvent: '结束事件',
  boundaryEvent: '边界事件',
  intermediateCatchEvent: '中间捕获事件',
  intermediateThrowEvent: '中间抛出事件',
  exclusiveGateway: '排他网关',
  parallelGateway: '并行网关',
  inclusiveGateway: '包容网关',
  eventBasedGateway: '事件网关',
  sequenceFlow: '顺序流',
  error: '错误定义',
  message: '消息定义',
  signal: '信号定义',
  rule: '规则',
  decision: '决策',
  decisionTable: '决策表',
  input: '输入列',
  output: '输出列',
};

const ATTRIBUTE_LABEL: Record<string, string> = {
  name: '名称',
  topic: '主题',
  candidateGroups: '候选组',
  candidateUsers: '候选人',
  assignee: '处理人',
  formRef: '表单',
  formRefBinding: '表单版本绑定',
  dueDate: '到期时间',
  timeDate: '定时日期',
  timeDuration: '定时时长',
  timeCycle: '定时周期',
  conditionExpression: '条件',
  decisionRef: '决策引用',
  resultVariable: '结果变量',
  mapDecisionResult: '决策结果映射',
  default: '默认流',
  sourceRef: '起点',
  targetRef: '终点',
  attachedToRef: '附着于',
  cancelActivity: '中断',
  isInterrupting: '中断',
  errorRef: '错误',
  documentation: '说明',
  hitPolicy: '命中策略',
  label: '标题',
  type: '实现方式',
  historyTimeToLive: '历史保留期',
  text: '内容',
};

type ChangeKind = 'added' | 'removed' | 'changed';
const TAG: Record<ChangeKind, string> = { added: '新增', removed: '删除', changed: '修改' };

export function attributeLabel(attribute: string): string {
  const param = /^inputParameter\[(.+)\]$/.exec(attribute) ?? /^outputParameter\[(.+)\]$/.exec(attribute);
  if (param) return `${attribute.startsWith('input') ? '输入参数' : '输出参数'} ${param[1]}`;
  return ATTRIBUTE_LABEL[attribute] ?? attribute;
}

const value = (v: string | null) => (v === null || v === '' ? '（空）' : v);

function changeLine(c: Change) {
  return h('div', { class: 'diff-change' }, `${attributeLabel(c.attribute)}：`, h('del', {}, value(c.before)), ' → ', h('ins', {}, value(c.after)));
}

/** A rule row as “输入 | 输出” text. */
const rowText = (row: RuleRow | null | undefined) => (row ? `${row.inputs.join('，')} ⇒ ${row.outputs.join('，')}` : '');

function item(kind: ChangeKind, c: DiffItem, onReveal: (id: string) => void) {
  const title = `${TYPE_LABEL[c.type] ?? c.type}${c.name ? `“${c.name}”` : ''}（${c.id}）`;
  const details = c.type === 'rule' && kind !== 'changed' ? [h('div', { class: 'diff-change' }, rowText(c.after ?? c.before))] : c.changes.map(changeLine);
  return h('li', { 'data-element-id': c.id, onclick: () => onReveal(c.id) }, h('span', { class: `diff-tag ${kind}` }, TAG[kind]), title, ...details);
}

export function renderDiff(diff: Diff, onReveal: (id: string) => void): HTMLElement[] {
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  if (total === 0) return [h('p', {}, `版本 ${diff.from} 与版本 ${diff.to} 的内容相同（布局除外）`)];
  return [
    h('p', {}, `版本 ${diff.from} → 版本 ${diff.to}：新增 ${diff.added.length}，删除 ${diff.removed.length}，修改 ${diff.changed.length}`),
    h(
      'ul',
      { class: 'diff-list' },
      (['changed', 'added', 'removed'] as const).flatMap((kind) => diff[kind].map((c) => item(kind, c, onReveal))),
    ),
  ];
}
