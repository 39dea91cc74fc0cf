/**
 * ASVS V14.4 (security headers: CSP with no inline script and no framing, nosniff, Referrer-Policy, HSTS over TLS)
 * and V14.3.2 (the API's documentation is not open to anyone in production).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configuredServer, request } from './configured-server';
import { DEMO_PASSWORD } from './helpers';
import { stack } from './setup/stack';

const ROOT = path.resolve(__dirname, '../..');

describe('ASVS V14.4 security headers', () => {
  it('V14.4.3 / V14.4.4 / V14.4.6 / V14.4.7 the apps and the API answer with CSP (no inline script, no framing), nosniff and Referrer-Policy', async () => {
    for (const url of ['/', '/modeler/', '/bulletin.html', '/api/me']) {
      const res = await fetch(`${stack.api}${url}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      const directive = (name: string) =>
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `)) ?? '';
      expect(directive('script-src')).toBe("script-src 'self'");
      expect(directive('default-src')).toBe("default-src 'self'");
      expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
      expect(directive('object-src')).toBe("object-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      // demo mode over plain HTTP: no HSTS
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('V14.4.3 the pages have no inline script or event handler attribute, so the CSP needs no unsafe-inline script', () => {
    const pages = ['web-workbench/public', 'web-modeler/public'].flatMap((dir) =>
      readdirSync(path.join(ROOT, dir))
        .filter((f) => f.endsWith('.html'))
        .map((f) => path.join(dir, f)),
    );
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) {
      const html = readFileSync(path.join(ROOT, page), 'utf8');
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(`${page}: ${tag}`).toMatch(/\ssrc="[^"]+"/);
      expect(html).not.toMatch(/<script\b[^>]*>[^<\s]/);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/javascript:/i);
    }
  });

  it('V14.4.5 / V14.3.2 production sends HSTS and shows /docs to signed-in staff only; the demo shows it to anyone', async () => {
    expect((await fetch(`${stack.api}/docs/json`)).status).toBe(200);
    const production = await configuredServer({ HOTLINE_MODE: 'production', AUTH_SECRET: 'p'.repeat(48) });
    try {
      const anonymous = await request(production.base, 'GET', '/docs/json');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
      expect(anonymous.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const signedIn = await request(production.base, 'POST', '/api/auth/login', { body: { username: 'operator', password: DEMO_PASSWORD } });
      expect(signedIn.status).toBe(200);
      const docs = await request(production.base, 'GET', '/docs/json', { headers: { authorization: `Bearer ${signedIn.body.token}` } });
      expect(docs.status).toBe(200);
      expect(docs.body.openapi).toMatch(/^3\./);
    } finally {
      await production.stop();
    }
  });
});
