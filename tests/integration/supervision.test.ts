/**
 * 六 the hotline office raises a case's supervision level by hand (POST /api/cases/:id/supervision), driven through
 * the real engine, workers, relay and server: the request enters the same ladder as a deadline. Timers are made due
 * through the engine's job API.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { createCalendarRepository } from '../../core/calendar/repository';
import { createCaseRepository } from '../../core/cases/repository';
import { loadConfig } from '../../core/config';
import { createDataSource } from '../../core/db/data-source';
import { EngineClient } from '../../core/engine/client';
import { serviceAccount } from '../../core/engine/credentials';
import { createOperations, type Operations } from '../../core/operations';
import { InjectedCrash, type FaultPoint } from '../../core/operations/faults';
import { enqueue } from '../../core/operations/outbox';
import type { SupervisionRequestPayload } from '../../core/operations/supervision';
import { caseOf, complete, createCase, dispatchedCase, events, fireTimer, http, login, openTask, sql, timers, waitFor, withEditedFile } from './helpers';
import { stack } from './setup/stack';

interface ActivityInstance {
  activityId: string;
  childActivityInstances: ActivityInstance[];
}
/** How many instances of an activity run in the engine's activity-instance tree. */
const activityInstances = (node: ActivityInstance, activityId: string): number =>
  (node.activityId === activityId ? 1 : 0) + node.childActivityInstances.reduce((n, child) => n + activityInstances(child, activityId), 0);

const escalate = async (caseId: string, body: unknown, user = 'office') => http('POST', `/api/cases/${caseId}/supervision`, { token: await login(user), body });

describe('六 the office escalates a case by hand', () => {
  it('六 given a dispatched case, when the office escalates it to onsite with a reason, then a numbered 现场督办 notice (trigger manual) is issued and the ladder goes on from onsite', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'heating' }, '整个小区冬季供暖不达标，多名居民反复反映');
    const res = await escalate(c.id, { level: 'onsite', reason: '群众反映集中' });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ caseId: c.id, level: 'onsite', status: 'pending' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);

    const plan = await openTask(c.id, 'onsitePlan');
    const now = await caseOf(c.id);
    expect(now.supervisionLevel).toBe('onsite');
    expect(now.notices).toHaveLength(1);
    expect(now.notices[0]).toMatchObject({ level: 'onsite', trigger: 'manual' });
    expect(now.notices[0].reason).toContain('群众反映集中');
    expect(now.notices[0].number).toMatch(/^平热督〔\d{4}〕\d{5}号$/);
    expect(Date.parse(plan.due!)).toBe(Date.parse(now.notices[0].replyDueAt));
    expect(events(now)).toEqual(expect.arrayContaining(['supervision-requested', 'supervision']));
    expect(events(now).indexOf('supervision-requested')).toBeLessThan(events(now).indexOf('supervision'));
    const [row] = await sql(`SELECT trigger, level, reason FROM supervision_notices WHERE case_id = $1`, [c.id]);
    expect(row).toMatchObject({ trigger: 'manual', level: 'onsite' });
    const [outbox] = await sql(`SELECT outcome, result FROM outbox WHERE kind = 'supervision-request' AND key = $1`, [res.body.id]);
    expect(outbox).toMatchObject({ outcome: 'done', result: { correlated: true, adopted: false } });

    // the ladder continues from 现场督办: its plan overdue → 重点督办
    await fireTimer(c.processInstanceId, 'onsitePlanOverdue');
    await openTask(c.id, 'leaderInstruction');
    const key = await caseOf(c.id);
    expect(key.supervisionLevel).toBe('key');
    expect(key.notices.map((n: { level: string; trigger: string }) => [n.level, n.trigger])).toEqual([
      ['onsite', 'manual'],
      ['key', 'overdue'],
    ]);

    // 六 given the case at 重点督办, when the office asks for a lower or the same level, then 409 naming level
    for (const level of ['written', 'onsite', 'key']) {
      const refused = await escalate(c.id, { level, reason: '热点难点问题' });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'conflict', field: 'level' });
      expect(refused.body.error.message.zh).toContain('重点督办');
      expect(refused.body.error.message.en).toContain('level');
    }
  });

  it('六 given a dispatched case, when the office asks for 移交, then the case is transferred as at the ladder’s last step', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'transport' }, '公交线路长期脱班，涉及沿线多个小区');
    const res = await escalate(c.id, { level: 'transferred', reason: '涉及面广，关注度高' });
    expect(res.status).toBe(202);
    const transferred = await waitFor('transfer', async () => {
      const now = await caseOf(c.id);
      return now.status === 'transferred' && now.tasks.length === 0 ? now : undefined;
    });
    expect(transferred.supervisionLevel).toBe('transferred');
    expect(transferred.notices.map((n: { level: string }) => n.level)).toEqual(['transferred']);
    expect(transferred.notices[0].number).toMatch(/^平热移〔\d{4}〕\d{5}号$/);
    expect(transferred.notices[0].reason).toContain('涉及面广，关注度高');
    expect(events(transferred)).toContain('supervision-requested');

    // 六 given a transferred case, when the office escalates it, then 409
    const again = await escalate(c.id, { level: 'transferred', reason: '再次提级' });
    expect(again.status).toBe(409);
  });

  it('六 given a case already on the deadline ladder, when the office escalates it, then the running ladder ends and one ladder goes on from the requested level', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'heating' }, '小区供暖管道漏水一个多月无人维修，多户居民受影响');
    await fireTimer(c.processInstanceId, 'overdueStart');
    await openTask(c.id, 'supervisionReply');
    expect(await timers(c.processInstanceId, 'supervisionReplyOverdue')).toHaveLength(1);
    // another case on its own ladder is not touched by this one's
    const other = await dispatchedCase({ category: 'B', leadUnitId: 'heating' }, '楼栋暖气不热，室温不到十五度');
    await fireTimer(other.processInstanceId, 'overdueStart');
    await openTask(other.id, 'supervisionReply');

    expect((await escalate(c.id, { level: 'key', reason: '社会关注度高' })).status).toBe(202);
    const key = await waitFor('the key ladder alone', async () => {
      const now = await caseOf(c.id);
      const kinds = now.tasks.map((t: { taskKey: string }) => t.taskKey);
      return kinds.includes('leaderInstruction') && !kinds.includes('supervisionReply') ? now : undefined;
    });
    expect(key.supervisionLevel).toBe('key');
    expect(key.notices.map((n: { level: string; trigger: string }) => [n.level, n.trigger])).toEqual([
      ['written', 'overdue'],
      ['key', 'manual'],
    ]);
    // the written ladder's timers went with it: nothing of it can fire and climb again
    expect(await timers(c.processInstanceId, 'supervisionReplyOverdue')).toEqual([]);
    expect(await timers(c.processInstanceId, 'writtenCheck')).toEqual([]);
    expect(key.tasks.map((t: { taskKey: string }) => t.taskKey).sort()).toEqual(['handle', 'leaderInstruction']);
    const tree = await http('GET', `/process-instance/${c.processInstanceId}/activity-instances`, { base: stack.engine });
    expect(activityInstances(tree.body, 'ladderRun')).toBe(1);
    expect((await caseOf(other.id)).tasks.map((t: { taskKey: string }) => t.taskKey)).toContain('supervisionReply');
    expect(await timers(other.processInstanceId, 'supervisionReplyOverdue')).toHaveLength(1);

    // the key ladder goes on as before: the leader's instruction, then its check
    expect((await complete('office', c.id, 'leaderInstruction', { leaderName: '常务副市长', instruction: '请热力公司三日内修复' })).status).toBe(204);
    expect(await timers(c.processInstanceId, 'keyCheck')).toHaveLength(1);
  });

  it('六 given a case not dispatched, a unit handler, an unknown case or a bad body, when escalating, then 409, 403, 404 or 400 naming the field', async () => {
    const registered = await createCase();
    const notDispatched = await escalate(registered.id, { level: 'written', reason: '热点难点问题' });
    expect(notDispatched.status).toBe(409);
    expect(notDispatched.body.error).toMatchObject({ code: 'conflict', field: 'id' });

    const c = await dispatchedCase({ category: 'B', leadUnitId: 'heating' });
    const byUnit = await escalate(c.id, { level: 'written', reason: '热点难点问题' }, 'heating');
    expect(byUnit.status).toBe(403);
    expect(byUnit.body.error.code).toBe('forbidden');

    const unknown = await escalate(randomUUID(), { level: 'written', reason: '热点难点问题' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', field: 'id' });

    const noReason = await escalate(c.id, { level: 'written' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    const blank = await escalate(c.id, { level: 'written', reason: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.error.field).toBe('reason');
    const tooLong = await escalate(c.id, { level: 'written', reason: '热'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.field).toBe('reason');
    const badLevel = await escalate(c.id, { level: 'none', reason: '热点难点问题' });
    expect(badLevel.status).toBe(400);
    expect(badLevel.body.error.field).toBe('level');

    // nothing was recorded for the refused requests
    expect((await caseOf(c.id)).notices).toHaveLength(0);
    expect(await sql(`SELECT 1 FROM outbox WHERE kind = 'supervision-request' AND case_id = $1`, [c.id])).toHaveLength(0);
  });
});

describe('六 a work order on an older version of the process', () => {
  it('六 given a case started on a version without the message caseSupervisionRequested, when the office escalates it, then 409 process_outdated and nothing is recorded', async () => {
    await withEditedFile(
      'hotline-case.bpmn',
      /name="caseSupervisionRequested"/,
      'name="caseSupervisionRequestedBefore"',
      '测试：无提级督办消息的旧版流程',
      async () => {
        const c = await dispatchedCase({ category: 'B', leadUnitId: 'heating' });
        const res = await escalate(c.id, { level: 'written', reason: '热点难点问题' });
        expect(res.status).toBe(409);
        expect(res.body.error.code).toBe('process_outdated');
        expect(events(await caseOf(c.id))).not.toContain('supervision-requested');
        expect(await sql(`SELECT 1 FROM outbox WHERE kind = 'supervision-request' AND case_id = $1`, [c.id])).toHaveLength(0);
      },
    );
  });
});

describe('六 a relay killed while carrying a request to the engine', () => {
  /** The crashed relay's claim runs out after this; the test system's relay then takes the row over. */
  const LEASE_MS = 1500;
  let ds: DataSource;
  const running: Operations[] = [];

  beforeAll(async () => {
    ds = createDataSource(stack.db, 2);
    await ds.initialize();
  });
  afterAll(async () => {
    await Promise.all(running.map((o) => o.stop()));
    await ds.destroy();
  });

  function crashingAt(point: FaultPoint): Operations {
    const ops = createOperations({
      ds,
      engine: new EngineClient(stack.engine, serviceAccount(loadConfig())),
      cases: createCaseRepository(ds),
      calendar: createCalendarRepository(ds),
      rootDir: path.resolve(__dirname, '../..'),
      options: { relayLeaseMs: LEASE_MS },
      faults: (p) => {
        if (p === point) throw new InjectedCrash(p);
      },
    });
    running.push(ops);
    return ops;
  }

  for (const point of ['supervision:before-engine', 'supervision:after-engine'] as const) {
    it(`六 given a request claimed by a relay that dies at ${point}, when another relay takes it over, then the message is correlated once: one notice`, async () => {
      const c = await dispatchedCase({ category: 'B', leadUnitId: 'heating' });
      const requestId = randomUUID();
      const payload: SupervisionRequestPayload = {
        requestId,
        processInstanceId: c.processInstanceId,
        level: 'written',
        reason: '热点难点问题',
        actor: 'office',
      };
      // the request as requestSupervision records it, but claimed by the relay that is going to die
      const row = await ds.transaction(async (tx) => {
        await tx.query(`INSERT INTO case_events(case_id, type, actor, data, dedupe_key) VALUES ($1, 'supervision-requested', 'office', $2, $3)`, [
          c.id,
          JSON.stringify({ requestId, level: 'written', reason: payload.reason }),
          `supervision-request:${requestId}`,
        ]);
        return enqueue(tx, 'supervision-request', requestId, c.id, payload, LEASE_MS);
      });
      await expect(crashingAt(point).relay.run(row!)).rejects.toThrow(InjectedCrash);

      const done = await waitFor(
        'the row carried out by the healing relay',
        async () => {
          const [r] = await sql(`SELECT outcome, result FROM outbox WHERE kind = 'supervision-request' AND key = $1 AND done_at IS NOT NULL`, [requestId]);
          return r;
        },
        30_000,
      );
      expect(done).toMatchObject({ outcome: 'done', result: { correlated: true, adopted: point === 'supervision:after-engine' } });
      await openTask(c.id, 'supervisionReply');
      const now = await caseOf(c.id);
      expect(now.supervisionLevel).toBe('written');
      expect(now.notices.map((n: { level: string; trigger: string }) => [n.level, n.trigger])).toEqual([['written', 'manual']]);
      const received = (
        await http('GET', `/history/activity-instance?processInstanceId=${c.processInstanceId}&activityId=supervisionRequested`, { base: stack.engine })
      ).body;
      expect(received).toHaveLength(1);
    });
  }
});
