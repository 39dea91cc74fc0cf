/**
 * ASVS V2.2.1 (anti-automation of login) and V2.2 enumeration: throttled per address and account, per account
 * across addresses and per address across accounts, with the client's address taken from a trusted proxy only;
 * an unknown username costs what a known one does.
 */
import { ACCOUNT_FACTOR, ADDRESS_FACTOR } from '../../server/routes/auth';
import { configuredServer, request, type ConfiguredServer } from './configured-server';
import { DEMO_PASSWORD, http, sql, waitFor } from './helpers';
import { stack } from './setup/stack';

const LIMIT = 2;
let proxied: ConfiguredServer;

beforeAll(async () => {
  // Behind a proxy on this machine: X-Forwarded-For from loopback is believed.
  proxied = await configuredServer({ TRUST_PROXY: '127.0.0.1', LOGIN_RATE_LIMIT: String(LIMIT) });
});
afterAll(() => proxied.stop());

const attempt = (username: string, from: string, password = 'wrong-guess') =>
  request(proxied.base, 'POST', '/api/auth/login', { headers: { 'x-forwarded-for': from }, body: { username, password } });

describe('ASVS V2.2.1 login throttling', () => {
  it('V2.2.1 one account guessed from many addresses is throttled per account', async () => {
    const user = `victim-${process.pid}`;
    const limit = LIMIT * ACCOUNT_FACTOR;
    // each address stays under the per-address-and-account limit
    for (let i = 0; i < limit; i++) expect((await attempt(user, `198.51.100.${i + 1}`)).status).toBe(401);
    const refused = await attempt(user, '198.51.100.200');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toMatchObject({ code: 'rate_limited', message: { zh: expect.stringContaining('频繁') } });
  });

  it('V2.2.1 one password sprayed over many accounts from one address is throttled per address', async () => {
    const from = '203.0.113.7';
    const limit = LIMIT * ADDRESS_FACTOR;
    for (let i = 0; i < limit; i++) expect((await attempt(`spray-${process.pid}-${i}`, from)).status).toBe(401);
    expect((await attempt(`spray-${process.pid}-last`, from)).status).toBe(429);
    // another client behind the same proxy is not affected
    expect((await attempt('weidong-wuyilu', '203.0.113.8', DEMO_PASSWORD)).status).toBe(200);
  });

  it('V2.2.1 the counters are shared: guesses spread over two servers are throttled as on one', async () => {
    const other = await configuredServer({ TRUST_PROXY: '127.0.0.1', LOGIN_RATE_LIMIT: String(LIMIT) });
    try {
      const user = `spread-${process.pid}`;
      const from = '198.51.100.77';
      // the per-address-and-account limit, reached half on each server
      for (let i = 0; i < LIMIT; i++) {
        const base = i % 2 === 0 ? proxied.base : other.base;
        expect(
          (await request(base, 'POST', '/api/auth/login', { headers: { 'x-forwarded-for': from }, body: { username: user, password: 'wrong-guess' } })).status,
        ).toBe(401);
      }
      for (const base of [proxied.base, other.base]) {
        expect(
          (await request(base, 'POST', '/api/auth/login', { headers: { 'x-forwarded-for': from }, body: { username: user, password: 'wrong-guess' } })).status,
        ).toBe(429);
      }
    } finally {
      await other.stop();
    }
  });

  it('V2.2.1 without TRUST_PROXY a forged X-Forwarded-For is not the client address', async () => {
    const tried = `forged-${process.pid}`;
    const res = await fetch(`${stack.api}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.99' },
      body: JSON.stringify({ username: tried, password: 'wrong-guess' }),
    });
    expect(res.status).toBe(401);
    const [row] = await waitFor('the failed login in the audit log', async () => {
      const rows = await sql<{ ip: string }>(`SELECT ip FROM audit_log WHERE username = $1`, [tried]);
      return rows.length > 0 ? rows : undefined;
    });
    expect(row.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
  });

  it('V2.2.1 an unknown username is answered no faster than a known one with a wrong password', async () => {
    const time = async (username: string, i: number) => {
      const started = process.hrtime.bigint();
      const res = await http('POST', '/api/auth/login', { body: { username, password: `timing-guess-${i}` } });
      expect(res.status).toBe(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await time('housing', i));
      unknown.push(await time(`nobody-${process.pid}-${i}`, i));
    }
    // both compare a bcrypt hash of the same cost: the unknown one is not several times faster
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });
});
