/**
 * One error taxonomy to the edge: every refusal is { error: { code, field?, message: { zh, en } } } with the
 * code its kind fixes. The unreachable engine and database are real: a second server process on the test
 * system's database whose engine address is a port nothing listens on, or whose database sits behind a relay that is
 * then shut.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_PASSWORD, closedPort, createCase, databaseRelay, http, login, openTask, secondServer, stop } from './helpers';
import { stack } from './setup/stack';

const shape = (code: string) => ({ error: { code, message: { zh: expect.any(String), en: expect.any(String) } } });

describe('one error taxonomy to the edge', () => {
  it('a missing work order is 404 not_found naming the id; an unknown route is 404 not_found too', async () => {
    const res = await http('GET', `/api/cases/${randomUUID()}`, { token: await login('office') });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject(shape('not_found'));
    expect(res.body.error.field).toBe('id');
    const route = await http('GET', '/api/nowhere', { token: await login('office') });
    expect(route.status).toBe(404);
    expect(route.body).toMatchObject(shape('not_found'));
  });

  it('claiming a task someone else has claimed is 409 conflict', async () => {
    const c = await createCase('路灯不亮（错误码测试）');
    const dispatch = await openTask(c.id, 'dispatch');
    expect((await http('POST', `/api/tasks/${dispatch.id}/claim`, { token: await login('office') })).status).toBe(204);
    const res = await http('POST', `/api/tasks/${dispatch.id}/claim`, { token: await login('operator') });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject(shape('conflict'));
    expect(res.body.error.field).toBe('assignee');
  });

  it('a unit user reading a work order not dispatched to the unit is 403 forbidden; no token is 401 unauthenticated', async () => {
    const c = await createCase('井盖缺失（错误码测试）');
    const res = await http('GET', `/api/cases/${c.id}`, { token: await login('xinhua') });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject(shape('forbidden'));
    const anonymous = await http('GET', `/api/cases/${c.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject(shape('unauthenticated'));
  });

  it('bad input is 400 invalid_input naming the field', async () => {
    const res = await http('GET', '/api/cases?status=lost', { token: await login('office') });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(shape('invalid_input'));
    expect(res.body.error.field).toBe('querystring.status');
  });

  it('the OpenAPI document declares the error shape once and points every refusal of a route to it', async () => {
    const doc = (await http('GET', '/docs/json')).body;
    expect(doc.components.schemas.ApiError).toMatchObject({ type: 'object', properties: { error: { type: 'object' } } });
    const responses = doc.paths['/api/cases/{id}'].get.responses;
    for (const status of ['4XX', '503']) expect(responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiError' });
  });

  it('with the engine out of reach, a route that needs it is 503 engine_unavailable, and the rest still works', async () => {
    const c = await createCase('树木倒伏（引擎不可用测试）');
    const dispatch = await openTask(c.id, 'dispatch');
    const { base, child } = await secondServer(stack.db, `http://127.0.0.1:${await closedPort()}/engine-rest`);
    try {
      const office = (await http('POST', '/api/auth/login', { base, body: { username: 'office', password: DEMO_PASSWORD } })).body.token as string;
      for (const [method, url] of [
        ['GET', `/api/tasks/${dispatch.id}/form`],
        ['POST', `/api/tasks/${dispatch.id}/claim`],
      ]) {
        const res = await http(method, url, { base, token: office });
        expect(res.status).toBe(503);
        expect(res.body).toMatchObject(shape('engine_unavailable'));
      }
      expect((await http('GET', '/api/health', { base })).body).toMatchObject({ status: 'degraded', engine: 'down', db: 'up' });
      expect((await http('GET', `/api/cases/${c.id}`, { base, token: office })).status).toBe(503);
      expect((await http('GET', '/api/me', { base, token: office })).status).toBe(200);
    } finally {
      await stop(child);
    }
  });

  it('with the database out of reach, a route that needs it is 503 database_unavailable', async () => {
    const db = await databaseRelay();
    const { base, child } = await secondServer(db.url, stack.engine);
    try {
      expect((await http('GET', '/api/health', { base })).body).toMatchObject({ db: 'up' });
      await db.shut();
      const res = await http('POST', '/api/auth/login', { base, body: { username: 'office', password: DEMO_PASSWORD } });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject(shape('database_unavailable'));
      expect((await http('GET', '/api/health', { base })).body).toMatchObject({ status: 'degraded', db: 'down' });
    } finally {
      await db.shut();
      await stop(child);
    }
  });
});
