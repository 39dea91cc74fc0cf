/**
 * What each human task accepts (VOCABULARY.md), checked again on the server whatever the form sent.
 * A submission is validated by its task's JSON schema, then against the work order and the data it
 * refers to (units, attachments), and turned into the engine variables and the work-order changes it
 * stands for.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { DataSource } from 'typeorm';
import { AttachmentEntity, CATEGORIES, PHONE, UnitEntity, type Category, type Unit, type WorkOrder } from '../../core/db/entities';
import type { VariableValue } from '../../core/engine/client';
import { ValidationError } from '../../core/errors';
import type { GuideReason } from '../../core/policy/guide-reasons';
import { SATISFACTIONS, TRANSFER_TARGETS } from '../../core/vocabulary';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });
const phone = { type: 'string', pattern: `^${PHONE}$` };
const instant = { type: 'string', format: 'date-time' };
const person = { type: 'object', additionalProperties: false, required: ['name', 'title', 'phone'], properties: { name: text(50), title: text(50), phone } };
const attachmentIds = { type: 'array', maxItems: 20, uniqueItems: true, items: { type: 'string', format: 'uuid' } };
/** 主管领导: the unit's leader in charge of the case (四 D), by name and title. */
const leader = { type: 'object', additionalProperties: false, required: ['name', 'title'], properties: { name: text(50), title: text(50) } };
const feedback = {
  type: 'object',
  additionalProperties: false,
  required: ['handledAt', 'responsible', 'process', 'result', 'attachmentIds'],
  properties: { handledAt: instant, responsible: person, leader, process: text(5000), result: text(5000), attachmentIds },
};
const when = (field: string, value: string, requiredFields: string[]) => ({
  if: { properties: { [field]: { const: value } }, required: [field] },
  then: { required: requiredFields },
});

const schemas: Record<string, object> = {
  dispatch: {
    type: 'object',
    required: ['disposition'],
    additionalProperties: false,
    properties: {
      disposition: { enum: ['answer', 'dispatch', 'guide'] },
      answerText: text(2000),
      category: { enum: [...CATEGORIES] },
      leadUnitId: { type: 'string', maxLength: 40 },
      coUnitIds: { type: 'array', maxItems: 10, uniqueItems: true, items: { type: 'string', maxLength: 40 } },
      guideReason: { type: 'string', minLength: 1, maxLength: 40 },
      guideText: text(2000),
    },
    allOf: [
      when('disposition', 'answer', ['answerText']),
      when('disposition', 'dispatch', ['category', 'leadUnitId']),
      when('disposition', 'guide', ['guideReason', 'guideText']),
    ],
  },
  handle: {
    type: 'object',
    required: ['outcome'],
    additionalProperties: false,
    properties: {
      outcome: { enum: ['feedback', 'delegate', 'return', 'extend'] },
      feedback,
      subUnitId: { type: 'string', maxLength: 40 },
      returnReason: text(2000),
      returnBasis: text(2000),
      extensionReason: text(2000),
      requestedDueAt: instant,
    },
    allOf: [
      when('outcome', 'feedback', ['feedback']),
      when('outcome', 'delegate', ['subUnitId']),
      when('outcome', 'return', ['returnReason', 'returnBasis']),
      when('outcome', 'extend', ['extensionReason', 'requestedDueAt']),
    ],
  },
  handleDelegated: { type: 'object', required: ['feedback'], additionalProperties: false, properties: { feedback } },
  firstResponse: { type: 'object', additionalProperties: false, properties: { firstResponseNote: { type: 'string', maxLength: 2000 } } },
  coInput: { type: 'object', required: ['coOpinion'], additionalProperties: false, properties: { coOpinion: text(5000) } },
  plan: {
    type: 'object',
    required: ['situation', 'plan', 'plannedDoneAt'],
    additionalProperties: false,
    properties: { situation: text(5000), plan: text(5000), plannedDoneAt: instant },
  },
  decideExtension: {
    type: 'object',
    required: ['extensionApproved', 'decisionComment'],
    additionalProperties: false,
    properties: {
      extensionApproved: { type: 'boolean' },
      newDueAt: instant,
      decisionComment: text(2000),
      extensionLimitLifted: { type: 'boolean' },
      extensionLimitReason: text(2000),
    },
    allOf: [
      { if: { properties: { extensionApproved: { const: true } } }, then: { required: ['newDueAt'] } },
      { if: { properties: { extensionLimitLifted: { const: true } }, required: ['extensionLimitLifted'] }, then: { required: ['extensionLimitReason'] } },
    ],
  },
  decideReturn: {
    type: 'object',
    required: ['returnDecision', 'decisionComment'],
    additionalProperties: false,
    properties: {
      returnDecision: { enum: ['redispatch', 'keep', 'guide'] },
      redispatchUnitId: { type: 'string', maxLength: 40 },
      guideReason: { type: 'string', minLength: 1, maxLength: 40 },
      guideText: text(2000),
      decisionComment: text(2000),
    },
    allOf: [when('returnDecision', 'redispatch', ['redispatchUnitId']), when('returnDecision', 'guide', ['guideReason', 'guideText'])],
  },
  review: {
    type: 'object',
    required: ['reviewOutcome'],
    additionalProperties: false,
    properties: {
      reviewOutcome: { enum: ['accept', 'reject'] },
      reviewComment: text(2000),
      conductIssue: { type: 'boolean' },
      transferTo: { enum: TRANSFER_TARGETS },
    },
    allOf: [
      when('reviewOutcome', 'reject', ['reviewComment']),
      { if: { properties: { conductIssue: { const: true } }, required: ['conductIssue'] }, then: { required: ['transferTo'] } },
    ],
  },
  revisit: {
    type: 'object',
    required: ['revisit'],
    additionalProperties: false,
    properties: {
      revisit: {
        type: 'object',
        additionalProperties: false,
        required: ['reached'],
        properties: {
          reached: { type: 'boolean' },
          solved: { type: 'boolean' },
          processSatisfaction: { enum: SATISFACTIONS },
          resultSatisfaction: { enum: SATISFACTIONS },
          truthful: { type: 'boolean' },
          comments: { type: 'string', maxLength: 2000 },
        },
        if: { properties: { reached: { const: true } } },
        then: { required: ['solved', 'processSatisfaction', 'resultSatisfaction', 'truthful'] },
      },
    },
  },
  supervisionReply: {
    type: 'object',
    required: ['responsibleLeader', 'responsiblePerson', 'reply'],
    additionalProperties: false,
    properties: { responsibleLeader: person, responsiblePerson: person, reply: text(5000), attachmentIds },
  },
  leaderInstruction: {
    type: 'object',
    required: ['leaderName', 'instruction'],
    additionalProperties: false,
    properties: { leaderName: text(50), instruction: text(5000) },
  },
  leaderSignoff: {
    type: 'object',
    required: ['signoffApproved'],
    additionalProperties: false,
    properties: { signoffApproved: { type: 'boolean' }, signoffComment: text(2000) },
    if: { properties: { signoffApproved: { const: false } } },
    then: { required: ['signoffComment'] },
  },
  reviewReport: {
    type: 'object',
    required: ['publish'],
    additionalProperties: false,
    properties: { publish: { type: 'boolean' }, comment: { type: 'string', maxLength: 2000 } },
  },
};
// The on-site work plan (when overdue, or at once on a repeated dispatch) answers like a written notice: the responsible leader and person, and the plan.
schemas.onsitePlan = schemas.supervisionReply;
schemas.onsiteAtDispatch = schemas.supervisionReply;
// The level-2 unit's revisit (R5.5, when casePolicy says so) records the same answers as the office's.
schemas.unitRevisit = schemas.revisit;

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
const validators = Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, ajv.compile(s)]));

function fail(e: ErrorObject): never {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  const field = ['variables', path, params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.');
  if (e.keyword === 'required') throw new ValidationError(field, `缺少必填字段 ${field}`, `${field} is required`, 400);
  if (e.keyword === 'additionalProperties') throw new ValidationError(field, `不允许的字段 ${field}`, `${field} is not allowed`, 400);
  if (e.keyword === 'enum') {
    const allowed = params.allowedValues!.join('、');
    throw new ValidationError(field, `字段 ${field} 的取值无效，可选值：${allowed}`, `${field} must be one of ${allowed}`, 400);
  }
  throw new ValidationError(field, `字段 ${field} 不符合要求`, `${field} ${e.message ?? 'is invalid'}`, 400);
}

export interface Completion {
  variables: Record<string, VariableValue>;
  patch: Partial<WorkOrder>;
  countsAsDispatch: boolean;
}

export const FORM_TASKS = Object.keys(schemas);

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

export async function prepareCompletion(
  taskKey: string,
  submitted: Record<string, unknown>,
  ds: DataSource,
  c: WorkOrder | null,
  now: Date,
  rules: CaseRules = { attachmentRequired: false },
): Promise<Completion> {
  const validate = validators[taskKey];
  if (!validate) throw new ValidationError('taskDefinitionKey', `任务 ${taskKey} 没有可提交的表单`, `task ${taskKey} has no form`, 422);
  if (!validate(submitted)) fail(validate.errors![0]);
  // The task's schema has just checked the submission's shape; its fields are read below by name.
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
        const ids: string[] = v.feedback.attachmentIds;
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
      await attachmentsExist(v.feedback.attachmentIds, 'feedback.attachmentIds');
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
