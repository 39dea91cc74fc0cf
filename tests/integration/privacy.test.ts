import { complaint, createCase, DEMO_PASSWORD, dispatchedCase, http, login, sql, waitFor } from './helpers';

interface AuditRow {
  username: string | null;
  action: string;
  resource: string | null;
  resourceId: string | null;
  detail: Record<string, unknown>;
}

/** The audit rows an admin finds with these filters (rows of a change are written just after its answer). */
async function auditFound(filters: Record<string, string>, until: (rows: AuditRow[]) => boolean): Promise<AuditRow[]> {
  const admin = await login('admin');
  return waitFor(`audit rows ${JSON.stringify(filters)}`, async () => {
    const res = await http('GET', `/api/audit?${new URLSearchParams(filters)}`, { token: admin });
    expect(res.status).toBe(200);
    return until(res.body.items) ? (res.body.items as AuditRow[]) : undefined;
  });
}

describe('privacy: audit log, phone reveal, logout, duplicate hint, dashboard', () => {
  it('PIPL a unit reveals the phone of its own work order with a reason, and the reveal is audited with it', async () => {
    // given a work order dispatched to 新华区
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const xinhua = await login('xinhua');
    expect((await http('GET', `/api/cases/${c.id}`, { token: xinhua })).body.citizenPhone).toBe('138****1234');

    // when 新华区 reveals it without a real reason, then with one
    const noReason = await http('POST', `/api/cases/${c.id}/reveal-phone`, { token: xinhua, body: { reason: ' 啊 ' } });
    const revealed = await http('POST', `/api/cases/${c.id}/reveal-phone`, { token: xinhua, body: { reason: '需电话联系反映人核实现场位置' } });

    // then the short reason is refused naming the field, the number is given, and the reveal is in the audit log with its reason
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
    expect(revealed.status).toBe(200);
    expect(revealed.body).toEqual({ phone: '13812341234' });
    const rows = await auditFound({ resourceId: c.id, action: 'case.reveal-phone' }, (r) => r.length >= 2);
    expect(rows.map((r) => [r.username, r.detail.reason, r.detail.status ?? 200])).toEqual(
      expect.arrayContaining([
        ['xinhua', '需电话联系反映人核实现场位置', 200],
        ['xinhua', '啊', 400],
      ]),
    );
  });

  it("PIPL a unit cannot reveal the phone of another unit's work order (403), and the attempt is audited", async () => {
    // given a work order dispatched to 新华区
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    // when 卫东区 tries to reveal its phone
    const res = await http('POST', `/api/cases/${c.id}/reveal-phone`, { token: await login('weidong'), body: { reason: '想联系反映人' } });
    // then it is refused, and the attempt is recorded with its status and reason
    expect(res.status).toBe(403);
    expect(res.body.phone).toBeUndefined();
    const [row] = await auditFound({ resourceId: c.id, username: 'weidong' }, (r) => r.length > 0);
    expect(row).toMatchObject({ action: 'case.reveal-phone', detail: { status: 403, reason: '想联系反映人' } });
  });

  it("PIPL an admin finds the dispatch of a work order, the office's reading of it and a failed login in the audit log", async () => {
    // given a dispatched work order, the office reading it, and a failed login
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    await http('GET', `/api/cases/${c.id}`, { token: await login('office') });
    const tried = `nobody-${Date.now()}`;
    expect((await http('POST', '/api/auth/login', { body: { username: tried, password: 'secret-guess' } })).status).toBe(401);

    // when the admin queries the audit log by work order and by username
    const byCase = await auditFound({ resourceId: c.id }, (r) => r.some((e) => e.detail.taskKey === 'dispatch') && r.some((e) => e.action === 'case.view'));
    const failed = await auditFound({ username: tried }, (r) => r.length > 0);

    // then the intake, the dispatch by the office with its status, and the reading are there; the failed login has no password
    expect(byCase.find((e) => e.detail.taskKey === 'dispatch')).toMatchObject({
      username: 'office',
      action: 'POST /api/tasks/:id/complete',
      resource: 'cases',
      detail: { status: 204 },
    });
    expect(byCase.find((e) => e.action === 'POST /api/cases')).toMatchObject({ username: 'operator', detail: { status: 201 } });
    expect(byCase.some((e) => e.action === 'case.view' && e.username === 'office')).toBe(true);
    expect(failed).toEqual([expect.objectContaining({ action: 'login-failed', detail: { status: 401 } })]);
    expect(JSON.stringify(failed)).not.toContain('secret-guess');
    // and units reading their masked record are not logged as full-record reads
    await http('GET', `/api/cases/${c.id}`, { token: await login('xinhua') });
    expect((await sql(`SELECT 1 FROM audit_log WHERE action = 'case.view' AND username = 'xinhua' AND resource_id = $1`, [c.id])).length).toBe(0);
  });

  it('PIPL only an admin reads the audit log, and nobody rewrites it', async () => {
    expect((await http('GET', '/api/audit', { token: await login('office') })).status).toBe(403);
    expect((await http('GET', '/api/audit', { token: await login('xinhua') })).status).toBe(403);
    expect((await http('GET', '/api/audit')).status).toBe(401);
    await expect(sql(`UPDATE audit_log SET username = 'someone-else'`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('退出 revokes the token on the server: it is refused afterwards, a new login works', async () => {
    // given a signed-in user with a working token (not the shared cached one)
    const first = await http('POST', '/api/auth/login', { body: { username: 'ecology', password: DEMO_PASSWORD } });
    const token = first.body.token as string;
    expect((await http('GET', '/api/me', { token })).status).toBe(200);

    // when the user logs out
    const out = await http('POST', '/api/auth/logout', { token });

    // then the token is refused, and logging in again gives a token that works
    expect(out.status).toBe(204);
    const after = await http('GET', '/api/me', { token });
    expect(after.status).toBe(401);
    expect(after.body.error.message.zh).toBe('已退出登录，请重新登录');
    const again = await http('POST', '/api/auth/login', { body: { username: 'ecology', password: DEMO_PASSWORD } });
    expect((await http('GET', '/api/me', { token: again.body.token })).status).toBe(200);
    await auditFound({ username: 'ecology', action: 'logout' }, (r) => r.length > 0);
  });

  it('疑似重复 an open work order at the same address with similar content is found as the operator types', async () => {
    // given an open work order about street vendors at 新华区矿工路中段128号
    const c = await createCase();
    const operator = await login('operator');
    const similar = (q: Record<string, string>) => http('GET', `/api/cases/similar?${new URLSearchParams(q)}`, { token: operator });

    // when the operator types the same address and a rephrasing of the complaint, or something unrelated
    const same = await similar({ address: complaint().address, content: '小区门口有人占道经营，收摊后垃圾很多，希望城管来处理' });
    const addressOnly = await similar({ address: '新华区矿工路中段128号' });
    const unrelated = await similar({ address: '湛河区开源路与南环路交叉口', content: '家中停水两天，供水公司一直没有答复' });

    // then the work order is hinted, with no personal data, and not for the unrelated call
    expect(same.status).toBe(200);
    const hit = same.body.items.find((i: { id: string }) => i.id === c.id);
    expect(hit).toMatchObject({ code: c.code, status: 'registered', samePhone: false });
    expect(hit.addressScore).toBeGreaterThanOrEqual(0.9);
    expect(hit.contentScore).toBeGreaterThanOrEqual(0.4);
    expect(hit.citizenPhone).toBeUndefined();
    expect(addressOnly.body.items.map((i: { id: string }) => i.id)).toContain(c.id);
    expect(unrelated.body.items.map((i: { id: string }) => i.id)).not.toContain(c.id);
    expect((await similar({})).status).toBe(400);
    expect((await http('GET', `/api/cases/similar?address=x`, { token: await login('xinhua') })).status).toBe(403);
  });

  it("the dashboard's figures match SQL, city-wide for the office and scoped for a unit", async () => {
    // given one of 新华区's work orders overdue and one due within 24 hours
    const overdue = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const soon = await dispatchedCase({ category: 'C', leadUnitId: 'xinhua' });
    await sql(`UPDATE work_orders SET due_at = now() - interval '2 hours' WHERE id = $1`, [overdue.id]);
    await sql(`UPDATE work_orders SET due_at = now() + interval '3 hours' WHERE id = $1`, [soon.id]);
    const dayStart = new Date(Math.floor((Date.now() + 8 * 3600_000) / 86_400_000) * 86_400_000 - 8 * 3600_000);

    // when the office and 新华区 open their dashboards
    const city = await http('GET', '/api/dashboard', { token: await login('office') });
    const unit = await http('GET', '/api/dashboard', { token: await login('xinhua') });

    // then the figures are those SQL gives
    expect(city.status).toBe(200);
    expect(city.body.scope).toBe('city');
    const [{ today }] = await sql(`SELECT count(*)::int AS today FROM work_orders WHERE created_at >= $1`, [dayStart]);
    expect(city.body.todayIntake.total).toBe(today);
    const open = await sql(
      `SELECT category, count(*)::int AS count FROM work_orders WHERE status NOT IN ('closed', 'answered', 'guided', 'transferred') GROUP BY category`,
    );
    expect([...city.body.openByCategory].sort(byCategory)).toEqual(open.sort(byCategory));
    const [xinhuaSql] = await sql(
      `SELECT count(*) FILTER (WHERE due_at < now())::int AS overdue, count(*) FILTER (WHERE due_at >= now() AND due_at < now() + interval '1 day')::int AS soon
       FROM work_orders WHERE status = 'dispatched' AND coalesce(delegated_unit_id, lead_unit_id) = 'xinhua'`,
    );
    const xinhuaRow = city.body.deadlines.find((d: { unitId: string }) => d.unitId === 'xinhua');
    expect(xinhuaRow).toMatchObject({ unitName: '新华区人民政府', overdueCount: xinhuaSql.overdue, dueSoonCount: xinhuaSql.soon });
    expect(xinhuaRow.overdue.map((i: { id: string }) => i.id)).toContain(overdue.id);
    expect(xinhuaRow.dueSoon.map((i: { id: string }) => i.id)).toContain(soon.id);
    const levels = await sql(`SELECT level, count(*)::int AS count FROM supervision_notices WHERE issued_at >= $1 GROUP BY level`, [city.body.monthStart]);
    expect([...city.body.supervisionByLevel].sort(byLevel)).toEqual(levels.sort(byLevel));
    const ranking = await sql(
      `SELECT lead_unit_id AS "unitId", count(*)::int AS closed FROM work_orders WHERE status = 'closed' AND closed_at >= $1 GROUP BY lead_unit_id`,
      [city.body.monthStart],
    );
    expect(city.body.onTimeRanking.map((r: { unitId: string; closed: number }) => ({ unitId: r.unitId, closed: r.closed })).sort(byUnit)).toEqual(
      ranking.sort(byUnit),
    );

    // and 新华区 sees only itself and its streets
    expect(unit.status).toBe(200);
    expect(unit.body.scope).toBe('unit');
    const streets = new Set(['xinhua', 'xinhua-kuanggonglu', 'xinhua-zhongxinglu', 'xinhua-xishichang']);
    expect(unit.body.deadlines.every((d: { unitId: string }) => streets.has(d.unitId))).toBe(true);
    expect(unit.body.deadlines.find((d: { unitId: string }) => d.unitId === 'xinhua')).toMatchObject({
      overdueCount: xinhuaSql.overdue,
      dueSoonCount: xinhuaSql.soon,
    });
    const [{ unitOpen }] = await sql(
      `SELECT count(*)::int AS "unitOpen" FROM work_orders WHERE status NOT IN ('closed', 'answered', 'guided', 'transferred')
       AND (lead_unit_id = ANY($1) OR delegated_unit_id = ANY($1) OR co_unit_ids && $1::varchar[])`,
      [[...streets]],
    );
    expect(unit.body.openByCategory.reduce((s: number, r: { count: number }) => s + r.count, 0)).toBe(unitOpen);
    expect((await http('GET', '/api/dashboard', { token: await login('operator') })).status).toBe(403);
  });
});

const byCategory = (a: { category: string | null }, b: { category: string | null }) => String(a.category).localeCompare(String(b.category));
const byLevel = (a: { level: string }, b: { level: string }) => a.level.localeCompare(b.level);
const byUnit = (a: { unitId: string }, b: { unitId: string }) => a.unitId.localeCompare(b.unitId);
