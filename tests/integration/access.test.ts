import { complete, createCase, http, login, openTask, sql, waitFor } from './helpers';
import { LOGIN_RATE_LIMIT } from './setup/stack';

describe('authentication and unit-scoped authorization', () => {
  it('login attempts are limited per account and address', async () => {
    const attempt = () => http('POST', '/api/auth/login', { body: { username: `guesser-${process.pid}`, password: 'guess' } });
    for (let i = 0; i < LOGIN_RATE_LIMIT; i++) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body.error.message.zh).toContain('频繁');
    expect((await http('POST', '/api/auth/login', { body: { username: 'office', password: 'hotline-demo' } })).status).toBe(200);
  });

  it('a wrong password is refused; a token opens /api/me', async () => {
    const wrong = await http('POST', '/api/auth/login', { body: { username: 'office', password: 'guess' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message.zh).toBe('用户名或密码错误');
    const me = await http('GET', '/api/me', { token: await login('office') });
    expect(me.body).toMatchObject({ username: 'office', roles: ['office'], unitId: 'hotline-office' });
  });

  it('R1.4 a unit sees and works only its own work orders, with the phone masked', async () => {
    const c = await createCase();
    await complete('office', c.id, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: 'xinhua' });
    const handle = await openTask(c.id, 'handle');

    const own = await http('GET', `/api/cases/${c.id}`, { token: await login('xinhua') });
    expect(own.status).toBe(200);
    expect(own.body.citizenPhone).toBe('138****1234');

    const other = await http('GET', `/api/cases/${c.id}`, { token: await login('weidong') });
    expect(other.status).toBe(403);
    const otherList = await http('GET', `/api/cases?q=${c.code}`, { token: await login('weidong') });
    expect(otherList.body.items).toHaveLength(0);
    const claim = await http('POST', `/api/tasks/${handle.id}/claim`, { token: await login('weidong') });
    expect(claim.status).toBe(403);
    const steal = await http('POST', `/api/tasks/${handle.id}/complete`, { token: await login('weidong'), body: { variables: {} } });
    expect(steal.status).toBe(403);
    const operatorSees = await http('GET', `/api/cases/${c.id}`, { token: await login('operator') });
    expect(operatorSees.body.citizenPhone).toBe('13812341234');
  });

  it('only an admin creates users, and the new user can log in', async () => {
    const body = {
      username: `zhanhe-leader-${Date.now()}`,
      password: 'a-strong-password',
      displayName: '湛河区热线分管领导',
      roles: ['unit_leader'],
      unitId: 'zhanhe',
    };
    expect((await http('POST', '/api/users', { token: await login('office'), body })).status).toBe(403);
    const created = await http('POST', '/api/users', { token: await login('admin'), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: body.username, roles: ['unit_leader'], unitId: 'zhanhe' });
    expect(created.body.passwordHash).toBeUndefined();
    const again = await http('POST', '/api/users', { token: await login('admin'), body });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', field: 'username' });
    const login2 = await http('POST', '/api/auth/login', { body: { username: body.username, password: body.password } });
    expect(login2.status).toBe(200);
  });

  it('an account changed in the database, as by another server, is refused at once although this server knew it', async () => {
    // given a new account whose token this server has already checked (so it keeps the account in memory)
    const body = { username: `ruzhou-${Date.now()}`, password: 'a-strong-password', displayName: '汝州市经办人', roles: ['unit_handler'], unitId: 'ruzhou' };
    expect((await http('POST', '/api/users', { token: await login('admin'), body })).status).toBe(201);
    const token = (await http('POST', '/api/auth/login', { body: { username: body.username, password: body.password } })).body.token as string;
    expect((await http('GET', '/api/me', { token })).body).toMatchObject({ username: body.username, roles: ['unit_handler'] });

    // when the account's roles change in the database, then the next requests see the new roles
    await sql(`UPDATE users SET roles = ARRAY['unit_leader'] WHERE username = $1`, [body.username]);
    await waitFor('the new roles', async () => (await http('GET', '/api/me', { token })).body.roles?.[0] === 'unit_leader', 2_000);

    // when its tokens are revoked there (a logout on another server), then this token is refused
    await sql(`UPDATE users SET token_version = token_version + 1 WHERE username = $1`, [body.username]);
    const refused = await waitFor(
      'the revoked token refused',
      async () => {
        const me = await http('GET', '/api/me', { token });
        return me.status === 401 && me;
      },
      2_000,
    );
    expect(refused.body.error.message.zh).toBe('已退出登录，请重新登录');

    // when the account is deactivated, then even a fresh token is refused
    const fresh = (await http('POST', '/api/auth/login', { body: { username: body.username, password: body.password } })).body.token as string;
    expect((await http('GET', '/api/me', { token: fresh })).status).toBe(200);
    await sql(`UPDATE users SET active = false WHERE username = $1`, [body.username]);
    await waitFor('the deactivated account refused', async () => (await http('GET', '/api/me', { token: fresh })).status === 401, 2_000);
  });
});
