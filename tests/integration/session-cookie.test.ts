/** The web apps' session: an HttpOnly cookie with a double-submit CSRF token; bearer tokens keep working without one. */
import { DEMO_PASSWORD, http } from './helpers';
import { stack } from './setup/stack';

interface Session {
  cookies: Record<string, string>;
  setCookies: string[];
  token: string;
}

async function cookieLogin(username: string): Promise<Session> {
  const res = await fetch(`${stack.api}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const setCookies = res.headers.getSetCookie();
  const cookies = Object.fromEntries(setCookies.map((c) => c.split(';')[0].split('=') as [string, string]));
  return { cookies, setCookies, token: ((await res.json()) as { token: string }).token };
}

const cookieHeader = (s: Session) =>
  Object.entries(s.cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

function send(method: string, path: string, s: Session, headers: Record<string, string> = {}, body?: unknown) {
  return fetch(`${stack.api}${path}`, {
    method,
    headers: { cookie: cookieHeader(s), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** An unsafe request that changes nothing: the modeler's server-side check of a file. */
const lint = { files: [{ name: 'empty.bpmn', content: '<x/>' }] };

describe('session cookie', () => {
  it('login sets an HttpOnly, SameSite=Strict session cookie at / and a readable CSRF cookie, and still returns the token', async () => {
    const s = await cookieLogin('admin');
    const session = s.setCookies.find((c) => c.startsWith('hotline_session='));
    const csrf = s.setCookies.find((c) => c.startsWith('hotline_csrf='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/i); // plain HTTP in the tests, COOKIE_SECURE unset
    expect(csrf).not.toMatch(/HttpOnly/i);
    expect(csrf).toMatch(/SameSite=Strict/i);
    expect(s.cookies.hotline_session).toBe(s.token);
  });

  it('authenticates GET /api/me with the cookie alone', async () => {
    const s = await cookieLogin('office');
    const res = await send('GET', '/api/me', s);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { username: string }).username).toBe('office');
  });

  it('refuses a cookie-only POST without X-CSRF-Token or with a wrong one (403 csrf), accepts it with the session’s token', async () => {
    const s = await cookieLogin('admin');
    const without = await send('POST', '/api/deployments/lint', s, {}, lint);
    expect(without.status).toBe(403);
    const body = (await without.json()) as { error: { code: string; message: { zh: string; en: string } } };
    expect(body.error.code).toBe('csrf');
    expect(body.error.message.zh).toBeTruthy();
    expect(body.error.message.en).toBeTruthy();

    const wrong = await send('POST', '/api/deployments/lint', s, { 'x-csrf-token': 'not-the-token' }, lint);
    expect(wrong.status).toBe(403);

    const other = await cookieLogin('operator');
    const foreign = await send('POST', '/api/deployments/lint', s, { 'x-csrf-token': other.cookies.hotline_csrf }, lint);
    expect(foreign.status).toBe(403);

    const ok = await send('POST', '/api/deployments/lint', s, { 'x-csrf-token': s.cookies.hotline_csrf }, lint);
    expect(ok.status).toBe(200);
  });

  it('accepts a bearer POST without any CSRF token', async () => {
    const res = await http('POST', '/api/deployments/lint', { token: (await cookieLogin('admin')).token, body: lint });
    expect(res.status).toBe(200);
  });

  it('logout clears both cookies and revokes the token', async () => {
    const s = await cookieLogin('admin');
    const res = await send('POST', '/api/auth/logout', s, { 'x-csrf-token': s.cookies.hotline_csrf });
    expect(res.status).toBe(204);
    const cleared = res.headers.getSetCookie();
    for (const name of ['hotline_session', 'hotline_csrf']) {
      const c = cleared.find((x) => x.startsWith(`${name}=`));
      expect(c).toBeDefined();
      expect(c).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    }
    expect((await send('GET', '/api/me', s)).status).toBe(401);
  });
});
