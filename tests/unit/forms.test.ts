import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { ValidationError } from '../../core/errors';
import { prepareCompletion, type TaskForm } from '../../server/tasks/forms';
import type { FormSchema } from '../../server/tasks/form-validation';

// The forms as bpmn/ deploys them, each task with the form its camunda:formRef names.
const BPMN = path.resolve(__dirname, '../../bpmn');
const formsById = new Map(
  readdirSync(BPMN)
    .filter((f) => f.endsWith('.form'))
    .map((f) => JSON.parse(readFileSync(path.join(BPMN, f), 'utf8')) as FormSchema)
    .map((f) => [f.id, f]),
);
const diagrams = readdirSync(BPMN)
  .filter((f) => f.endsWith('.bpmn'))
  .map((f) => readFileSync(path.join(BPMN, f), 'utf8'))
  .join('\n');
const task = (taskKey: string, variables?: Record<string, unknown>): TaskForm => {
  const ref = new RegExp(`<bpmn:userTask id="${taskKey}"[^>]*camunda:formRef="([^"]+)"`).exec(diagrams)?.[1];
  return { taskKey, form: (ref && formsById.get(ref)) || null, variables };
};

const noDb = {} as DataSource;
const now = new Date('2026-11-26T02:00:00Z');

async function fieldOf(taskKey: string, vars: Record<string, unknown>): Promise<string> {
  try {
    await prepareCompletion(task(taskKey), vars, noDb, null, now);
  } catch (e) {
    if (e instanceof ValidationError) return e.field;
    throw e;
  }
  throw new Error('expected a validation error');
}

describe('task submissions follow VOCABULARY.md', () => {
  it('review: a reject needs its comment', async () => {
    expect(await fieldOf('review', { reviewOutcome: 'reject' })).toBe('variables.reviewComment');
    expect(await fieldOf('review', { reviewOutcome: 'maybe' })).toBe('variables.reviewOutcome');
    await expect(prepareCompletion(task('review'), { reviewOutcome: 'accept' }, noDb, null, now)).resolves.toMatchObject({
      variables: { reviewOutcome: 'accept' },
    });
  });

  it('revisit: every answer is recorded, satisfaction on the three-point scale', async () => {
    const revisit = { reached: true, solved: true, processSatisfaction: 'satisfied', resultSatisfaction: 'great', truthful: true };
    expect(await fieldOf('revisit', { revisit })).toBe('variables.revisit.resultSatisfaction');
    expect(await fieldOf('revisit', { revisit: { ...revisit, resultSatisfaction: 'basic', truthful: undefined } })).toBe('variables.revisit.truthful');
  });

  it('handle: feedback carries the responsible person', async () => {
    const feedback = {
      handledAt: '2026-11-27T10:00:00+08:00',
      responsible: { name: '李明', title: '队长' },
      process: '核查',
      result: '已处理',
      attachmentIds: [],
    };
    expect(await fieldOf('handle', { outcome: 'feedback', feedback })).toBe('variables.feedback.responsible.phone');
  });

  it('R4.D.2 handle: a D feedback (caseClock.leaderRequired) names the 主管领导, name and title', async () => {
    const feedback = {
      handledAt: '2026-11-27T10:00:00+08:00',
      responsible: { name: '李明', title: '队长', phone: '0375-2345678' },
      process: '核查',
      result: '已处理',
      attachmentIds: [],
    };
    // The handle form shows the 主管领导 group when caseClock says leaderRequired (its condition reads the task's `clock`),
    // so the form now says it is required (400, like any required field); the process rule stays behind it (422).
    const rules = { attachmentRequired: false, leaderRequired: true };
    const dClock = { clock: { leaderRequired: true } };
    await expect(prepareCompletion(task('handle', dClock), { outcome: 'feedback', feedback }, noDb, null, now, rules)).rejects.toMatchObject({
      field: 'variables.feedback.leader',
      statusCode: 400,
    });
    await expect(prepareCompletion(task('handle'), { outcome: 'feedback', feedback }, noDb, null, now, rules)).rejects.toMatchObject({
      field: 'variables.feedback.leader',
      statusCode: 422,
    });
    const leaderOf = async (leader: Record<string, unknown>, variables?: Record<string, unknown>) => {
      try {
        await prepareCompletion(task('handle', variables), { outcome: 'feedback', feedback: { ...feedback, leader } }, noDb, null, now);
      } catch (e) {
        return e instanceof ValidationError ? [e.field, e.statusCode] : e;
      }
      return 'accepted';
    };
    expect(await leaderOf({ name: '王强' }, dClock)).toEqual(['variables.feedback.leader.title', 400]);
    // where the form hides the group (no leaderRequired), a leader is not accepted
    expect(await leaderOf({ name: '王强', title: '副局长' })).toEqual(['variables.feedback.leader', 422]);
    await expect(
      prepareCompletion(
        task('handle', dClock),
        { outcome: 'feedback', feedback: { ...feedback, leader: { name: '王强', title: '副局长' } } },
        noDb,
        null,
        now,
        rules,
      ),
    ).resolves.toBeTruthy();
  });

  it('dispatch: answer and guide need their texts, guideReason its vocabulary', async () => {
    expect(await fieldOf('dispatch', { disposition: 'answer' })).toBe('variables.answerText');
    expect(await fieldOf('dispatch', { disposition: 'guide', guideReason: 'church', guideText: '…' })).toBe('variables.guideReason');
    expect(await fieldOf('dispatch', { disposition: 'dispatch', leadUnitId: 'xinhua' })).toBe('variables.category');
  });

  it('guide: the reason is one the decision table offers, and its label goes into the record', async () => {
    const guideReasons = [{ value: 'petition', label: '信访事项', advice: null }];
    const guide = { disposition: 'guide', guideReason: 'petition', guideText: '请向信访部门反映' };
    await expect(prepareCompletion(task('dispatch'), guide, noDb, null, now, { attachmentRequired: false, guideReasons })).resolves.toMatchObject({
      variables: { guideReasonLabel: '信访事项' },
    });
    await expect(
      prepareCompletion(task('dispatch'), { ...guide, guideReason: 'party' }, noDb, null, now, { attachmentRequired: false, guideReasons }),
    ).rejects.toMatchObject({ field: 'variables.guideReason', statusCode: 422 });
  });

  it('a task without a form cannot be completed through the API', async () => {
    expect(await fieldOf('unknownTask', {})).toBe('taskDefinitionKey');
  });
});

describe('the diagram decides what a feedback must carry', () => {
  const feedback = {
    handledAt: '2026-11-27T10:00:00+08:00',
    responsible: { name: '李明', title: '队长', phone: '0375-2345678' },
    process: '核查',
    result: '已处理',
    attachmentIds: [],
  };

  it('caseClock attachmentRequired: a feedback without attachment is refused, naming attachmentIds', async () => {
    await expect(prepareCompletion(task('handle'), { outcome: 'feedback', feedback }, noDb, null, now, { attachmentRequired: true })).rejects.toMatchObject({
      field: 'variables.feedback.attachmentIds',
      statusCode: 422,
    });
  });

  it('without it, the same feedback is accepted', async () => {
    await expect(prepareCompletion(task('handle'), { outcome: 'feedback', feedback }, noDb, null, now, { attachmentRequired: false })).resolves.toMatchObject({
      countsAsDispatch: false,
    });
  });
});
