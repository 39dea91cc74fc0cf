import { readFileSync } from 'node:fs';
/**
 * Crash-consistency of the operations (docs/architecture.md, "Operations"): each operation is stopped at each
 * point between two of its steps, as a killed process would stop there, and the running system heals by
 * itself: the relay of the test system's server carries out what was left, exactly once. The "crashed"
 * operations run in this process against the real database and engine, with a short claim lease so that the
 * healing relay may take over their rows soon; they never run a relay loop of their own.
 */
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createCalendarRepository } from '../../core/calendar/repository';
import { createCaseRepository } from '../../core/cases/repository';
import { createDataSource } from '../../core/db/data-source';
import { EngineClient, EngineError } from '../../core/engine/client';
import { loadConfig } from '../../core/config';
import { serviceAccount } from '../../core/engine/credentials';
import { ConflictError } from '../../core/errors';
import { createOperations, type Operations } from '../../core/operations';
import { InjectedCrash, type FaultPoint } from '../../core/operations/faults';
import { PROCESS_KEY, startVariables } from '../../core/operations/intake';
import { enqueue, find } from '../../core/operations/outbox';
import { prepareCompletion } from '../../server/tasks/forms';
import {
  DEMO_PASSWORD,
  caseOf,
  closedPort,
  complaint,
  createCase,
  databaseRelay,
  dispatchedCase,
  http,
  login,
  openTask,
  secondServer,
  sql,
  stop,
  timers,
  waitFor,
} from './helpers';
import { stack } from './setup/stack';

/** The crashed process's claims run out after this; the healing relay polls every 2 s besides. */
const LEASE_MS = 1500;

let ds: DataSource;
const engine = new EngineClient(stack.engine, serviceAccount(loadConfig()));
const running: Operations[] = [];

beforeAll(async () => {
  ds = createDataSource(stack.db, 4);
  await ds.initialize();
});

afterAll(async () => {
  await Promise.all(running.map((o) => o.stop()));
  await ds.destroy();
});

/** The operations of a process that dies at `point`. */
function crashingAt(point: FaultPoint, engineClient = engine): Operations {
  const ops = createOperations({
    ds,
    engine: engineClient,
    cases: createCaseRepository(ds),
    calendar: createCalendarRepository(ds),
    rootDir: path.resolve(__dirname, '../..'),
    options: { relayLeaseMs: LEASE_MS, intakeWaitMs: 0 },
    faults: (p) => {
      if (p === point) throw new InjectedCrash(p);
    },
  });
  running.push(ops);
  return ops;
}

const instancesOf = (code: string) => engine.historicProcessInstances({ businessKey: code, processDefinitionKey: PROCESS_KEY });

async function outbox(kind: string, key: string) {
  const [row] = await sql(`SELECT attempts, done_at, outcome, result FROM outbox WHERE kind = $1 AND key = $2`, [kind, key]);
  return row as { attempts: number; done_at: Date | null; outcome: string | null; result: Record<string, unknown> | null } | undefined;
}

const waitDone = (kind: string, key: string) =>
  waitFor(`outbox ${kind} ${key} done`, async () => ((await outbox(kind, key))?.done_at ? outbox(kind, key) : undefined));

async function eventCount(caseId: string, dedupeKey: string): Promise<number> {
  const [{ n }] = await sql(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND dedupe_key = $2`, [caseId, dedupeKey]);
  return n;
}

async function startedOnce(caseId: string): Promise<{ code: string; pid: string }> {
  const c = await waitFor(`the process of ${caseId}`, async () => {
    const [row] = await sql(`SELECT code, process_instance_id AS pid FROM work_orders WHERE id = $1`, [caseId]);
    return row?.pid ? (row as { code: string; pid: string }) : undefined;
  });
  const instances = await instancesOf(c.code);
  expect(instances.map((i) => i.id)).toEqual([c.pid]);
  return c;
}

describe('registering a case: no process instance without its work order, none twice', () => {
  it('killed right after the intake commit: the relay starts the process once', async () => {
    const content = `路灯不亮（受理后崩溃 ${Date.now()}）`;
    const ops = crashingAt('intake:after-commit');
    await expect(
      ops.registerCase({ channel: 'phone', citizenName: '王女士', citizenPhone: '13812341234', address: '卫东区建设路', content }, 'operator'),
    ).rejects.toThrow(InjectedCrash);
    const [c] = await sql(`SELECT id, suggested_category FROM work_orders WHERE content = $1`, [content]);
    expect(c.suggested_category).toBe('B');
    const { code } = await startedOnce(c.id);
    expect((await outbox('process-start', code))?.outcome).toBe('done');
    expect((await sql(`SELECT type FROM case_events WHERE case_id = $1 ORDER BY id`, [c.id])).map((e) => e.type)).toEqual(['registered', 'category-suggested']);
  });

  for (const point of ['start:before-engine', 'start:after-engine'] as const) {
    it(`killed at ${point}: the relay ${point === 'start:after-engine' ? 'adopts the instance by its business key' : 'starts it'}, exactly once`, async () => {
      const ops = crashingAt(point);
      const cases = createCaseRepository(ds);
      // The crashed process had claimed the start (as its relay would), so no other relay took it meanwhile.
      const { workOrder: created } = await cases.register(
        { channel: 'phone', citizenName: '王女士', citizenPhone: '13812341234', address: '湛河区', content: `噪音扰民（${point}）` },
        'operator',
        { category: 'A', unitId: null, source: null },
        async (tx, c) => {
          await enqueue(tx, 'process-start', c.code, c.id, { businessKey: c.code, variables: startVariables(c) }, LEASE_MS);
        },
      );
      const row = (await find(ds, 'process-start', created.code))!;
      await expect(ops.relay.run(row)).rejects.toThrow(InjectedCrash);
      expect(await instancesOf(created.code)).toHaveLength(point === 'start:after-engine' ? 1 : 0);

      await startedOnce(created.id);
      const done = await waitDone('process-start', created.code);
      expect(done?.result).toMatchObject({ adopted: point === 'start:after-engine' });
      // the started process runs on: its first task appears on the work order
      await openTask(created.id, 'dispatch');
    });
  }

  it('with the engine out of reach, intake still answers 201 with the suggestion; the relay starts the process once the engine is back', async () => {
    const { base, child } = await secondServer(stack.db, `http://127.0.0.1:${await closedPort()}/engine-rest`);
    try {
      const token = (await http('POST', '/api/auth/login', { base, body: { username: 'operator', password: DEMO_PASSWORD } })).body.token as string;
      const res = await http('POST', '/api/cases', { base, token, body: complaint('家里停水两天了（引擎不可用时受理）') });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ suggestedCategory: 'B', suggestedUnitId: 'water-supply', processInstanceId: null });
      const suggestion = await http('GET', `/api/suggestions?content=${encodeURIComponent('燃气泄漏')}`, { base, token });
      expect(suggestion.body).toMatchObject({ category: 'D', unitId: 'gas' });
      const health = (await http('GET', '/api/health', { base })).body;
      expect(health).toMatchObject({ status: 'degraded', engine: 'down', engineLatencyMs: null, db: 'up' });
      expect(health.backlog.pendingStarts).toBeGreaterThanOrEqual(0);
      // the test system's relay reaches the engine and starts it
      await startedOnce(res.body.id);
    } finally {
      await stop(child);
    }
  });

  it('with PostgreSQL out of reach, intake answers 503 database_unavailable and works again once it is back', async () => {
    const db = await databaseRelay();
    const { base, child } = await secondServer(db.url, stack.engine);
    try {
      const token = (await http('POST', '/api/auth/login', { base, body: { username: 'operator', password: DEMO_PASSWORD } })).body.token as string;
      await db.shut();
      const down = await http('POST', '/api/cases', { base, token, body: complaint('数据库不可用时受理') });
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('database_unavailable');
      await db.reopen();
      const back = await waitFor('intake after PostgreSQL is back', async () => {
        const res = await http('POST', '/api/cases', { base, token, body: complaint('数据库恢复后受理') });
        return res.status === 201 ? res : undefined;
      });
      await startedOnce(back.body.id);
    } finally {
      await db.shut();
      await stop(child);
    }
  });
});

describe('completing a task: the engine task and its timeline event, both and once', () => {
  async function dispatchCompletion(actor = 'office') {
    const c = await createCase(`占道经营（任务提交崩溃 ${Date.now()}）`);
    const task = await engine.task((await openTask(c.id, 'dispatch')).id);
    const wo = (await createCaseRepository(ds).get(c.id))!;
    const prepared = await prepareCompletion(
      { taskKey: 'dispatch', form: JSON.parse(readFileSync(path.resolve(__dirname, '../../bpmn/dispatch.form'), 'utf8')) },
      { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' },
      ds,
      wo,
      new Date(),
    );
    return {
      caseId: c.id,
      completion: {
        taskId: task.id,
        taskKey: task.taskDefinitionKey,
        taskName: task.name,
        caseId: c.id,
        actor,
        variables: prepared.variables,
        patch: prepared.patch,
        countsAsDispatch: prepared.countsAsDispatch,
      },
    };
  }

  async function completedOnce(caseId: string, taskId: string) {
    await waitDone('task-complete', taskId);
    expect(await eventCount(caseId, `task:${taskId}`)).toBe(1);
    expect((await engine.historicTask(taskId))?.deleteReason).toBe('completed');
    const [wo] = await sql(`SELECT dispatch_count, lead_unit_id FROM work_orders WHERE id = $1`, [caseId]);
    expect(wo).toEqual({ dispatch_count: 1, lead_unit_id: 'xinhua' });
    await waitFor('the unit at work', async () => (await caseOf(caseId)).status === 'dispatched');
  }

  it('killed after the intent is recorded: a retry meanwhile is told it is under way, the relay completes it once, the same retry then succeeds', async () => {
    const { caseId, completion } = await dispatchCompletion();
    const ops = crashingAt('complete:after-record');
    await expect(ops.completeCaseTask(completion)).rejects.toThrow(InjectedCrash);
    expect(await eventCount(caseId, `task:${completion.taskId}`)).toBe(0);
    await expect(crashingAt('complete:after-engine').completeCaseTask(completion)).rejects.toThrow(ConflictError);

    await completedOnce(caseId, completion.taskId);
    await expect(crashingAt('complete:after-engine').completeCaseTask(completion)).resolves.toBeUndefined();
    await expect(crashingAt('complete:after-engine').completeCaseTask({ ...completion, actor: 'someone-else' })).rejects.toThrow(ConflictError);
    expect(await eventCount(caseId, `task:${completion.taskId}`)).toBe(1);
  });

  it('killed after the engine completed the task: the relay writes the timeline event once', async () => {
    const { caseId, completion } = await dispatchCompletion();
    await expect(crashingAt('complete:after-engine').completeCaseTask(completion)).rejects.toThrow(InjectedCrash);
    expect((await engine.historicTask(completion.taskId))?.deleteReason).toBe('completed');
    expect(await eventCount(caseId, `task:${completion.taskId}`)).toBe(0);
    await completedOnce(caseId, completion.taskId);
  });

  it('a completion the engine refuses writes nothing and can be submitted again', async () => {
    const { caseId, completion } = await dispatchCompletion();
    const ops = crashingAt('complete:after-engine');
    // no outgoing flow of the disposition gateway matches: the engine refuses and the task stays open
    await expect(ops.completeCaseTask({ ...completion, variables: { ...completion.variables, disposition: 'nowhere' } })).rejects.toThrow(EngineError);
    expect(await outbox('task-complete', completion.taskId)).toBeUndefined();
    expect(await eventCount(caseId, `task:${completion.taskId}`)).toBe(0);
    const res = await http('POST', `/api/tasks/${completion.taskId}/complete`, {
      token: await login('office'),
      body: { variables: { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' } },
    });
    expect(res.status).toBe(204);
    await completedOnce(caseId, completion.taskId);
  });
});

describe('loading a calendar year: every provisional deadline recomputed once, its timers moved', () => {
  for (const [point, year] of [
    ['calendar:after-load', 2034],
    ['calendar:after-deadline', 2036],
  ] as const) {
    it(`killed at ${point}: the relay finishes the recompute and moves the timers`, async () => {
      const admin = await login('admin');
      expect(
        (await http('POST', '/api/calendar/years', { token: admin, body: { year: year - 1, source: '测试通知', holidays: {}, workdays: {} } })).status,
      ).toBe(201);
      const c = await dispatchedCase({ category: 'B', leadUnitId: 'baofeng' });
      const provisionalDue = `${year}-01-05T15:59:59.999Z`;
      await sql(`UPDATE work_orders SET due_provisional = true, due_rule = $2, due_at = $3 WHERE id = $1`, [
        c.id,
        JSON.stringify({ clockUnit: 'workingDays', clockAmount: 5, from: `${year - 1}-12-29T02:00:00.000Z` }),
        provisionalDue,
      ]);
      const [timer] = await timers(c.processInstanceId, 'overdueStart');
      await engine.setJobDueDate(timer.id, new Date(provisionalDue));

      // 1–3 January off: the five working days from 29 December end on 6 January
      const notice = { year, source: '测试通知', holidays: { [`${year}-01-01`]: '元旦', [`${year}-01-02`]: '元旦', [`${year}-01-03`]: '元旦' }, workdays: {} };
      await expect(crashingAt(point).loadCalendarYear(notice)).rejects.toThrow(InjectedCrash);

      const after = await waitFor('the deadline recomputed', async () => {
        const now = await caseOf(c.id);
        return now.dueProvisional === false ? now : undefined;
      });
      expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(provisionalDue));
      const key = `calendar-${year}:${c.id}`;
      expect(await eventCount(c.id, key)).toBe(1);
      await waitDone('deadline-move', key);
      const [moved] = await timers(c.processInstanceId, 'overdueStart');
      expect(Date.parse(moved.dueDate)).toBe(Date.parse(after.dueAt));
    });
  }
});

describe('the reconciler', () => {
  it('counts an instance whose business key has no work order (left by a start inside the intake transaction) and reports it in /api/health', async () => {
    const ops = crashingAt('intake:after-commit');
    const before = await ops.reconcile();
    const orphan = await engine.startProcess(PROCESS_KEY, `12345-orphan-${Date.now()}`, {
      caseId: '00000000-0000-0000-0000-000000000000',
      content: '孤儿实例',
      address: '',
      channel: 'phone',
    });
    try {
      expect((await ops.reconcile()).orphans).toBe(before.orphans + 1);
      const health = (await http('GET', '/api/health')).body;
      expect(health.backlog).toMatchObject({ pendingStarts: expect.any(Number), pendingCompletions: expect.any(Number) });
    } finally {
      // the instance goes on meanwhile (its suggestion step is an external task): delete it once it waits for 分类交办
      await waitFor('the orphan at 分类交办', async () => (await http('GET', `/task?processInstanceId=${orphan.id}`, { base: stack.engine })).body.length > 0);
      await engine.deleteProcessInstance(orphan.id, 'test orphan');
    }
  });
});
