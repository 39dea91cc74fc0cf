import { complete, createCase, http, login, openTask } from './helpers';
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
    const body = { username: `zhanhe-leader-${Date.now()}`, password: 'a-strong-password', displayName: '湛河区热线分管领导', roles: ['unit_leader'], unitId: 'zhanhe' };
    expect((await http('POST', '/api/users', { token: await login('office'), body })).status).toBe(403);
    const created = await http('POST', '/api/users', { token: await login('admin'), body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: body.username, roles: ['unit_leader'], unitId: 'zhanhe' });
    expect(created.body.passwordHash).toBeUndefined();
    const again = await http('POST', '/api/users', { token: await login('admin'), body });
    expect(again.status).toBe(409);
    const login2 = await http('POST', '/api/auth/login', { body: { username: body.username, password: body.password } });
    expect(login2.status).toBe(200);
  });
});
