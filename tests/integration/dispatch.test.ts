/**
 * Smart dispatch against the running system: suggestions cold (the 派单目录), the model trained through the
 * BPMN process from imported history, suggestions from it, and the suggestion recorded at intake.
 */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { complete, createCase, dispatchedCase, http, importCases, login, openTask, sql, waitFor } from './helpers';
import { createCaseRepository, type CaseRepository, type IntakeSuggestion } from '../../core/cases/repository';
import { loadConfig } from '../../core/config';
import { createDataSource } from '../../core/db/data-source';
import { createDispatchSuggester } from '../../core/dispatch/suggester';
import { createModelStore } from '../../core/dispatch/store';
import { EngineClient } from '../../core/engine/client';
import { serviceAccount } from '../../core/engine/credentials';
import { startVariables } from '../../core/operations/intake';
import { enqueue } from '../../core/operations/outbox';
import { SQL } from '../../core/reports/indicators';
import { caseSuggestWorker } from '../../workers/topics/dispatch';
import { stack } from './setup/stack';

// A history written for this test: lead units the office chose for calls like these.
const HISTORY: [string, string][] = [
  ...['小区垃圾清运不及时', '楼下垃圾堆了好几天没人收', '垃圾桶满了没人清理', '街道垃圾乱堆', '垃圾站臭气熏天', '路边垃圾没人扫'].map((t): [string, string] => [
    t,
    'city-mgmt',
  ]),
  ...['学校乱收补课费', '学校强制订购教辅资料', '幼儿园收费太高', '老师有偿补课', '学校收取赞助费', '中学乱收费'].map((t): [string, string] => [
    t,
    'education',
  ]),
  ...['公司拖欠工资', '老板欠薪不给', '单位不给交社保', '工资被克扣', '农民工工资拖欠', '辞职后工资不发'].map((t): [string, string] => [t, 'hrss']),
];

const csv = (rows: [string, string][]) =>
  [
    '诉求内容,承办单位,受理时间,办结时间,分类',
    ...rows.flatMap(([text, unit]) => [1, 2, 3].map((n) => `${text}（第${n}次）,${unit},2025-03-0${n} 09:00,2025-03-0${n + 2} 17:00,B`)),
  ].join('\n');

describe('dispatch suggestions and the dispatch model', () => {
  let office: string;
  let admin: string;
  beforeAll(async () => {
    [office, admin] = await Promise.all([login('office'), login('admin')]);
  });
  // The other test files expect the catalogue alone: the model trained here goes, and every server drops it within a second.
  afterAll(async () => {
    await sql(`DELETE FROM dispatch_models`);
    await new Promise((r) => setTimeout(r, 1500));
  });

  it('given no history, when a street light or an emergency is typed, then the catalogue suggests the unit, the candidates and D for the emergency', async () => {
    const light = await http('GET', `/api/suggestions?content=${encodeURIComponent('小区门口路灯坏了')}`, { token: office });
    expect(light.status).toBe(200);
    expect(light.body.unitId).toEqual(expect.any(String));
    expect(light.body.unitName).toEqual(expect.any(String));
    expect(light.body.candidates.length).toBeGreaterThan(0);
    expect(light.body.candidates.length).toBeLessThanOrEqual(3);
    expect(light.body.candidates[0]).toMatchObject({ unitId: light.body.unitId, score: expect.any(Number), reason: expect.stringContaining('派单目录') });

    const gas = await http('POST', '/api/suggestions', { token: office, body: { content: '楼道里闻到很大的煤气味，邻居家没人', address: '新华区矿工路' } });
    expect(gas.status).toBe(200);
    expect(gas.body).toMatchObject({ category: 'D', unitId: 'gas' });
    expect(gas.body.categoryReason).toContain('紧急');
  });

  it('given long or bad input, when asked, then 5,000 characters are answered and more, empty or a stranger are refused in the one error shape', async () => {
    const long = '小区门口路灯坏了'.repeat(625);
    expect((await http('POST', '/api/suggestions', { token: office, body: { content: long } })).status).toBe(200);
    // the same 5,000 characters in a query string: about 45 KB of URL
    expect((await http('GET', `/api/suggestions?content=${encodeURIComponent(long)}`, { token: office })).status).toBe(200);
    const tooLong = await http('POST', '/api/suggestions', { token: office, body: { content: `${long}灯` } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'invalid_input', field: 'content', message: { zh: expect.any(String), en: expect.any(String) } });
    expect((await http('POST', '/api/suggestions', { token: office, body: { content: '   ' } })).status).toBe(400);
    expect((await http('POST', '/api/suggestions', { token: await login('xinhua'), body: { content: '路灯坏了' } })).status).toBe(403);
  });

  it('given a new call, when registered, then the suggestion and its source are recorded and the 分类交办 task proposes them', async () => {
    const c = await createCase('楼道里有很浓的煤气味，怀疑燃气泄漏');
    const [row] = await sql(`SELECT suggested_category, suggested_unit_id, suggestion_source FROM work_orders WHERE id = $1`, [c.id]);
    expect(row).toMatchObject({ suggested_category: 'D', suggested_unit_id: 'gas', suggestion_source: expect.stringMatching(/^(catalogue|model:\d+)/) });
    const task = await openTask(c.id, 'dispatch');
    const form = await http('GET', `/api/tasks/${task.id}/form`, { token: office });
    expect(form.body.data).toMatchObject({ suggestedCategory: 'D', suggestedUnitId: 'gas' });
  });

  describe('the 分类交办 form proposes the suggestion recorded with the case (what 建议采纳率 compares with)', () => {
    let ds: DataSource;
    let cases: CaseRepository;
    beforeAll(async () => {
      ds = createDataSource(stack.db, 4);
      await ds.initialize();
      cases = createCaseRepository(ds);
    });
    afterAll(() => ds.destroy());

    const GAS = '楼道里有很浓的煤气味，怀疑燃气泄漏';
    /** A work order recorded with `recorded` as its intake suggestion, its process started by the relay as intake's is (or not at all). */
    const registered = async (content: string, recorded: IntakeSuggestion, start = true) =>
      (
        await cases.register(
          { channel: 'phone', citizenName: '王女士', citizenPhone: '13812341234', address: '新华区矿工路', content },
          'operator',
          recorded,
          async (tx, c) => {
            if (start) await enqueue(tx, 'process-start', c.code, c.id, { businessKey: c.code, variables: startVariables(c) });
          },
        )
      ).workOrder;
    const suggestionRow = async (id: string) =>
      (await sql(`SELECT suggested_category AS category, suggested_unit_id AS "unitId", suggestion_source AS source FROM work_orders WHERE id = $1`, [id]))[0];
    const suggestedEvents = async (id: string) => sql(`SELECT data FROM case_events WHERE case_id = $1 AND type = 'category-suggested' ORDER BY id`, [id]);

    it('given a case recorded with another suggestion than the sources give now, when 分类交办 opens, then the recorded one is proposed and shown first', async () => {
      const now = await http('POST', '/api/suggestions', { token: office, body: { content: GAS, address: '新华区矿工路' } });
      expect(now.body).toMatchObject({ category: 'D', unitId: 'gas' });
      // recorded at intake by a model version since replaced
      const recorded: IntakeSuggestion = { category: 'B', unitId: 'water-supply', source: 'model:1' };
      const c = await registered(GAS, recorded);

      const task = await openTask(c.id, 'dispatch');
      const form = await http('GET', `/api/tasks/${task.id}/form`, { token: office });
      expect(form.body.data).toMatchObject({ suggestedCategory: 'B', suggestedUnitId: 'water-supply', suggestionSource: 'model:1' });
      expect(await suggestionRow(c.id)).toEqual(recorded);

      const shown = await http('GET', `/api/cases/${c.id}/suggestion`, { token: office });
      expect(shown.status).toBe(200);
      expect(shown.body).toMatchObject({ category: 'B', unitId: 'water-supply', source: 'model:1' });
      expect(shown.body.candidates[0]).toMatchObject({ unitId: 'water-supply', reason: expect.stringContaining('受理时的建议（派单模型 v1）') });
      expect(shown.body.candidates.map((x: { unitId: string }) => x.unitId)).toContain('gas');
      expect((await http('GET', `/api/cases/${c.id}/suggestion`, { token: await login('xinhua') })).status).toBe(403);
    });

    it('given a case recorded without a lead unit (registered before the column), when its process suggests, then the unit is computed, recorded once and proposed', async () => {
      const c = await registered(GAS, { category: 'C', unitId: null, source: null });
      const task = await openTask(c.id, 'dispatch');
      const row = await suggestionRow(c.id);
      // the category recorded at intake is kept; the unit is what the sources say now
      expect(row).toEqual({ category: 'C', unitId: 'gas', source: expect.stringMatching(/^(catalogue|model:\d+)/) });
      const form = await http('GET', `/api/tasks/${task.id}/form`, { token: office });
      expect(form.body.data).toMatchObject({ suggestedCategory: 'C', suggestedUnitId: 'gas', suggestionSource: row.source });
      // intake's event, then the step's
      expect((await suggestedEvents(c.id)).map((e) => e.data)).toEqual([
        { suggestedCategory: 'C', suggestedUnitId: null, source: null },
        { suggestedCategory: 'C', suggestedUnitId: 'gas', source: row.source },
      ]);
      expect((await http('GET', `/api/cases/${c.id}/suggestion`, { token: office })).body.candidates[0].unitId).toBe('gas');
    });

    it('given the task delivered twice at once (at least once), when both compute for a case without a unit, then one suggestion is recorded and both answer it', async () => {
      const c = await registered(GAS, { category: null, unitId: null, source: null }, false);
      const engine = new EngineClient(stack.engine, serviceAccount(loadConfig()));
      const suggestions = createDispatchSuggester({ ds, engine, models: createModelStore(ds), bpmnDir: path.resolve(__dirname, '../../bpmn') });
      const worker = caseSuggestWorker({ cases, suggestions });
      const ctx = {
        taskId: 't',
        topic: worker.topic,
        processInstanceId: 'p',
        businessKey: c.code,
        activityId: 'suggestDispatch',
        activityInstanceId: 'a',
        retries: null,
      };
      const [first, second] = await Promise.all([worker.handler({ caseId: c.id }, ctx), worker.handler({ caseId: c.id }, ctx)]);
      expect(first).toEqual(second);
      expect(first).toMatchObject({ suggestedCategory: 'D', suggestedUnitId: 'gas' });
      expect(await suggestedEvents(c.id)).toHaveLength(1);
      expect(await worker.handler({ caseId: c.id }, ctx)).toEqual(first);
      expect(await suggestedEvents(c.id)).toHaveLength(1);
    });
  });

  it('given imported history, when an admin asks for training, then the run is training at once, done with its accuracy, and suggestions come from it', async () => {
    expect((await http('POST', '/api/dispatch-model/train', { token: office })).status).toBe(403);
    const job = await importCases('history.csv', csv(HISTORY));
    expect(job).toMatchObject({ status: 'done', imported: HISTORY.length * 3 });

    const asked = await http('POST', '/api/dispatch-model/train', { token: admin });
    expect(asked.status).toBe(202);
    expect(asked.body).toMatchObject({ status: 'training', trigger: 'manual', requestedBy: 'admin' });
    const version = asked.body.version as number;
    const run = await waitFor(
      'the training run',
      async () => {
        const r = await http('GET', '/api/dispatch-model', { token: admin });
        return r.body.version === version && r.body.status !== 'training' ? r.body : undefined;
      },
      // every closed work order the other test files left is learned from too: seconds alone, a few minutes in the suite
      280_000,
    );
    expect(run).toMatchObject({ status: 'done', version, inUse: version, error: null });
    expect(run.samples).toBeGreaterThanOrEqual(HISTORY.length * 3);
    expect(run.heldBack).toBeGreaterThan(0);
    expect(run.accuracy).toBeGreaterThanOrEqual(0);
    expect(run.accuracy).toBeLessThanOrEqual(1);

    const s = await http('GET', `/api/suggestions?content=${encodeURIComponent('老板拖欠了我们三个月工资')}`, { token: office });
    expect(s.body).toMatchObject({ unitId: 'hrss', source: `model:${version}` });
    expect(s.body.candidates[0].reason).toContain(`派单模型 v${version}`);
    // The run was carried out by the BPMN process, which ends once the worker has completed its task.
    const ended = await waitFor('the training process to end', async () => {
      const r = await http('GET', `/history/process-instance?processDefinitionKey=dispatchModelTraining&businessKey=dispatch-model:${version}`, {
        base: stack.engine,
      });
      return r.body.length === 1 && r.body[0].state === 'COMPLETED' ? r.body : undefined;
    });
    expect(ended).toHaveLength(1);
  }, 300_000);

  it('given the nightly timer, when it fires, then a nightly run is recorded, trained by the same process, and the newest version is in use', async () => {
    const [definition] = (await http('GET', '/process-definition?key=dispatchModelNightly&latestVersion=true', { base: stack.engine })).body;
    const [timer] = (await http('GET', `/job?timers=true&processDefinitionId=${definition.id}&activityId=nightlyStart`, { base: stack.engine })).body;
    expect(timer).toBeDefined();
    const before = (await http('GET', '/api/dispatch-model', { token: admin })).body.version as number;
    expect((await http('POST', `/job/${timer.id}/execute`, { base: stack.engine })).status).toBe(204);
    const run = await waitFor(
      'the nightly run',
      async () => {
        const r = await http('GET', '/api/dispatch-model', { token: admin });
        return r.body.version > before && r.body.status !== 'training' ? r.body : undefined;
      },
      280_000,
    );
    expect(run).toMatchObject({ status: 'done', trigger: 'nightly', requestedBy: 'system', inUse: run.version });
    // the timer is set again for the next night
    expect((await http('GET', `/job?timers=true&processDefinitionId=${definition.id}&activityId=nightlyStart`, { base: stack.engine })).body).toHaveLength(1);
  }, 300_000);

  it('given ten training requests at once (several servers), when answered, then one run trains and every answer is that run; a nightly run meanwhile trains nothing', async () => {
    const answers = await Promise.all(Array.from({ length: 10 }, () => http('POST', '/api/dispatch-model/train', { token: admin })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    const versions = new Set(answers.map((a) => a.body.version));
    expect(versions.size).toBe(1);
    expect(await sql(`SELECT version FROM dispatch_models WHERE status = 'training'`)).toEqual([{ version: [...versions][0] }]);
    // the nightly timer's run meets the manual one training: no second run is recorded
    const ds = await createDataSource(stack.db, 1).initialize();
    try {
      expect(await createModelStore(ds).claim('nightly-while-training', null)).toBeNull();
    } finally {
      await ds.destroy();
    }
    expect(await sql(`SELECT count(*)::int AS n FROM dispatch_models WHERE process_instance_id = 'nightly-while-training'`)).toEqual([{ n: 0 }]);
    // the run's own process claims it (whether the worker or the request binds it first) and trains it to the end
    const ended = await waitFor(
      'the run to end',
      async () => {
        const r = await http('GET', '/api/dispatch-model', { token: admin });
        return r.body.status !== 'training' ? r.body : undefined;
      },
      280_000,
    );
    expect(ended).toMatchObject({ version: [...versions][0], status: 'done' });
  }, 300_000);

  it('given a manual run not yet bound, when its worker claims it first, then it gets the run itself, bound to its process', async () => {
    const ds = await createDataSource(stack.db, 1).initialize();
    try {
      const store = createModelStore(ds);
      const { run, created } = await store.request('admin');
      expect(created).toBe(true);
      expect(await store.claim('worker-came-first', run.version)).toMatchObject({ version: run.version, status: 'training' });
      expect(await sql(`SELECT process_instance_id FROM dispatch_models WHERE version = $1`, [run.version])).toEqual([
        { process_instance_id: 'worker-came-first' },
      ]);
      // the request's own binding afterwards finds the same run
      expect(await store.claim('worker-came-first', run.version)).toMatchObject({ version: run.version, status: 'training' });
      await store.fail(run.version, 'test run');
    } finally {
      await ds.destroy();
    }
  });

  it('given one dispatch kept to the suggestion and one corrected after a return, when assessed, then 派单准确率 and 建议采纳率 count them so', async () => {
    const kept = await dispatchedCase({ category: 'D', leadUnitId: 'gas' }, '小区楼道燃气泄漏，煤气味很大');
    const corrected = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' }, '楼道燃气管道漏气，有煤气味');
    expect((await complete('xinhua', corrected.id, 'handle', { outcome: 'return', returnReason: '燃气管道归燃气公司', returnBasis: '职责分工' })).status).toBe(
      204,
    );
    expect(
      (await complete('office', corrected.id, 'decideReturn', { returnDecision: 'redispatch', redispatchUnitId: 'gas', decisionComment: '改派燃气公司' }))
        .status,
    ).toBe(204);

    const ids = [kept.id, corrected.id];
    // the period is wide: the re-dispatch moves dispatched_at while the process goes on; the ids narrow it to these two
    const [from, to] = [new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000)];
    const rows = await sql(
      `SELECT * FROM (${SQL.dispatchQuality.replace('AND NOT w.imported', 'AND NOT w.imported AND w.id = ANY($3)')}) q WHERE unit_id IS NOT NULL`,
      [from, to, ids],
    );
    expect(rows.sort((a, b) => a.unit_id.localeCompare(b.unit_id))).toEqual([
      { unit_id: 'gas', first_dispatched: 1, accurate: 1, suggested: 1, adopted: 1 },
      { unit_id: 'xinhua', first_dispatched: 1, accurate: 0, suggested: 1, adopted: 0 },
    ]);

    const board = await http('GET', '/api/dashboard', { token: office });
    expect(board.body.dispatchQuality[0]).toMatchObject({ unitId: null, unitName: '全市', firstDispatched: expect.any(Number) });
    expect(board.body.dispatchQuality.find((r: { unitId: string }) => r.unitId === 'gas').dispatchAccuracy).toEqual(expect.any(Number));
  });
});
