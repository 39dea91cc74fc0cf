import { spawnSync } from 'node:child_process';
import { COUNT_CAP } from '../../core/cases/repository';
import { http, login, sql } from './helpers';

describe('the system and its network', () => {
  it('GET /api/health reports the engine and the database', async () => {
    const res = await http('GET', '/api/health');
    expect(res.body).toMatchObject({ status: 'ok', engine: 'up', db: 'up', backlog: { pendingCompletions: 0 } });
    expect(res.body.engineLatencyMs).toBeGreaterThanOrEqual(0);
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
    for (const p of [
      '/api/health',
      '/api/auth/login',
      '/api/cases',
      '/api/cases/{id}',
      '/api/tasks',
      '/api/tasks/{id}/complete',
      '/api/calendar/deadline',
      '/api/units',
      '/api/users',
    ]) {
      expect(Object.keys(res.body.paths)).toContain(p);
    }
  });
});

describe('suggestions while the operator types', () => {
  it('R4 R2.1 the category and lead unit come from the 派单目录 the process uses, with the district named in the address for regional matters', async () => {
    const token = await login('operator');
    const gas = await http('GET', `/api/suggestions?content=${encodeURIComponent('楼道里燃气泄漏味道很浓')}&address=${encodeURIComponent('卫东区建设路')}`, {
      token,
    });
    expect(gas.body).toMatchObject({ category: 'D', unitId: 'gas', unitName: '平顶山市燃气有限公司' });
    expect(gas.body.candidates[0]).toMatchObject({ unitId: 'gas', reason: expect.stringContaining('燃气泄漏') });
    const byPlace = await http(
      'GET',
      `/api/suggestions?content=${encodeURIComponent('小区门口占道经营，流动摊贩堵路')}&address=${encodeURIComponent('湛河区南环路')}`,
      {
        token,
      },
    );
    expect(byPlace.body).toMatchObject({ category: 'B', unitId: 'zhanhe' });
    expect((await http('GET', '/api/suggestions?content=x', { token: await login('xinhua') })).status).toBe(403);
  });
});

describe('case search on volume', () => {
  it('finds by number and phone exactly, by words in the text, and counts matches up to a cap', async () => {
    // given more closed work orders sharing a marker than the count goes up to
    const marker = `测试标记${Date.now()}`;
    await sql(
      `INSERT INTO work_orders (code, status, channel, citizen_name, citizen_phone, address, content, created_by, lead_unit_id)
       SELECT '12345-20200101-' || lpad((900000 + g)::text, 6, '0') || '-' || $2, 'closed', 'phone', '市民', '1390000' || lpad(g::text, 4, '0'), '卫东区建设路' || g || '号', $1 || '：路灯不亮', 'operator', 'weidong'
       FROM generate_series(1, $3::int) g`,
      [marker, Date.now() % 100000, COUNT_CAP + 1],
    );
    const office = await login('office');
    const broad = await http('GET', `/api/cases?q=${encodeURIComponent(marker)}&pageSize=5`, { token: office });
    expect(broad.body).toMatchObject({ total: COUNT_CAP, totalCapped: true });
    expect(broad.body.items).toHaveLength(5);
    const next = await http('GET', `/api/cases?q=${encodeURIComponent(marker)}&pageSize=5&page=2`, { token: office });
    const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((c) => c.id);
    expect(ids(next)).toHaveLength(5);
    expect(ids(next).filter((id: string) => ids(broad).includes(id))).toEqual([]);
    const times = [...broad.body.items, ...next.body.items].map((c: { createdAt: string }) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const byPhone = await http('GET', '/api/cases?q=13900000007', { token: office });
    expect(byPhone.body).toMatchObject({ total: 1, totalCapped: false });
    expect(byPhone.body.items[0].address).toBe('卫东区建设路7号');
  });
});

describe('case search by text', () => {
  it('matches Chinese exactly and Latin letters without regard to case', async () => {
    const tag = `${Date.now()}`;
    await sql(
      `INSERT INTO work_orders (code, status, channel, citizen_name, citizen_phone, address, content, created_by) VALUES ($1, 'closed', 'phone', '市民', '13911112222', '新华区中兴路', $2, 'operator')`,
      [`12345-20200102-${tag.slice(-6)}`, `楼下KTV深夜噪音扰民${tag}`],
    );
    const office = await login('office');
    for (const q of [`ktv深夜噪音扰民${tag}`, `KTV深夜噪音扰民${tag}`, `深夜噪音扰民${tag}`]) {
      expect((await http('GET', `/api/cases?q=${encodeURIComponent(q)}`, { token: office })).body.total).toBe(1);
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
