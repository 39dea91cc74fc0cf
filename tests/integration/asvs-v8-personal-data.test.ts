/**
 * ASVS V8.3.5 (access to personal data is audited), V8.1.4 / V11.1.4 (abnormal numbers of requests are limited),
 * V4.2.1 (a unit cannot recover a masked phone number by searching for it).
 */
import { configuredServer, request } from './configured-server';
import { createCase, dispatchedCase, http, login, sql, waitFor } from './helpers';
import { stack } from './setup/stack';

interface AuditRow {
  username: string;
  action: string;
  detail: { route?: string; ids?: string[]; count?: number; q?: string | null; status?: number | null };
}

const auditRows = (username: string, action: string) =>
  sql<AuditRow>(`SELECT username, action, detail FROM audit_log WHERE username = $1 AND action = $2 ORDER BY id DESC`, [username, action]);

/** A new office account (so its rate limit is its own), signed in. */
async function freshOffice(): Promise<{ username: string; token: string }> {
  const username = `office-${process.pid}-${Date.now()}`;
  const password = 'Bulk-reader-2026!';
  const created = await http('POST', '/api/users', {
    token: await login('admin'),
    body: { username, password, displayName: '热线办批量查询', roles: ['office'], unitId: 'hotline-office' },
  });
  expect(created.status).toBe(201);
  return { username, token: (await http('POST', '/api/auth/login', { body: { username, password } })).body.token };
}

describe('ASVS V8.3.5 / V8.1.4 personal data in bulk', () => {
  it('V8.3.5 every page of unmasked personal data is audited with who, the route and the work orders', async () => {
    const marker = `批量审计${process.pid}`;
    const a = await createCase(`${marker} 路灯不亮，夜间出行不便，请尽快维修`);
    const b = await createCase(`${marker} 小区楼道堆放杂物，存在消防隐患`);
    const { username, token } = await freshOffice();
    const page = await http('GET', '/api/cases?pageSize=5', { token });
    expect(page.status).toBe(200);
    expect(page.body.items[0].citizenPhone).toBe('13812341234');
    const search = await http('GET', `/api/cases?q=${encodeURIComponent(marker)}`, { token });
    expect(search.body.items.map((c: { id: string }) => c.id).sort()).toEqual([a.id, b.id].sort());
    const rows = await auditRows(username, 'cases.list');
    expect(rows).toHaveLength(2);
    expect(rows[0].detail).toMatchObject({ route: '/api/cases', q: marker, count: 2 });
    expect(rows[0].detail.ids!.sort()).toEqual([a.id, b.id].sort());
    expect(rows[1].detail.ids).toEqual(page.body.items.map((c: { id: string }) => c.id));
  });

  it('V8.1.4 paging through personal data is rate-limited per user (429 in the common shape), others go on', async () => {
    const { token } = await freshOffice();
    const limit = 30; // CASE_PAGES_PER_MINUTE's default
    for (let i = 1; i <= limit; i++) expect((await http('GET', `/api/cases?page=${i}&pageSize=1`, { token })).status).toBe(200);
    const refused = await http('GET', `/api/cases?page=${limit + 1}&pageSize=1`, { token });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: { code: 'rate_limited', message: { zh: expect.stringContaining('频繁'), en: expect.any(String) } } });
    expect((await http('GET', '/api/cases?pageSize=1', { token: await login('office') })).status).toBe(200);
  });

  it('V8.3.5 an export is its own audited action (office, CSV, count and filter); units are refused; it is capped', async () => {
    const marker = `导出审计${process.pid}`;
    const c = await createCase(`${marker} 供暖温度不达标，室内只有十四度`);
    const office = await login('office');
    const res = await fetch(`${stack.api}/api/cases/export?q=${encodeURIComponent(marker)}`, { headers: { authorization: `Bearer ${office}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('"联系电话"');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"13812341234"');
    expect(lines[1]).toContain(c.code);
    const [row] = await auditRows('office', 'cases-export');
    expect(row.detail).toMatchObject({ route: '/api/cases/export', count: 1, q: marker, ids: [c.id] });

    const unit = await http('GET', '/api/cases/export', { token: await login('xinhua') });
    expect(unit.status).toBe(403);
    expect(unit.body.error.code).toBe('forbidden');

    await createCase(`${marker} 第二件`);
    const capped = await configuredServer({ CASE_EXPORT_MAX_ROWS: '1' });
    try {
      const tooMany = await request(capped.base, 'GET', `/api/cases/export?q=${encodeURIComponent(marker)}`, {
        headers: { authorization: `Bearer ${office}` },
      });
      expect(tooMany.status).toBe(422);
      expect(tooMany.body.error).toMatchObject({ code: 'invalid_input', field: 'querystring.q' });
    } finally {
      await capped.stop();
    }
  });
});

describe('ASVS V4.2.1 a masked phone cannot be recovered by searching', () => {
  it('V4.2.1 a unit searching its work orders by a phone number is refused (403) and audited; the office may; work-order codes still work', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const xinhua = await login('xinhua');
    const guess = await http('GET', '/api/cases?q=13812341234', { token: xinhua });
    expect(guess.status).toBe(403);
    expect(guess.body.error).toMatchObject({ code: 'forbidden', field: 'querystring.q' });
    const [row] = await waitFor('the refused search in the audit log', async () => {
      const rows = (await auditRows('xinhua', 'cases.list')).filter((r) => r.detail.status === 403);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row.detail.q).toBe('13812341234');
    const byCode = await http('GET', `/api/cases?q=${c.code}`, { token: xinhua });
    expect(byCode.status).toBe(200);
    expect(byCode.body.items).toEqual([expect.objectContaining({ id: c.id, citizenPhone: '138****1234' })]);
    const office = await http('GET', '/api/cases?q=13812341234', { token: await login('office') });
    expect(office.status).toBe(200);
    expect(office.body.items.length).toBeGreaterThan(0);
  });
});
