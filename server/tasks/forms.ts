/**
 * What each human task accepts, checked again on the server whatever the client sent. The task's deployed
 * form-js form is the one source of its fields (server/tasks/form-validation.ts); PROCESS_RULES below
 * holds the few rules the process needs that a form cannot say. Then the submission is checked against
 * the work order and the data it refers to (units, attachments), and turned into the engine variables
 * and the work-order changes it stands for.
 */
import type { DataSource } from 'typeorm';
import { AttachmentEntity, UnitEntity, type Category, type Unit, type WorkOrder } from '../../core/db/entities';
import type { VariableValue } from '../../core/engine/client';
import { ValidationError } from '../../core/errors';
import type { GuideReason } from '../../core/policy/guide-reasons';
import { blank, checkSubmission, conditionData, isShown, type FormSchema } from './form-validation';

interface Answer {
  field: string;
  when?: { field: string; equals: unknown };
}
const REVISIT_ANSWERS: readonly Answer[] = [{ field: 'revisit.reached' }, { field: 'revisit.solved' }, { field: 'revisit.truthful' }];

/**
 * What the process needs that a form cannot say, in one place. Everything else a task accepts comes from
 * its deployed form (server/tasks/form-validation.ts).
 */
export const PROCESS_RULES = {
  /** Variables a submission may carry beside its form's fields, by task: none today. */
  allowed: {} as Record<string, readonly string[]>,
  /**
   * Answers required whenever the form shows them (and `when` holds), which a form cannot say: the
   * checkboxes the diagram's gateways read (`${extensionApproved}`, `${publish == true}`, revisit.reached,
   * revisit.truthful; a form-js checkbox cannot be required without meaning "must be ticked", and form-js
   * submits a shown checkbox as true or false), and the reason for a refused sign-off.
   */
  answers: {
    decideExtension: [{ field: 'extensionApproved' }],
    reviewReport: [{ field: 'publish' }],
    revisit: REVISIT_ANSWERS,
    unitRevisit: REVISIT_ANSWERS,
    leaderSignoff: [{ field: 'signoffComment', when: { field: 'signoffApproved', equals: false } }],
  } as Record<string, readonly Answer[]>,
  /** 配合单位 at most ten (R5.2). */
  maxCoUnits: 10,
} as const;

/** The task kinds the workbench completes and filters by (the user tasks of bpmn/*.bpmn with a form). */
export const FORM_TASKS = [
  'dispatch',
  'handle',
  'handleDelegated',
  'firstResponse',
  'coInput',
  'plan',
  'decideExtension',
  'decideReturn',
  'review',
  'revisit',
  'unitRevisit',
  'supervisionReply',
  'onsitePlan',
  'onsiteAtDispatch',
  'leaderInstruction',
  'leaderSignoff',
  'instructionFeedback',
  'reviewReport',
];

export interface Completion {
  variables: Record<string, VariableValue>;
  patch: Partial<WorkOrder>;
  countsAsDispatch: boolean;
}

/** The task being completed: its key, the form the engine resolves for it (formRef, latest binding) and its variables, which the form's conditions read. */
export interface TaskForm {
  taskKey: string;
  form: FormSchema | null;
  variables?: Record<string, unknown>;
}

const future = (field: string, iso: string, now: Date) => {
  if (Date.parse(iso) <= now.getTime()) throw new ValidationError(`variables.${field}`, `${field} 必须晚于当前时间`, `${field} must be in the future`, 422);
};

/** What the diagram decided for this case and the task must respect. */
export interface CaseRules {
  /** From caseClock: the feedback must carry a picture or document (五(四): every category by default). */
  attachmentRequired: boolean;
  /** From caseClock: the feedback names the unit's leader in charge, 主管领导 (四 D: category D by default). */
  leaderRequired?: boolean;
  /** From caseGuideReasons: the reasons this task may guide a caller away for. */
  guideReasons?: readonly GuideReason[];
}

/** A guided call names a reason the decision table offers at this task; its label goes with it into the record. */
function guided(v: Record<string, VariableValue>, rules: CaseRules): Completion {
  const reason = (rules.guideReasons ?? []).find((r) => r.value === v.guideReason);
  if (!reason) {
    const allowed = (rules.guideReasons ?? []).map((r) => r.value).join('、') || '（无）';
    throw new ValidationError(
      'variables.guideReason',
      `引导原因无效，可选值：${allowed}（见决策表 caseGuideReasons）`,
      `guideReason must be one of ${allowed} (decision caseGuideReasons)`,
      422,
    );
  }
  return { variables: { ...v, guideReasonLabel: reason.label }, patch: {}, countsAsDispatch: false };
}

/** The answers PROCESS_RULES requires of this task that the submission leaves out while its form shows them. */
function checkAnswers(taskKey: string, form: FormSchema, submitted: Record<string, unknown>, context: Record<string, unknown>): void {
  const data = conditionData(form, submitted, context);
  const at = (path: string) =>
    path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), data);
  for (const { field, when } of PROCESS_RULES.answers[taskKey] ?? []) {
    if (when && at(when.field) !== when.equals) continue;
    const value = at(field);
    if (blank(value) && isShown(form, field, data)) {
      const name = `variables.${field}`;
      throw new ValidationError(name, `缺少必填字段 ${name}`, `${name} is required`, 400);
    }
  }
}

/**
 * Checks a submission against its task's deployed form and the process rules, then against the work order
 * and the data it refers to (units, attachments), and turns it into the engine variables and the
 * work-order changes it stands for.
 */
export async function prepareCompletion(
  task: TaskForm,
  submitted: Record<string, unknown>,
  ds: DataSource,
  c: WorkOrder | null,
  now: Date,
  rules: CaseRules = { attachmentRequired: false },
): Promise<Completion> {
  const { taskKey, form } = task;
  if (!form) throw new ValidationError('taskDefinitionKey', `任务 ${taskKey} 没有可提交的表单`, `task ${taskKey} has no form`, 422);
  const context = task.variables ?? {};
  const options: Record<string, readonly string[]> = rules.guideReasons ? { guideReasons: rules.guideReasons.map((r) => r.value) } : {};
  checkSubmission(form, submitted, { context, options, allowed: PROCESS_RULES.allowed[taskKey] });
  checkAnswers(taskKey, form, submitted, context);
  // The form has just checked the submission's shape; its fields are read below by name.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const v = submitted as Record<string, VariableValue> & Record<string, any>;
  const unit = async (field: string, id: string, ok: (u: Unit) => boolean, zh: string, en: string): Promise<Unit> => {
    const u = await ds.getRepository(UnitEntity).findOneBy({ id });
    if (!u || !ok(u)) throw new ValidationError(`variables.${field}`, zh, en, 422);
    return u;
  };
  const attachmentsExist = async (ids: string[], field: string) => {
    if (ids.length === 0) return;
    const found = await ds
      .getRepository(AttachmentEntity)
      .createQueryBuilder('a')
      .where('a.id = ANY(:ids) AND a.case_id = :caseId', { ids, caseId: c!.id })
      .getCount();
    if (found !== ids.length)
      throw new ValidationError(`variables.${field}`, '附件不存在或不属于本工单', 'an attachment does not exist or belongs to another work order', 422);
  };
  const plain = { variables: v, patch: {}, countsAsDispatch: false };

  switch (taskKey) {
    case 'dispatch': {
      if (v.disposition === 'guide') return guided(v, rules);
      if (v.disposition !== 'dispatch') return plain;
      const lead = await unit('leadUnitId', v.leadUnitId, (u) => u.level === 2, '牵头单位必须是已登记的二级网络单位', 'leadUnitId must be a level-2 unit');
      const coUnitIds: string[] = v.coUnitIds ?? [];
      if (coUnitIds.length > PROCESS_RULES.maxCoUnits)
        throw new ValidationError(
          'variables.coUnitIds',
          `配合单位最多 ${PROCESS_RULES.maxCoUnits} 个`,
          `coUnitIds: at most ${PROCESS_RULES.maxCoUnits} units`,
          422,
        );
      for (const id of coUnitIds)
        await unit(
          'coUnitIds',
          id,
          (u) => u.level === 2 && u.id !== lead.id,
          `配合单位 ${id} 无效（须为牵头单位以外的二级网络单位）`,
          `coUnitIds: ${id} is not another level-2 unit`,
        );
      const dispatchCount = (c?.dispatchCount ?? 0) + 1;
      return {
        variables: { ...v, coUnitIds, dispatchedAt: now.toISOString(), dispatchCount },
        patch: { category: v.category as Category, leadUnitId: lead.id, coUnitIds, delegatedUnitId: null },
        countsAsDispatch: true,
      };
    }
    case 'handle': {
      if (v.outcome === 'delegate') {
        await unit(
          'subUnitId',
          v.subUnitId,
          (u) => u.level === 3 && u.parentId === c?.leadUnitId,
          '只能转派给本单位的三级网络单位',
          'subUnitId must be a level-3 unit of the lead unit',
        );
        return { variables: v, patch: { delegatedUnitId: v.subUnitId }, countsAsDispatch: false };
      }
      if (v.outcome === 'extend') future('requestedDueAt', v.requestedDueAt, now);
      if (v.outcome === 'feedback') {
        const ids: string[] = v.feedback.attachmentIds ?? [];
        if (rules.attachmentRequired && ids.length === 0) {
          throw new ValidationError(
            'variables.feedback.attachmentIds',
            '反馈须上传办理过程图片或书面材料（至少一份）',
            'the feedback needs at least one picture or document (caseClock: attachmentRequired)',
            422,
          );
        }
        if (rules.leaderRequired && !v.feedback.leader) {
          throw new ValidationError(
            'variables.feedback.leader',
            '反馈须写明本单位主管领导的姓名和职务',
            "the feedback needs the unit's leader in charge, name and title (caseClock: leaderRequired)",
            422,
          );
        }
        await attachmentsExist(ids, 'feedback.attachmentIds');
      }
      return plain;
    }
    case 'firstResponse':
      // 四 D 第一时间: the moment of the first response goes into the timeline
      return { variables: { ...v, firstRespondedAt: now.toISOString() }, patch: {}, countsAsDispatch: false };
    case 'handleDelegated':
      await attachmentsExist(v.feedback.attachmentIds ?? [], 'feedback.attachmentIds');
      return plain;
    case 'plan':
      future('plannedDoneAt', v.plannedDoneAt, now);
      return plain;
    case 'decideExtension':
      if (v.extensionApproved) future('newDueAt', v.newDueAt, now);
      // R5.6.2 原则上: lifting the limit lets this case's next application reach the office; each decision says it again
      return { variables: { ...v, extensionLimitLifted: v.extensionLimitLifted === true }, patch: {}, countsAsDispatch: false };
    case 'decideReturn': {
      if (v.returnDecision === 'guide') return guided(v, rules);
      if (v.returnDecision !== 'redispatch') return plain;
      await unit(
        'redispatchUnitId',
        v.redispatchUnitId,
        (u) => u.level === 2 && u.id !== c?.leadUnitId,
        '重新交办的单位必须是原单位以外的二级网络单位',
        'redispatchUnitId must be another level-2 unit',
      );
      const dispatchCount = (c?.dispatchCount ?? 0) + 1;
      return {
        variables: { ...v, leadUnitId: v.redispatchUnitId, dispatchedAt: now.toISOString(), dispatchCount },
        patch: { leadUnitId: v.redispatchUnitId, delegatedUnitId: null },
        countsAsDispatch: true,
      };
    }
    case 'supervisionReply':
    case 'onsitePlan':
    case 'onsiteAtDispatch':
      await attachmentsExist(v.attachmentIds ?? [], 'attachmentIds');
      return plain;
    default:
      return plain;
  }
}
