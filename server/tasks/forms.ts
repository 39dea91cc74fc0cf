/**
 * What each human task accepts (VOCABULARY.md), checked again on the server whatever the form sent.
 * A task's submission is validated by its JSON schema, then against the data it refers to (units),
 * and turned into the engine variables and the work-order changes it stands for.
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { DataSource } from 'typeorm';
import { CATEGORIES, UnitEntity, type Category, type WorkOrder } from '../../core/db/entities';
import type { VariableValue } from '../../core/engine/client';
import { ValidationError } from '../../core/errors';

const GUIDE_REASONS = ['party', 'npc', 'cppcc', 'military', 'supervision', 'judicial', 'mass-org', 'legal-process', 'petition'];
const SATISFACTION = ['satisfied', 'basic', 'unsatisfied'];
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max, pattern: '\\S' });

const schemas: Record<string, object> = {
  dispatch: {
    type: 'object',
    required: ['disposition'],
    properties: {
      disposition: { enum: ['answer', 'dispatch', 'guide'] },
      answerText: text(2000),
      category: { enum: [...CATEGORIES] },
      leadUnitId: { type: 'string', maxLength: 40 },
      coUnitIds: { type: 'array', maxItems: 10, uniqueItems: true, items: { type: 'string', maxLength: 40 } },
      guideReason: { enum: GUIDE_REASONS },
      guideText: text(2000),
    },
    additionalProperties: false,
    allOf: [
      { if: { properties: { disposition: { const: 'answer' } } }, then: { required: ['answerText'] } },
      { if: { properties: { disposition: { const: 'dispatch' } } }, then: { required: ['category', 'leadUnitId'] } },
      { if: { properties: { disposition: { const: 'guide' } } }, then: { required: ['guideReason', 'guideText'] } },
    ],
  },
  handle: {
    type: 'object',
    required: ['outcome', 'feedback'],
    additionalProperties: false,
    properties: {
      outcome: { enum: ['feedback'] },
      feedback: {
        type: 'object',
        additionalProperties: false,
        required: ['handledAt', 'responsible', 'process', 'result', 'attachmentIds'],
        properties: {
          handledAt: { type: 'string', format: 'date-time' },
          responsible: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'title', 'phone'],
            properties: { name: text(50), title: text(50), phone: { type: 'string', pattern: '^\\+?[0-9][0-9-]{4,18}[0-9]$' } },
          },
          process: text(5000),
          result: text(5000),
          attachmentIds: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 64 } },
        },
      },
    },
  },
  review: {
    type: 'object',
    required: ['reviewOutcome'],
    additionalProperties: false,
    properties: { reviewOutcome: { enum: ['accept', 'reject'] }, reviewComment: text(2000) },
    if: { properties: { reviewOutcome: { const: 'reject' } } },
    then: { required: ['reviewComment'] },
  },
  revisit: {
    type: 'object',
    required: ['revisit'],
    additionalProperties: false,
    properties: {
      revisit: {
        type: 'object',
        additionalProperties: false,
        required: ['reached', 'solved', 'processSatisfaction', 'resultSatisfaction', 'truthful'],
        properties: {
          reached: { type: 'boolean' },
          solved: { type: 'boolean' },
          processSatisfaction: { enum: SATISFACTION },
          resultSatisfaction: { enum: SATISFACTION },
          truthful: { type: 'boolean' },
          comments: { type: 'string', maxLength: 2000 },
        },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);
const validators = Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, ajv.compile(s)]));

function fail(e: ErrorObject): never {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const child = (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (e.params as { additionalProperty?: string }).additionalProperty;
  const field = ['variables', path, child].filter(Boolean).join('.');
  if (e.keyword === 'required') throw new ValidationError(field, `缺少必填字段 ${field}`, `${field} is required`, 400);
  if (e.keyword === 'additionalProperties') throw new ValidationError(field, `不允许的字段 ${field}`, `${field} is not allowed`, 400);
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.join('、');
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

export async function prepareCompletion(taskKey: string, submitted: Record<string, unknown>, ds: DataSource, now: Date): Promise<Completion> {
  const validate = validators[taskKey];
  if (!validate) throw new ValidationError('taskDefinitionKey', `任务 ${taskKey} 没有可提交的表单`, `task ${taskKey} has no form`, 422);
  if (!validate(submitted)) fail(validate.errors![0]);
  const vars = submitted as Record<string, VariableValue>;
  if (taskKey !== 'dispatch' || submitted.disposition !== 'dispatch') return { variables: vars, patch: {}, countsAsDispatch: false };

  const units = ds.getRepository(UnitEntity);
  const lead = await units.findOneBy({ id: String(submitted.leadUnitId) });
  if (!lead || lead.level !== 2) throw new ValidationError('variables.leadUnitId', '牵头单位必须是已登记的二级网络单位', 'leadUnitId must be a level-2 unit', 422);
  for (const id of (submitted.coUnitIds as string[] | undefined) ?? []) {
    const co = await units.findOneBy({ id });
    if (!co || co.level !== 2 || co.id === lead.id) throw new ValidationError('variables.coUnitIds', `配合单位 ${id} 无效`, `coUnitIds: ${id} is not another level-2 unit`, 422);
  }
  return {
    variables: { ...vars, dispatchedAt: now.toISOString() },
    patch: { category: submitted.category as Category, leadUnitId: lead.id },
    countsAsDispatch: true,
  };
}
