/**
 * A second API server on the test system's database and engine, configured by its own environment (TRUST_PROXY,
 * LOGIN_RATE_LIMIT, HOTLINE_MODE…), for the settings the shared system cannot change. Its rate-limit counters are
 * the database's, shared with every server; only its limits (how many) are its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { engineUrlFor } from '../../core/db/postgres';
import { LOGIN_RATE_LIMIT, stack } from './setup/stack';

export interface ConfiguredServer {
  base: string;
  stop(): Promise<void>;
}

export async function configuredServer(env: Record<string, string>): Promise<ConfiguredServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/setup/second-server.ts'], {
    cwd: path.resolve(__dirname, '../..'),
    env: {
      ...process.env,
      SECOND_DB_URL: stack.db,
      SECOND_ENGINE_URL: stack.engine,
      SECOND_ENGINE_DB_URL: engineUrlFor(stack.db),
      // The login counters are shared with the test system's server: its limits unless a test sets its own.
      SECOND_CONFIG_ENV: JSON.stringify({ LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT), ...env }),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const ready = /ready (\d+)/.exec(out);
      if (ready) resolve(Number(ready[1]));
    });
    child.on('exit', (code) => reject(new Error(`configured server exited with ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A request to `base` with extra headers (X-Forwarded-For, a bearer), the body as JSON. */
export async function request(base: string, method: string, url: string, opts: { headers?: Record<string, string>; body?: unknown } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${url}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (metrics, HTML): the text as it is
  }
  return { status: res.status, headers: res.headers, body };
}
