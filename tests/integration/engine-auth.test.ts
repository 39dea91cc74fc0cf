/**
 * The engine's REST API answers only its service account (engine/…/security/RestAuthentication.java): without
 * the credential every call but the readiness probe is 401, and wrong passwords do not lock the account.
 */
import { engineAuthorization } from './helpers';
import { stack } from './setup/stack';

const call = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.engine}${path}`, init).then(async (res) => ({ status: res.status, body: await res.text() }));
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the engine REST API is not open', () => {
  it('without the service account: 401 for reads and changes; GET /engine (readiness) answers', async () => {
    expect((await call('/engine')).status).toBe(200);
    expect((await call('/process-definition')).status).toBe(401);
    expect((await call('/task', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(401);
    expect(
      (await call('/process-definition/key/hotlineCase/start', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
    ).toBe(401);
    expect((await call('/user')).status).toBe(401);
  });

  it('with it: 200; wrong passwords, however many, do not lock the account', async () => {
    const user = Buffer.from(engineAuthorization().slice('Basic '.length), 'base64').toString().split(':')[0];
    for (let i = 0; i < 12; i++) expect((await call('/process-definition', { headers: { authorization: basic(user, `wrong-${i}`) } })).status).toBe(401);
    expect((await call('/process-definition', { headers: { authorization: engineAuthorization() } })).status).toBe(200);
  });
});
