/**
 * The modeler's task forms: listed from the deployments with the user tasks that link them, edited and
 * deployed through the deployment API, and served to the next task that uses them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stack } from './setup/stack';
import { answer, complete, deployFiles, dispatchedCase, engineAuthorization, http, login, openTask, waitFor, waitForStatus, withEditedFile } from './helpers';

const REVIEW = readFileSync(path.resolve(__dirname, '../../bpmn/review.form'), 'utf8');
// Unique per run: every test file shares one running system.
const RUN = Date.now().toString(36);

const withComponent = (component: Record<string, unknown>) => {
  const form = JSON.parse(REVIEW) as { components: Record<string, unknown>[] };
  return JSON.stringify({ ...form, components: [...form.components, component] }, null, 2);
};

describe('task forms in the modeler', () => {
  it('lists each form at its latest version with the user tasks that link it; admins only', async () => {
    const res = await http('GET', '/api/forms', { token: await login('admin') });
    expect(res.status).toBe(200);
    const dispatch = res.body.items.find((f: { formId: string }) => f.formId === 'form-dispatch');
    expect(dispatch).toMatchObject({ resourceName: 'dispatch.form', version: expect.any(Number), deploymentId: expect.any(String) });
    expect(dispatch.usedBy).toContainEqual({ processKey: 'hotlineCase', taskId: 'dispatch', name: '分类交办' });
    // one form may serve several tasks
    const revisit = res.body.items.find((f: { formId: string }) => f.formId === 'form-revisit');
    expect(revisit.usedBy.map((u: { taskId: string }) => u.taskId).sort()).toEqual(['revisit', 'unitRevisit']);

    expect((await http('GET', '/api/forms', { token: await login('office') })).status).toBe(403);
    const missing = await http('GET', '/api/forms/form-nowhere', { token: await login('admin') });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', field: 'formId' });
  });

  it('an edited review form deployed through the API becomes a new version, and a new review task shows it', async () => {
    const admin = await login('admin');
    const before = (await http('GET', '/api/forms/form-review', { token: admin })).body;
    expect(before.schema.id).toBe('form-review');
    const hint = { id: 'reviewHint', type: 'text', text: `请逐项核对办理反馈（集成测试 ${RUN}）` };
    try {
      const deployed = await deployFiles('admin', `审核表单增加提示（集成测试 ${RUN}）`, [{ name: 'review.form', content: withComponent(hint) }]);
      expect(deployed.status).toBe(201);
      const after = (await http('GET', '/api/forms/form-review', { token: admin })).body;
      expect(after).toMatchObject({
        formId: 'form-review',
        resourceName: 'review.form',
        version: before.version + 1,
        deploymentId: deployed.body.deploymentId,
      });
      expect(after.schema.components).toContainEqual(hint);
      expect(after.usedBy).toEqual([{ processKey: 'hotlineCase', taskId: 'review', name: '审核办理结果' }]);

      // a case walked to review gets the new version of the form
      const c = await dispatchedCase({ category: 'B', leadUnitId: 'jiaxian' });
      await answer('jiaxian', c.id);
      await waitForStatus(c.id, 'reviewing');
      const task = await openTask(c.id, 'review');
      const form = await http('GET', `/api/tasks/${task.id}/form`, { token: await login('office') });
      expect(form.status).toBe(200);
      expect(form.body.form.components).toContainEqual(hint);
    } finally {
      expect((await deployFiles('admin', `恢复 bpmn/review.form（集成测试 ${RUN}）`, [{ name: 'review.form', content: REVIEW }])).status).toBe(201);
    }
    const restored = (await http('GET', '/api/forms/form-review', { token: admin })).body;
    expect(restored.version).toBe(before.version + 2);
    expect(restored.schema).toEqual(JSON.parse(REVIEW));
  });

  it('a form with a duplicate key is refused with 422 naming the key, and no version is made', async () => {
    const admin = await login('admin');
    const before = (await http('GET', '/api/forms/form-review', { token: admin })).body;
    const duplicate = { id: 'secondComment', type: 'textfield', key: 'reviewComment', label: '补充意见' };
    const res = await deployFiles('admin', `重复字段键（集成测试 ${RUN}）`, [{ name: 'review.form', content: withComponent(duplicate) }]);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('lint_failed');
    expect(res.body.problems).toEqual([{ file: 'review.form', elementId: 'secondComment', message: expect.stringContaining('“reviewComment”重复') }]);
    expect((await http('GET', '/api/forms/form-review', { token: admin })).body.version).toBe(before.version);
  });

  it('a form nested 30,000 deep, or with a pattern that does not compile or may backtrack catastrophically, is refused with 422 naming it; the lint route answers the same', async () => {
    const admin = await login('admin');
    const n = 30_000;
    const deep = REVIEW.replace('"components": [', `"components": [${'{"id":"deepGroup","type":"group","components":['.repeat(n)}${']}'.repeat(n)},`);
    const pattern = (p: string) => withComponent({ id: 'reviewCode', type: 'textfield', key: 'reviewCode', validate: { pattern: p } });
    for (const [content, elementId, message] of [
      [deep, 'deepGroup', '嵌套超过'],
      [pattern('['), 'reviewCode', '无法编译'],
      [pattern('^(a+)+$'), 'reviewCode', '灾难性回溯'],
    ]) {
      const lint = await http('POST', '/api/deployments/lint', { token: admin, body: { files: [{ name: 'review.form', content }] } });
      expect(lint.status).toBe(200);
      expect(lint.body.problems).toEqual([{ file: 'review.form', elementId, message: expect.stringContaining(message) }]);
      const res = await deployFiles('admin', `不可用的表单（集成测试 ${RUN}）`, [{ name: 'review.form', content }]);
      expect(res.status).toBe(422);
      expect(res.body.problems).toEqual(lint.body.problems);
    }
  });

  it('a review form deployed before lint refused its patterns (straight to the engine): completion skips those patterns at once, checks the rest, and never answers 500', async () => {
    const content = JSON.stringify({
      ...JSON.parse(REVIEW),
      components: [
        ...(JSON.parse(REVIEW) as { components: unknown[] }).components,
        { id: 'reviewBroken', type: 'textfield', key: 'reviewBroken', validate: { maxLength: 30, pattern: '[' } },
        { id: 'reviewEvil', type: 'textfield', key: 'reviewEvil', validate: { maxLength: 30, pattern: '^(a+)+$' } },
      ],
    });
    const form = new FormData();
    form.append('deployment-name', `pre-lint-review-form-${RUN}`);
    form.append('data', new Blob([content], { type: 'application/json' }), 'review.form');
    const engineDeploy = await fetch(`${stack.engine}/deployment/create`, { method: 'POST', headers: { authorization: engineAuthorization() }, body: form });
    expect(engineDeploy.status).toBe(200);
    try {
      const c = await dispatchedCase({ category: 'B', leadUnitId: 'jiaxian' });
      await answer('jiaxian', c.id);
      await waitForStatus(c.id, 'reviewing');
      const tooLong = await complete('office', c.id, 'review', { reviewOutcome: 'accept', reviewEvil: 'a'.repeat(31) });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.field).toBe('variables.reviewEvil');
      const text = `${'a'.repeat(26)}!`;
      const done = await complete('office', c.id, 'review', { reviewOutcome: 'accept', reviewBroken: text, reviewEvil: text });
      expect(done.status).toBe(204);
    } finally {
      expect((await deployFiles('admin', `恢复 bpmn/review.form（集成测试 ${RUN}）`, [{ name: 'review.form', content: REVIEW }])).status).toBe(201);
    }
  });

  it('a required field added to a deployed form is validated on completion with no code change, and its variable reaches the engine', async () => {
    const checker = { id: 'reviewChecker', type: 'textfield', key: 'reviewChecker', label: '核查人', validate: { required: true, maxLength: 20 } };
    await withEditedFile(
      'review.form',
      /"components": \[/,
      `"components": [${JSON.stringify(checker)},`,
      `审核表单增加必填字段（集成测试 ${RUN}）`,
      async () => {
        const c = await dispatchedCase({ category: 'B', leadUnitId: 'jiaxian' });
        await answer('jiaxian', c.id);
        await waitForStatus(c.id, 'reviewing');
        const task = await openTask(c.id, 'review');

        const without = await complete('office', c.id, 'review', { reviewOutcome: 'accept' });
        expect(without.status).toBe(400);
        expect(without.body.error).toMatchObject({ code: 'invalid_input', field: 'variables.reviewChecker' });
        const tooLong = await complete('office', c.id, 'review', { reviewOutcome: 'accept', reviewChecker: '张'.repeat(21) });
        expect(tooLong.status).toBe(400);
        expect(tooLong.body.error.field).toBe('variables.reviewChecker');
        // a variable the form does not have is still refused, naming it
        const unknown = await complete('office', c.id, 'review', { reviewOutcome: 'accept', reviewChecker: '张三', reviewer: '李四' });
        expect(unknown.status).toBe(422);
        expect(unknown.body.error.field).toBe('variables.reviewer');
        expect((await openTask(c.id, 'review')).id).toBe(task.id);

        expect((await complete('office', c.id, 'review', { reviewOutcome: 'accept', reviewChecker: '张三' })).status).toBe(204);
        const recorded = await waitFor('reviewChecker in the engine', async () => {
          const r = await http('GET', `/history/variable-instance?processInstanceId=${c.processInstanceId}&variableName=reviewChecker`, { base: stack.engine });
          return r.body?.[0];
        });
        expect(recorded.value).toBe('张三');
      },
    );
  });
});
