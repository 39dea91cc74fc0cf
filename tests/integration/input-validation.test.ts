import { request } from 'node:http';
import { stack } from './setup/stack';
import { complaint, createCase, http, login, openTask, sql } from './helpers';

async function countCases(): Promise<number> {
  const [{ n }] = await sql(`SELECT count(*)::int AS n FROM work_orders`);
  return n;
}

describe('bad input gets a clear 400 naming the field, and nothing is written', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing content', (({ content: _c, ...rest }) => rest)(complaint()), 'content'],
    ['blank content', { ...complaint(), content: '   ' }, 'content'],
    ['content of zero-width marks only', { ...complaint(), content: '\u200b\u200e\u2060' }, 'content'],
    ['a phone number of letters', { ...complaint(), citizen: { name: '王女士', phone: 'abcdefgh' } }, 'citizen.phone'],
    ['an unknown category', { ...complaint(), category: 'E' }, 'category'],
    ['an unknown channel', { ...complaint(), channel: 'fax' }, 'channel'],
    ['an unexpected field', { ...complaint(), priority: 'high' }, 'priority'],
    ['a NUL character in the content', { ...complaint(), content: '路灯\u0000不亮' }, 'content'],
    ['a lone surrogate in the name', { ...complaint(), citizen: { name: '王\ud800', phone: '13812341234' } }, 'citizen.name'],
    // A JSON body is taken as sent: a number is not read as text, a one-item list not as its item.
    ['a number as the content', { ...complaint(), content: 12345678 }, 'content'],
    ['a phone number sent as a number', { ...complaint(), citizen: { name: '王女士', phone: 13812341234 } }, 'citizen.phone'],
    ['the category as a one-item list', { ...complaint(), category: ['A'] }, 'category'],
  ];

  it.each(cases)('POST /api/cases with %s → 400 naming %s', async (_what, body, field) => {
    const before = await countCases();
    const res = await http('POST', '/api/cases', { token: await login('operator'), body });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.message.zh).toMatch(/[\u4e00-\u9fa5]/);
    expect(res.body.error.message.en).toContain(field);
    expect(await countCases()).toBe(before);
  });

  it('a 5 MB complaint is refused naming content, not a 500', async () => {
    const before = await countCases();
    const res = await http('POST', '/api/cases', { token: await login('operator'), body: { ...complaint(), content: '噪'.repeat((5 * 1024 * 1024) / 3) } });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('content');
    expect(await countCases()).toBe(before);
  });

  it('a body beyond the size limit is refused with 413', async () => {
    // The server refuses on the declared length alone: send only the headers and read the answer, so no upload
    // races the server closing the connection (an EPIPE on a loaded machine).
    const length = 9 * 1024 * 1024;
    const token = await login('operator');
    const res = await new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = request(
        `${stack.api}/api/cases`,
        { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': length } },
        (r) => {
          let text = '';
          r.on('data', (d) => (text += d));
          r.on('end', () => {
            req.destroy();
            resolve({ status: r.statusCode ?? 0, body: JSON.parse(text) });
          });
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
  });

  it('a body that is not a JSON object, a text/plain body, a malformed URL and an oversized URL are refused in the one shape', async () => {
    const token = await login('operator');
    const post = (type: string, body: string) =>
      fetch(`${stack.api}/api/suggestions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
    for (const body of ['[]', '"路灯"', 'null']) {
      const res = await post('application/json', body);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'invalid_input', field: 'body', message: { zh: expect.stringMatching(/[\u4e00-\u9fa5]/) } });
    }
    const plain = await post('text/plain', '{"content":"路灯坏了"}');
    expect(plain.status).toBe(415);
    expect((await plain.json()).error.code).toBe('unsupported_media_type');
    const badUrl = await fetch(`${stack.api}/api/cases/%E0%A4%A/suggestion`, { headers: { authorization: `Bearer ${token}` } });
    expect(badUrl.status).toBe(400);
    expect((await badUrl.json()).error).toMatchObject({ code: 'bad_url', field: 'url' });
    const huge = await fetch(`${stack.api}/api/suggestions?content=${encodeURIComponent('路灯'.repeat(5000))}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(huge.status).toBe(431);
    expect((await huge.json()).error).toMatchObject({ code: 'headers_too_large', field: 'url', message: { zh: expect.any(String), en: expect.any(String) } });
  });

  it('a JSON body is not type-coerced: "false" is not a boolean, "2" not a version', async () => {
    const admin = await login('admin');
    const deactivate = await http('PATCH', '/api/users/00000000-0000-4000-8000-000000000001', { token: admin, body: { active: 'false' } });
    expect(deactivate.status).toBe(400);
    expect(deactivate.body.error.field).toBe('active');
    const migrate = await http('POST', '/api/definitions/process/hotlineCase/migrate', { token: admin, body: { fromVersion: '1', toVersion: 2 } });
    expect(migrate.status).toBe(400);
    expect(migrate.body.error.field).toBe('fromVersion');
  });

  it('dates and instants must be real and within the years the system holds (1970–2199), or 400 naming the field', async () => {
    const operator = await login('operator');
    const instruction = (dueAt: string) => ({ channel: 'leader-instruction', instruction: { leaderName: '李', text: '限期办理', dueAt } });
    for (const dueAt of ['9999-12-31T23:59:59Z', '2027-01-01T00:00:00+08', '2027-06-30T23:59:60Z', '2027-02-30T10:00:00Z', '2027-01-01T10:00:00']) {
      const before = await countCases();
      const res = await http('POST', '/api/cases', { token: operator, body: instruction(dueAt) });
      expect([dueAt, res.status, res.body.error.field]).toEqual([dueAt, 400, 'instruction.dueAt']);
      expect(await countCases()).toBe(before);
    }
    for (const from of ['2027-01-01T00:00:00%2B08', '0000-01-01T00:00:00Z', '9999-12-25T00:00:00Z']) {
      const res = await http('GET', `/api/calendar/deadline?category=B&from=${from}`, { token: operator });
      expect([from, res.status, res.body.error.field]).toEqual([from, 400, 'querystring.from']);
    }
    const admin = await login('admin');
    const year = (holidays: Record<string, string>, workdays: Record<string, string>) =>
      http('POST', '/api/calendar/years', { token: admin, body: { year: 2031, source: '测试', holidays, workdays } });
    const feb30 = await year({ '2031-02-30': '假' }, {});
    expect([feb30.status, feb30.body.error.field]).toEqual([400, 'holidays']);
    const both = await year({ '2031-10-08': '国庆节' }, { '2031-10-08': '调休' });
    expect([both.status, both.body.error.field]).toEqual([422, 'workdays']);
    const audit = await http('GET', '/api/audit?from=0000-01-01T00:00:00Z', { token: admin });
    expect([audit.status, audit.body.error.field]).toEqual([400, 'querystring.from']);
  });

  it('pages beyond any list, nesting deeper than any request, an empty patch and invisible text are refused naming the field', async () => {
    const admin = await login('admin');
    for (const [list, user] of [
      ['/api/cases', 'office'],
      ['/api/users', 'admin'],
      ['/api/tasks', 'xinhua'],
      ['/api/audit', 'admin'],
    ]) {
      const res = await http('GET', `${list}?page=1e20`, { token: await login(user) });
      expect([list, res.status, res.body.error.field]).toEqual([list, 400, 'querystring.page']);
    }
    const depth = 100_000;
    const deep = await http('POST', '/api/auth/login', { raw: `{"username":${'['.repeat(depth)}${']'.repeat(depth)}}` });
    expect([deep.status, deep.body.error.field]).toEqual([400, `username${'.0'.repeat(31)}`]);
    const empty = await http('PATCH', '/api/users/00000000-0000-4000-8000-000000000001', { token: admin, body: {} });
    expect([empty.status, empty.body.error.field]).toEqual([400, 'body']);
    const invisible = await http('PATCH', '/api/users/00000000-0000-4000-8000-000000000001', { token: admin, body: { displayName: '\u202e\u200b ' } });
    expect([invisible.status, invisible.body.error.field]).toEqual([400, 'displayName']);
    const c = await createCase();
    const reveal = await http('POST', `/api/cases/${c.id}/reveal-phone`, { token: await login('office'), body: { reason: '\u200b\u200b' } });
    expect([reveal.status, reveal.body.error.field]).toEqual([400, 'reason']);
  });

  it('malformed JSON is a 400, a missing token a 401', async () => {
    expect((await http('POST', '/api/cases', { token: await login('operator'), raw: '{"channel":' })).status).toBe(400);
    const anonymous = await http('POST', '/api/cases', { body: complaint() });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.message.zh).toContain('登录');
  });

  it('a task submission is validated again on the server: unknown category, non-level-2 unit', async () => {
    const c = await createCase();
    const task = await openTask(c.id, 'dispatch');
    const token = await login('office');
    const unknownCategory = await http('POST', `/api/tasks/${task.id}/complete`, {
      token,
      body: { variables: { disposition: 'dispatch', category: 'E', leadUnitId: 'xinhua' } },
    });
    expect(unknownCategory.status).toBe(400);
    expect(unknownCategory.body.error.field).toBe('variables.category');
    const streetAsLead = await http('POST', `/api/tasks/${task.id}/complete`, {
      token,
      body: { variables: { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua-kuanggonglu' } },
    });
    expect(streetAsLead.status).toBe(422);
    expect(streetAsLead.body.error.field).toBe('variables.leadUnitId');
    const missingGuideText = await http('POST', `/api/tasks/${task.id}/complete`, {
      token,
      body: { variables: { disposition: 'guide', guideReason: 'petition' } },
    });
    expect(missingGuideText.body.error.field).toBe('variables.guideText');
    // the task is still open and the case unchanged
    expect((await openTask(c.id, 'dispatch')).id).toBe(task.id);
    const [row] = await sql(`SELECT status, category, dispatch_count FROM work_orders WHERE id = $1`, [c.id]);
    expect(row).toEqual({ status: 'registered', category: null, dispatch_count: 0 });
  });

  it('GET /api/calendar/deadline rejects an unknown category and a malformed date', async () => {
    const token = await login('office');
    const badCategory = await http('GET', '/api/calendar/deadline?from=2026-11-26T09:00:00%2B08:00&category=E', { token });
    expect(badCategory.status).toBe(400);
    expect(badCategory.body.error.field).toBe('querystring.category');
    const badDate = await http('GET', '/api/calendar/deadline?from=yesterday&category=B', { token });
    expect(badDate.body.error.field).toBe('querystring.from');
  });
});
