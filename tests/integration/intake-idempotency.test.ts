/** An intake request sent again under its Idempotency-Key (a retry after a lost answer, a second click) registers one work order. */
import { complaint, login, sql } from './helpers';
import { stack } from './setup/stack';

async function register(token: string, key: string | undefined, body: unknown) {
  const res = await fetch(`${stack.api}/api/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), replayed: res.headers.get('idempotent-replayed') };
}

describe('intake with an Idempotency-Key', () => {
  it('given ten identical requests at once under one key, then one work order is registered and every answer names it', async () => {
    const key = `retry-${process.pid}-${Date.now()}`;
    const body = complaint('小区门口路灯坏了一个月，晚上出行不安全（重复提交测试）');
    const token = await login('operator');
    const answers = await Promise.all(Array.from({ length: 10 }, () => register(token, key, body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(9);
    const rows = await sql(`SELECT code FROM work_orders WHERE intake_key = $1`, [key]);
    expect(rows).toEqual([{ code: answers[0].body.code }]);
  });

  it('given a key used for another call, then 409 names the header and the work order it made; another account has keys of its own', async () => {
    const key = `reused-${process.pid}-${Date.now()}`;
    const call = complaint('楼下饭店油烟直排，影响居民生活（键复用测试）');
    const first = await register(await login('operator'), key, call);
    expect(first.status).toBe(201);
    const other = await register(await login('operator'), key, complaint('路面塌陷一个坑，车辆经过危险（键复用测试）'));
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ field: 'headers.idempotency-key', message: { zh: expect.stringContaining(first.body.code) } });
    // the same call with any field changed is another request too: an address, a flag
    for (const changed of [
      { ...call, address: '卫东区别处' },
      { ...call, flags: ['sensitive'] },
    ]) {
      const res = await register(await login('operator'), key, changed);
      expect([res.status, res.body.error?.field]).toEqual([409, 'headers.idempotency-key']);
    }
    expect((await register(await login('operator'), key, call)).status).toBe(200);
    const office = await register(await login('office'), key, complaint('路面塌陷一个坑，车辆经过危险（键复用测试）'));
    expect(office.status).toBe(201);
    expect(office.body.id).not.toBe(first.body.id);
  });

  it('given a malformed key, then 400 names the header and nothing is registered', async () => {
    const [{ before }] = await sql(`SELECT count(*)::int AS before FROM work_orders`);
    const res = await register(await login('operator'), 'short', complaint());
    expect([res.status, res.body.error.field]).toEqual([400, 'headers.idempotency-key']);
    const [{ after }] = await sql(`SELECT count(*)::int AS after FROM work_orders`);
    expect(after).toBe(before);
  });
});
