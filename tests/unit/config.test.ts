import { ConfigError, DEMO_SECRET, loadConfig } from '../../core/config';

describe('configuration is read once and fails fast', () => {
  it('demo mode starts with defaults that avoid a PostgreSQL already on 5432', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('demo');
    expect(c.embeddedPg.port).not.toBe(5432);
    expect(c.engine).toMatchObject({ port: 8080, bind: '127.0.0.1' });
    expect(c.server.port).toBe(3000);
  });

  it('production without AUTH_SECRET stops with a message naming it', () => {
    expect(() => loadConfig({ HOTLINE_MODE: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOTLINE_MODE: 'production' })).toThrow(/AUTH_SECRET/);
    expect(loadConfig({ HOTLINE_MODE: 'production', AUTH_SECRET: 's'.repeat(40) }).mode).toBe('production');
  });

  it('marks the session cookies Secure in production unless COOKIE_SECURE=false (TLS ended elsewhere), and not in demo mode', () => {
    const production = { HOTLINE_MODE: 'production', AUTH_SECRET: 's'.repeat(40) };
    expect(loadConfig({}).auth.cookieSecure).toBe(false);
    expect(loadConfig({ COOKIE_SECURE: 'true' }).auth.cookieSecure).toBe(true);
    expect(loadConfig(production).auth.cookieSecure).toBe(true);
    expect(loadConfig({ ...production, COOKIE_SECURE: 'false' }).auth.cookieSecure).toBe(false);
    expect(() => loadConfig({ COOKIE_SECURE: 'yes' })).toThrow(/COOKIE_SECURE/);
  });

  it('names the variable that is malformed', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ HOTLINE_MODE: 'staging' })).toThrow(/HOTLINE_MODE/);
  });
});

describe('the first administrator of a production installation', () => {
  it('takes its password from ADMIN_INITIAL_PASSWORD, and refuses a short one', () => {
    const env = { HOTLINE_MODE: 'production', AUTH_SECRET: 's'.repeat(40) };
    expect(loadConfig(env).initialAdminPassword).toBeUndefined();
    expect(loadConfig({ ...env, ADMIN_INITIAL_PASSWORD: 'a-long-enough-secret' }).initialAdminPassword).toBe('a-long-enough-secret');
    expect(() => loadConfig({ ...env, ADMIN_INITIAL_PASSWORD: 'short' })).toThrow(/ADMIN_INITIAL_PASSWORD/);
  });
});

describe('ASVS V2.10.2 / V14.3.2 no fail-open defaults', () => {
  it('demo mode (HOTLINE_MODE unset) refuses to listen beyond loopback, naming HOST', () => {
    for (const HOST of ['127.0.0.1', '::1', 'localhost']) expect(loadConfig({ HOST }).server.host).toBe(HOST);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/HOST[\s\S]*0\.0\.0\.0[\s\S]*loopback/);
    expect(() => loadConfig({ HOTLINE_MODE: 'demo', HOST: '192.168.1.10' })).toThrow(/HOST/);
    expect(loadConfig({ HOTLINE_MODE: 'production', AUTH_SECRET: 's'.repeat(40), HOST: '0.0.0.0' }).server.host).toBe('0.0.0.0');
  });

  it('production refuses the public demo secret, naming AUTH_SECRET', () => {
    expect(() => loadConfig({ HOTLINE_MODE: 'production', AUTH_SECRET: DEMO_SECRET })).toThrow(/AUTH_SECRET[\s\S]*demo/);
  });

  it('V2.2.1 TRUST_PROXY and METRICS_TOKEN are validated: no proxy trusted unless named', () => {
    expect(loadConfig({}).server.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16' }).server.trustProxy).toEqual(['10.0.0.1', '10.1.0.0/16']);
    expect(loadConfig({ TRUST_PROXY: 'true' }).server.trustProxy).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.example' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
    expect(loadConfig({}).privacy).toEqual({
      casePagesPerMinute: 30,
      exportMaxRows: 5000,
      attachmentBytesPerCase: 50 * 1024 * 1024,
      attachmentBytesPerUserDay: 200 * 1024 * 1024,
    });
  });
});

describe('engine nodes and their settings', () => {
  it('ENGINE_URL lists the engine nodes, comma-separated; each must be an http(s) URL', () => {
    expect(loadConfig({}).engine.urls).toEqual([]);
    expect(loadConfig({ ENGINE_URL: 'http://e1:8080/engine-rest/, http://e2:8080/engine-rest' }).engine.urls).toEqual([
      'http://e1:8080/engine-rest',
      'http://e2:8080/engine-rest',
    ]);
    expect(() => loadConfig({ ENGINE_URL: 'http://e1:8080/engine-rest,ftp://e2' })).toThrow(/ENGINE_URL/);
  });

  it('ENGINE_HEAP is a JVM size (768m by default); the service account is letters and digits, its password at least 16 characters', () => {
    expect(loadConfig({}).engine).toMatchObject({ heap: '768m', serviceUser: 'hotlineService', servicePassword: undefined });
    expect(loadConfig({ ENGINE_HEAP: '2g' }).engine.heap).toBe('2g');
    expect(() => loadConfig({ ENGINE_HEAP: 'lots' })).toThrow(/ENGINE_HEAP/);
    expect(() => loadConfig({ ENGINE_SERVICE_USER: 'hotline-service' })).toThrow(/ENGINE_SERVICE_USER/);
    expect(() => loadConfig({ ENGINE_SERVICE_PASSWORD: 'short' })).toThrow(/ENGINE_SERVICE_PASSWORD/);
  });
});
