/**
 * ASVS V2.1.1 / V2.1.7 (12 characters at least, no common password), V2.1.5 / V2.1.6 (a user changes their own
 * password with the current one), V3.3.3 (a password change ends the other sessions), V2.5 / V2.3.1 (an admin's
 * reset: a password set by the admin, or a generated one that works only to set the user's own), V4.1.3 (an admin
 * deactivates, re-enables and changes roles and units; a unit role is never bound to the level-1 office).
 */
import { http, login, sql } from './helpers';

const STRONG = 'Xinhua-river-lamp-42';

async function newUser(extra: Record<string, unknown> = {}) {
  const body = {
    username: `acct-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    password: STRONG,
    displayName: '测试经办人',
    roles: ['unit_handler'],
    unitId: 'xinhua',
    ...extra,
  };
  const res = await http('POST', '/api/users', { token: await login('admin'), body });
  expect(res.status).toBe(201);
  return { ...res.body, password: body.password as string };
}

const signIn = async (username: string, password: string) => http('POST', '/api/auth/login', { body: { username, password } });

describe('ASVS V2.1 passwords', () => {
  it('V2.1.1 / V2.1.7 new passwords have at least 12 characters and are not common, not the username', async () => {
    const admin = await login('admin');
    const attempt = (password: string) =>
      http('POST', '/api/users', { token: admin, body: { username: `weak-${process.pid}`, password, displayName: '弱密码', roles: ['operator'] } });
    for (const weak of ['short-pw1', 'password1234', 'iloveyou2024!', 'qwertyuiopqwertyuiop', 'aaaaaaaaaaaaaa', `weak-${process.pid}-2026!`]) {
      const res = await attempt(weak);
      expect([weak, res.status]).toEqual([weak, 422]);
      expect(res.body.error).toMatchObject({ code: 'weak_password', field: 'password' });
    }
    expect((await attempt('Pingdingshan-hotline-12345')).status).toBe(201);
  });

  it('V2.1.5 / V2.1.6 / V3.3.3 a user changes their own password with the current one; their other sessions end', async () => {
    const u = await newUser();
    const a = (await signIn(u.username, u.password)).body.token as string;
    const b = (await signIn(u.username, u.password)).body.token as string;
    const wrong = await http('POST', '/api/me/password', { token: a, body: { currentPassword: 'not-the-password', newPassword: 'Another-river-lamp-43' } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ code: 'bad_credentials', field: 'currentPassword' });
    const weak = await http('POST', '/api/me/password', { token: a, body: { currentPassword: u.password, newPassword: 'password1234' } });
    expect(weak.status).toBe(422);
    expect(weak.body.error.field).toBe('newPassword');

    const changed = await http('POST', '/api/me/password', { token: a, body: { currentPassword: u.password, newPassword: 'Another-river-lamp-43' } });
    expect(changed.status).toBe(200);
    expect((await http('GET', '/api/me', { token: b })).status).toBe(401);
    expect((await http('GET', '/api/me', { token: a })).status).toBe(401);
    expect((await http('GET', '/api/me', { token: changed.body.token })).status).toBe(200);
    expect((await signIn(u.username, u.password)).status).toBe(401);
    expect((await signIn(u.username, 'Another-river-lamp-43')).status).toBe(200);
    const audited = await sql(`SELECT action, detail FROM audit_log WHERE resource_id = $1`, [u.id]);
    expect(audited.map((r) => r.action)).toContain('user.change-own-password');
    expect(JSON.stringify(audited)).not.toContain('river-lamp');
  });
});

describe('ASVS V4.1.3 / V2.5 accounts lifecycle (admin)', () => {
  it('V4.1.3 only an admin lists accounts; the list has no password hashes', async () => {
    expect((await http('GET', '/api/users', { token: await login('office') })).status).toBe(403);
    const res = await http('GET', '/api/users?q=xinhua&active=true', { token: await login('admin') });
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual(expect.objectContaining({ username: 'xinhua', roles: ['unit_handler'], unitId: 'xinhua', active: true }));
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|\$2[aby]\$/);
  });

  it('V4.1.3 an admin deactivates (sessions end at once), re-enables, and changes roles and unit; a unit role cannot be bound to the level-1 office', async () => {
    const admin = await login('admin');
    const u = await newUser();
    const token = (await signIn(u.username, u.password)).body.token as string;
    const off = await http('PATCH', `/api/users/${u.id}`, { token: admin, body: { active: false } });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    expect((await http('GET', '/api/me', { token })).status).toBe(401);
    expect((await signIn(u.username, u.password)).status).toBe(401);

    expect((await http('PATCH', `/api/users/${u.id}`, { token: admin, body: { active: true } })).status).toBe(200);
    expect((await http('GET', '/api/me', { token })).status).toBe(401);
    const again = (await signIn(u.username, u.password)).body.token as string;

    const office = await http('PATCH', `/api/users/${u.id}`, { token: admin, body: { unitId: 'hotline-office' } });
    expect(office.status).toBe(422);
    expect(office.body.error).toMatchObject({ code: 'invalid_input', field: 'unitId' });
    const created = await http('POST', '/api/users', {
      token: admin,
      body: { username: `office-unit-${process.pid}`, password: STRONG, displayName: '错误绑定', roles: ['unit_leader'], unitId: 'hotline-office' },
    });
    expect(created.status).toBe(422);

    const moved = await http('PATCH', `/api/users/${u.id}`, { token: admin, body: { roles: ['unit_leader'], unitId: 'weidong' } });
    expect(moved.status).toBe(200);
    expect((await http('GET', '/api/me', { token: again })).status).toBe(401);
    const me = await http('GET', '/api/me', { token: (await signIn(u.username, u.password)).body.token });
    expect(me.body).toMatchObject({ roles: ['unit_leader'], unitId: 'weidong' });

    const self = await http('GET', '/api/me', { token: admin });
    expect((await http('PATCH', `/api/users/${self.body.id}`, { token: admin, body: { active: false } })).status).toBe(422);
    const rows = await sql(`SELECT action FROM audit_log WHERE username = 'admin' AND resource_id = $1`, [u.id]);
    expect(rows.filter((r) => r.action === 'user.update')).toHaveLength(4);
  });

  it("V2.5 / V2.3.1 a reset gives a one-time temporary password that only lets the user set their own, or sets the admin's", async () => {
    const admin = await login('admin');
    const u = await newUser();
    const old = (await signIn(u.username, u.password)).body.token as string;
    const reset = await http('POST', `/api/users/${u.id}/password`, { token: admin, body: {} });
    expect(reset.status).toBe(200);
    const temporary = reset.body.temporaryPassword as string;
    expect(temporary.length).toBeGreaterThanOrEqual(20);
    expect((await http('GET', '/api/me', { token: old })).status).toBe(401);

    const signedIn = await signIn(u.username, temporary);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user.mustChangePassword).toBe(true);
    const blocked = await http('GET', '/api/tasks', { token: signedIn.body.token });
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('password_change_required');
    const own = await http('POST', '/api/me/password', { token: signedIn.body.token, body: { currentPassword: temporary, newPassword: 'Own-choice-lamp-77' } });
    expect(own.status).toBe(200);
    expect((await http('GET', '/api/tasks', { token: own.body.token })).status).toBe(200);
    expect((await signIn(u.username, temporary)).status).toBe(401);

    const set = await http('POST', `/api/users/${u.id}/password`, { token: admin, body: { password: 'Admin-set-lamp-88' } });
    expect(set.status).toBe(204);
    const withSet = await signIn(u.username, 'Admin-set-lamp-88');
    expect(withSet.body.user.mustChangePassword).toBe(false);
    expect((await http('POST', `/api/users/${u.id}/password`, { token: admin, body: { password: 'password1234' } })).status).toBe(422);
    const rows = await sql(`SELECT detail FROM audit_log WHERE action = 'user.reset-password' AND resource_id = $1`, [u.id]);
    expect(rows.map((r) => r.detail.temporary)).toEqual(expect.arrayContaining([true, false]));
    expect(JSON.stringify(rows)).not.toContain(temporary);
  });

  it('V2.3.1 a temporary password expires: a day after the reset it no longer opens the account', async () => {
    const admin = await login('admin');
    const u = await newUser();
    const temporary = (await http('POST', `/api/users/${u.id}/password`, { token: admin, body: {} })).body.temporaryPassword as string;
    await sql(`UPDATE users SET password_changed_at = now() - interval '25 hours' WHERE id = $1`, [u.id]);
    const expired = await signIn(u.username, temporary);
    expect(expired.status).toBe(401);
    expect(expired.body.error).toMatchObject({ code: 'temporary_password_expired', field: 'password' });
  });

  it('V4.1.3 two admins deactivating each other at once leave one active admin: the other change is refused with 409', async () => {
    // given: two admins of their own, and for the length of the test no other active admin
    const [a, b] = [await newUser({ roles: ['admin'], unitId: undefined }), await newUser({ roles: ['admin'], unitId: undefined })];
    const [ta, tb] = [(await signIn(a.username, a.password)).body.token, (await signIn(b.username, b.password)).body.token];
    const others = await sql(`UPDATE users SET active = false WHERE active AND 'admin' = ANY(roles) AND id NOT IN ($1, $2) RETURNING id`, [a.id, b.id]);
    try {
      // when
      const answers = await Promise.all([
        http('PATCH', `/api/users/${b.id}`, { token: ta, body: { active: false } }),
        http('PATCH', `/api/users/${a.id}`, { token: tb, body: { active: false } }),
      ]);
      // then
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(answers.find((r) => r.status === 409)!.body.error).toMatchObject({ code: 'conflict', field: 'active' });
      const [{ n }] = await sql(`SELECT count(*)::int AS n FROM users WHERE active AND id IN ($1, $2)`, [a.id, b.id]);
      expect(n).toBe(1);
    } finally {
      await sql(`UPDATE users SET active = true WHERE id = ANY($1::uuid[])`, [others.map((r: { id: string }) => r.id)]);
    }
  });
});
