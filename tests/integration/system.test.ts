import { spawnSync } from 'node:child_process';
import { http, login } from './helpers';

describe('the system and its network', () => {
  it('GET /api/health reports the engine and the database', async () => {
    const res = await http('GET', '/api/health');
    expect(res.body).toEqual({ status: 'ok', engine: 'up', db: 'up' });
  });

  it('R1.4 GET /api/units is the three-level Pingdingshan network', async () => {
    const res = await http('GET', '/api/units', { token: await login('operator') });
    expect(res.body).toHaveLength(1);
    const office = res.body[0];
    expect(office).toMatchObject({ id: 'hotline-office', level: 1, name: '平顶山市市长热线办公室' });
    const names = office.children.map((u: { name: string }) => u.name);
    for (const n of ['新华区人民政府', '城乡一体化示范区管委会', '市城市管理局', '市自然资源和规划局', '平顶山市燃气有限公司']) expect(names).toContain(n);
    const xinhua = office.children.find((u: { id: string }) => u.id === 'xinhua');
    expect(xinhua.children.map((u: { level: number }) => u.level)).toEqual([3, 3, 3]);
  });

  it('the OpenAPI document lists the contract', async () => {
    const res = await http('GET', '/docs/json');
    for (const p of ['/api/health', '/api/auth/login', '/api/cases', '/api/cases/{id}', '/api/tasks', '/api/tasks/{id}/complete', '/api/calendar/deadline', '/api/units', '/api/users']) {
      expect(Object.keys(res.body.paths)).toContain(p);
    }
  });
});

describe('outside demo mode', () => {
  it('a missing AUTH_SECRET stops the start with a message naming it, before anything is started', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, HOTLINE_MODE: 'production', PORT: '3999' };
    delete env.AUTH_SECRET;
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: `${__dirname}/../..`, env, encoding: 'utf8', timeout: 60_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('AUTH_SECRET');
    expect(run.stdout).not.toContain('PostgreSQL');
  });
});
