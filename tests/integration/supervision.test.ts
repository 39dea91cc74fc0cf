/**
 * 六 the hotline office raises a case's supervision level by hand (POST /api/cases/:id/supervision), driven through
 * the real engine, workers, relay and server: the request enters the same ladder as a deadline. Timers are made due
 * through the engine's job API.
 */
import { randomUUID } from 'node:crypto';
import { caseOf, createCase, dispatchedCase, events, fireTimer, http, login, openTask, sql, waitFor } from './helpers';

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
