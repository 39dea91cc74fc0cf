import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createCase, dispatchedCase, http, login, openTask, sql, type Reply } from './helpers';
import { stack } from './setup/stack';

const CLOCK = path.resolve(__dirname, '../../bpmn/case-clock.dmn');
const PROCESS = path.resolve(__dirname, '../../bpmn/hotline-case.bpmn');
const clockOriginal = readFileSync(CLOCK, 'utf8');
const processOriginal = readFileSync(PROCESS, 'utf8');

const latest = async (kind: string, key: string) =>
  (await http('GET', `/api/definitions/${kind}/${key}/versions`, { token: await login('admin') })).body.items[0];
const deadlineB = async () => (await http('GET', '/api/calendar/deadline?from=2026-11-26T10:00:00%2B08:00&category=B', { token: await login('office') })).body;

/**
 * Deploys through the server's API as the modeler does; `confirm` answers the server's question about running
 * work orders. Every comment is made unique: the engine skips a resource equal to the last one deployed under
 * the same deployment name, which would leave an edit in place instead of restoring bpmn/.
 */
const RUN = Date.now().toString(36);
async function deployFiles(user: string, comment: string, files: { name: string; content: string }[], confirm = false): Promise<Reply> {
  const form = new FormData();
  form.append('comment', `${comment} ${RUN}`);
  if (confirm) form.append('confirm', 'true');
  for (const f of files) form.append('files', new Blob([f.content], { type: 'application/xml' }), f.name);
  const res = await fetch(`${stack.api}/api/deployments`, { method: 'POST', headers: { authorization: `Bearer ${await login(user)}` }, body: form });
  return { status: res.status, body: await res.json() };
}

/** Puts bpmn/ back as the other integration tests expect it. */
let restores = 0;
async function restore(name: string, content: string) {
  const res = await deployFiles('admin', `恢复 bpmn/${name}（版本测试 ${++restores}）`, [{ name, content }], true);
  expect(res.status).toBe(201);
}

describe('the modeler compares and rolls back versions', () => {
  it('the diff between two caseClock versions names the changed B rule, and rolling back makes the older version the newest', async () => {
    const admin = await login('admin');
    const before = await latest('decision', 'caseClock');
    const edited = clockOriginal.replace(/(<outputEntry id="clockRuleBAmount"><text>)5(<\/text>)/, '$13$2');
    try {
      // given B = 3 deployed as the next version
      expect((await deployFiles('admin', 'B类时限改为3个工作日（版本测试）', [{ name: 'case-clock.dmn', content: edited }])).status).toBe(201);
      const changed = await latest('decision', 'caseClock');
      expect(changed.version).toBe(before.version + 1);

      // when the two versions are compared
      const diff = await http('GET', `/api/definitions/decision/caseClock/diff?from=${before.version}&to=${changed.version}`, { token: admin });

      // then only rule B changed, in the 时限 column, 5 → 3, with its row before and after
      expect(diff.status).toBe(200);
      expect(diff.body.added).toEqual([]);
      expect(diff.body.removed).toEqual([]);
      expect(diff.body.changed).toHaveLength(1);
      expect(diff.body.changed[0]).toMatchObject({ id: 'clockRuleB', type: 'rule', changes: [{ attribute: '时限', before: '5', after: '3' }] });
      expect(diff.body.changed[0].before.outputs).toContain('5');
      expect(diff.body.changed[0].after.outputs).toContain('3');

      // when the admin rolls back to the older version
      const res = await http('POST', `/api/definitions/decision/${before.id}/redeploy`, {
        token: admin,
        body: { comment: `回滚到版本 ${before.version}（版本测试）` },
      });

      // then its XML is deployed as the newest version, by the admin, and the B deadline is 5 working days again
      expect(res.status).toBe(201);
      expect(res.body.definitions).toEqual([{ key: 'caseClock', version: before.version + 2, kind: 'decision' }]);
      const newest = await latest('decision', 'caseClock');
      expect(newest).toMatchObject({ version: before.version + 2, deployedBy: 'admin', comment: `回滚到版本 ${before.version}（版本测试）` });
      const again = await http('GET', `/api/definitions/decision/caseClock/diff?from=${before.version}&to=${newest.version}`, { token: admin });
      expect(again.body).toMatchObject({ added: [], removed: [], changed: [] });
      expect(await deadlineB()).toMatchObject({ clockAmount: 5 });
    } finally {
      await restore('case-clock.dmn', clockOriginal);
    }
  });

  it('a BPMN diff names the changed timer and candidate groups; a non-admin may not compare', async () => {
    const before = await latest('process', 'hotlineCase');
    const edited = processOriginal
      .replace('camunda:candidateGroups="office,operator"', 'camunda:candidateGroups="office"')
      .replace(
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${policy.revisitSpacing}</bpmn:timeDuration>',
        '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT2H</bpmn:timeDuration>',
      );
    try {
      expect((await deployFiles('admin', '交办只限热线办（版本测试）', [{ name: 'hotline-case.bpmn', content: edited }])).status).toBe(201);
      const diff = await http('GET', `/api/definitions/process/hotlineCase/diff?from=${before.version}&to=${before.version + 1}`, {
        token: await login('admin'),
      });
      expect(diff.body.changed).toEqual(
        expect.arrayContaining([
          { id: 'dispatch', type: 'userTask', name: '分类交办', changes: [{ attribute: 'candidateGroups', before: 'office,operator', after: 'office' }] },
          {
            id: 'revisitRetryWait',
            type: 'intermediateCatchEvent',
            name: '间隔后再次回访',
            changes: [{ attribute: 'timeDuration', before: '${policy.revisitSpacing}', after: 'PT2H' }],
          },
        ]),
      );
      expect(diff.body.changed).toHaveLength(2);
      const office = await http('GET', `/api/definitions/process/hotlineCase/diff?from=${before.version}&to=${before.version + 1}`, {
        token: await login('office'),
      });
      expect(office.status).toBe(403);
    } finally {
      await restore('hotline-case.bpmn', processOriginal);
    }
  });
});

describe('running work orders on the diagram and between versions', () => {
  it('the live view counts a case waiting at dispatch, a dispatched case inside unitWork, and its overdue work order', async () => {
    // given a case waiting at dispatch and one dispatched to a unit (inside the collapsed sub-process unitWork)
    const waiting = await createCase('路灯不亮，晚上出行不便（运行监控测试）');
    await openTask(waiting.id, 'dispatch');
    const dispatched = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' }, '小区门口占道经营（运行监控测试）');
    const [{ due_at: dueAt }] = await sql(`select due_at from work_orders where id = $1`, [dispatched.id]);
    await sql(`update work_orders set due_at = now() - interval '1 hour' where id = $1`, [dispatched.id]);
    try {
      // when the admin opens the live view
      const live = await http('GET', '/api/definitions/process/hotlineCase/live', { token: await login('admin') });

      // then dispatch has the waiting case, and handle and its sub-process unitWork the overdue one
      expect(live.status).toBe(200);
      const a = live.body.activities;
      expect(a.dispatch.running).toBeGreaterThanOrEqual(1);
      expect(a.handle.running).toBeGreaterThanOrEqual(1);
      expect(a.handle.overdue).toBeGreaterThanOrEqual(1);
      expect(a.unitWork.running).toBeGreaterThanOrEqual(a.handle.running);
      expect(a.unitWork.overdue).toBeGreaterThanOrEqual(a.handle.overdue);
    } finally {
      await sql(`update work_orders set due_at = $2 where id = $1`, [dispatched.id, dueAt]);
    }
  });

  it('a case waiting at dispatch on an older hotlineCase version is migrated to the newest on demand', async () => {
    const admin = await login('admin');
    // given a case waiting at dispatch on the current version, then a newer version deployed
    const c = await createCase('噪音扰民（迁移测试）');
    await openTask(c.id, 'dispatch');
    const old = await latest('process', 'hotlineCase');
    const edited = processOriginal.replace('name="分类交办"', 'name="分类交办（新版）"');
    try {
      expect((await deployFiles('admin', '分类交办改名（迁移测试）', [{ name: 'hotline-case.bpmn', content: edited }])).status).toBe(201);
      const target = await latest('process', 'hotlineCase');
      const counts = await http('GET', '/api/definitions/process/hotlineCase/instances', { token: admin });
      expect(counts.body.versions.find((v: { version: number }) => v.version === old.version).running).toBeGreaterThanOrEqual(1);

      // when the admin migrates the older version's running cases to the newest
      const res = await http('POST', '/api/definitions/process/hotlineCase/migrate', {
        token: admin,
        body: { fromVersion: old.version, toVersion: target.version },
      });

      // then the case runs on the newest version, still waiting at dispatch, and the old version has none left
      expect(res.status).toBe(200);
      expect(res.body.migrated).toBeGreaterThanOrEqual(1);
      expect(res.body.versions.find((v: { version: number }) => v.version === old.version).running).toBe(0);
      const instance = await http('GET', `/process-instance/${c.processInstanceId}`, { base: stack.engine });
      expect(instance.body.definitionId).toBe(target.id);
      expect((await openTask(c.id, 'dispatch')).taskKey).toBe('dispatch');
    } finally {
      await restore('hotline-case.bpmn', processOriginal);
    }
  });

  it('a migration the engine refuses answers 422 in Chinese, naming the activity, and moves nothing', async () => {
    const admin = await login('admin');
    const c = await createCase('井盖缺失（迁移测试）');
    await openTask(c.id, 'dispatch');
    const old = await latest('process', 'hotlineCase');
    const renamed = processOriginal.replace(/"dispatch"/g, '"classifyAndDispatch"');
    try {
      // given a newer version where the task dispatch has another id (deployed with confirmation)
      expect((await deployFiles('admin', '分类交办换了标识（迁移测试）', [{ name: 'hotline-case.bpmn', content: renamed }], true)).status).toBe(201);
      const target = await latest('process', 'hotlineCase');
      const res = await http('POST', '/api/definitions/process/hotlineCase/migrate', {
        token: admin,
        body: { fromVersion: old.version, toVersion: target.version },
      });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('migration_refused');
      expect(res.body.problems).toContainEqual(
        expect.objectContaining({ activityId: 'dispatch', name: '分类交办', messages: [expect.stringContaining('目标版本中没有对应的环节')] }),
      );
      const instance = await http('GET', `/process-instance/${c.processInstanceId}`, { base: stack.engine });
      expect(instance.body.definitionId).toBe(old.id);
    } finally {
      await restore('hotline-case.bpmn', processOriginal);
    }
  });
});

describe('a deploy that takes something away from running work orders asks for confirmation', () => {
  it('removing the user task dispatch while a case waits there is answered 409 with the impacts; nothing is deployed', async () => {
    // given a case waiting at dispatch
    const c = await createCase('公交站牌损坏（部署确认测试）');
    await openTask(c.id, 'dispatch');
    const before = await latest('process', 'hotlineCase');
    const renamed = processOriginal.replace(/"dispatch"/g, '"classifyAndDispatch"');

    // when a diagram without the task dispatch is deployed without confirm
    const res = await deployFiles('admin', '删除分类交办（部署确认测试）', [{ name: 'hotline-case.bpmn', content: renamed }]);

    // then the server asks for confirmation, naming the task and the running cases, and deploys nothing
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'confirmation_required', message: { zh: expect.stringContaining('请确认') } });
    expect(res.body.impacts).toContainEqual(
      expect.objectContaining({
        kind: 'userTaskRemoved',
        processKey: 'hotlineCase',
        elementId: 'dispatch',
        name: '分类交办',
        runningInstances: expect.any(Number),
        message: expect.stringContaining('分类交办'),
      }),
    );
    expect((await latest('process', 'hotlineCase')).version).toBe(before.version);
  });
});
