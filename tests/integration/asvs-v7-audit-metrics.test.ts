/**
 * ASVS V7.1.3 / V11.1.4: the audit log records what signed-in users did (and login attempts, which are
 * throttled); requests refused before anyone signed in are counted in the metrics instead, so anonymous junk
 * cannot fill the log. /metrics is Prometheus text, for loopback clients or the METRICS_TOKEN bearer.
 */
import { randomUUID } from 'node:crypto';
import { configuredServer, request } from './configured-server';
import { http, login, sql } from './helpers';
import { stack } from './setup/stack';

const metricsText = async () => (await fetch(`${stack.api}/metrics`)).text();

const counter = (text: string, name: string, labels: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('ASVS V7.1.3 audit what users did; count anonymous refusals', () => {
  it('V7.1.3 unauthenticated POSTs with junk ids leave no audit row and are counted in /metrics', async () => {
    const metricsBefore = await metricsText();
    const junk = randomUUID();
    for (let i = 0; i < 5; i++) expect((await http('POST', `/api/cases/${junk}/reveal-phone`, { body: { reason: '垃圾请求' } })).status).toBe(401);
    const metrics = await metricsText();
    expect(
      counter(metrics, 'hotline_refused_anonymous_total', 'route="/api/cases/:id/reveal-phone"') -
        counter(metricsBefore, 'hotline_refused_anonymous_total', 'route="/api/cases/:id/reveal-phone"'),
    ).toBe(5);
    expect(metrics).toMatch(/hotline_http_requests_total\{method="POST",route="\/api\/cases\/:id\/reveal-phone",status="401"\} \d+/);
    // a signed-in user's refused attempt on the same junk id is audited
    expect((await http('POST', `/api/cases/${junk}/reveal-phone`, { token: await login('weidong'), body: { reason: '核实情况' } })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    const rows = await sql<{ username: string | null }>(`SELECT username FROM audit_log WHERE resource_id = $1`, [junk]);
    expect(rows).toEqual([{ username: 'weidong' }]);
  });

  it('V7.1.3 failed logins are counted in /metrics (and audited, throttled per address and account)', async () => {
    const count = async () => counter(await metricsText(), 'hotline_login_failures_total', 'reason="bad_credentials"');
    const before = await count();
    expect((await http('POST', '/api/auth/login', { body: { username: `metrics-${process.pid}`, password: 'wrong-guess' } })).status).toBe(401);
    expect((await count()) - before).toBe(1);
  });

  it('V7.1.3 /metrics is refused to other clients without the METRICS_TOKEN bearer', async () => {
    const token = 'm'.repeat(40);
    const server = await configuredServer({ TRUST_PROXY: '127.0.0.1', METRICS_TOKEN: token });
    try {
      const remote = { 'x-forwarded-for': '203.0.113.50' };
      const refused = await request(server.base, 'GET', '/metrics', { headers: remote });
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      expect((await request(server.base, 'GET', '/metrics', { headers: { ...remote, authorization: 'Bearer wrong' } })).status).toBe(403);
      const allowed = await request(server.base, 'GET', '/metrics', { headers: { ...remote, authorization: `Bearer ${token}` } });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('content-type')).toContain('text/plain');
      expect(allowed.body).toContain('# TYPE hotline_http_requests_total counter');
    } finally {
      await server.stop();
    }
  });
});
