/** Small helpers the integration tests share: HTTP against the running system, direct SQL for checks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { engineUrlFor } from '../../core/db/postgres';
import { loadConfig } from '../../core/config';
import { basicAuth, serviceAccount } from '../../core/engine/credentials';
import { LOGIN_RATE_LIMIT, stack } from './setup/stack';

export const DEMO_PASSWORD = 'hotline-demo';

export interface Reply<T = any> {
  status: number;
  body: T;
}

/** The engine REST API's service account (core/engine/credentials.ts): the tests call the engine as the system does. */
export const engineAuthorization = () => basicAuth(serviceAccount(loadConfig()));

export async function http<T = any>(
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; base?: string } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  else if (opts.base === stack.engine) headers.authorization = engineAuthorization();
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${opts.base ?? stack.api}${path}`, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const tokens = new Map<string, string>();
export async function login(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const res = await http('POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
  tokens.set(username, res.body.token);
  return res.body.token;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: stack.db });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export const complaint = (content = '小区门口长期占道经营，晚上收摊后垃圾遍地，希望城管处理') => ({
  channel: 'phone',
  citizen: { name: '张先生', phone: '13812341234' },
  address: '新华区矿工路中段128号',
  content,
});

export async function createCase(content?: string): Promise<{ id: string; code: string; processInstanceId: string; suggestedCategory: string }> {
  const res = await http('POST', '/api/cases', { token: await login('operator'), body: complaint(content) });
  if (res.status !== 201) throw new Error(`create case: ${res.status} ${JSON.stringify(res.body)}`);
  return { ...res.body, processInstanceId: res.body.processInstanceId ?? (await startedInstance(res.body.id)) };
}

/** Intake answers before the outbox relay has started the process when the engine is slow: wait for its id. */
export async function startedInstance(caseId: string): Promise<string> {
  return waitFor(
    `the process of ${caseId}`,
    async () => (await sql<{ pid: string | null }>(`SELECT process_instance_id AS pid FROM work_orders WHERE id = $1`, [caseId]))[0]?.pid,
  );
}

export async function caseOf(id: string, user = 'office') {
  return (await http('GET', `/api/cases/${id}`, { token: await login(user) })).body;
}

/** Waits until the work order has an open task of that kind, and returns it. */
export async function openTask(caseId: string, taskKey: string): Promise<{ id: string; taskKey: string; due: string | null }> {
  return waitFor(`task ${taskKey} on ${caseId}`, async () => (await caseOf(caseId)).tasks?.find((t: { taskKey: string }) => t.taskKey === taskKey));
}

export async function complete(user: string, caseId: string, taskKey: string, variables: Record<string, unknown>): Promise<Reply> {
  const task = await openTask(caseId, taskKey);
  return http('POST', `/api/tasks/${task.id}/complete`, { token: await login(user), body: { variables } });
}

export async function waitForStatus(caseId: string, status: string) {
  return waitFor(`status ${status}`, async () => {
    const c = await caseOf(caseId);
    return c.status === status ? c : undefined;
  });
}

export const feedback = {
  outcome: 'feedback',
  feedback: {
    handledAt: '2026-11-27T10:00:00+08:00',
    responsible: { name: '李明', title: '城管执法中队队长', phone: '0375-2345678' },
    process: '接单后当日到现场核查，约谈摊主并清理占道摊点',
    result: '占道摊点已清理，安排每日巡查',
    attachmentIds: [],
  },
};

/**
 * The lead unit's feedback as 五(四) wants it for every category: a picture or document uploaded to the work order
 * (caseClock.attachmentRequired), then signed off by the unit's leader (caseClock.signoffRequired).
 */
export async function answer(unit: string, caseId: string): Promise<void> {
  const uploaded = await upload(caseId, unit, '办理过程.pdf', PDF, 'application/pdf');
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${JSON.stringify(uploaded.body)}`);
  const handled = await complete(unit, caseId, 'handle', { ...feedback, feedback: { ...feedback.feedback, attachmentIds: [uploaded.body.id] } });
  if (handled.status !== 204) throw new Error(`handle: ${handled.status} ${JSON.stringify(handled.body)}`);
  const signed = await complete(`${unit}-leader`, caseId, 'leaderSignoff', { signoffApproved: true });
  if (signed.status !== 204) throw new Error(`leaderSignoff: ${signed.status} ${JSON.stringify(signed.body)}`);
}

export const satisfiedRevisit = {
  revisit: { reached: true, solved: true, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied', truthful: true, comments: '满意' },
};

/** Makes a timer due now through the engine's job API (never by waiting): the timer of `activityId`. */
export async function fireTimer(processInstanceId: string, activityId: string): Promise<void> {
  const jobs = await waitFor(`timer ${activityId}`, async () => {
    const res = await http('GET', `/job?timers=true&processInstanceId=${processInstanceId}&activityId=${activityId}`, { base: stack.engine });
    return res.body.length > 0 ? res.body : undefined;
  });
  for (const job of jobs) {
    const res = await http('POST', `/job/${job.id}/execute`, { base: stack.engine });
    if (res.status !== 204) throw new Error(`executing timer ${activityId}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

export async function timers(processInstanceId: string, activityId: string): Promise<{ id: string; dueDate: string }[]> {
  return (await http('GET', `/job?timers=true&processInstanceId=${processInstanceId}&activityId=${activityId}`, { base: stack.engine })).body;
}

/** Creates a case and dispatches it (office), returning the case once the lead unit has work. */
export async function dispatchedCase(dispatch: Record<string, unknown>, content?: string) {
  const c = await createCase(content);
  const res = await complete('office', c.id, 'dispatch', { disposition: 'dispatch', ...dispatch });
  if (res.status !== 204) throw new Error(`dispatch: ${res.status} ${JSON.stringify(res.body)}`);
  // dispatched, and the unit's work has begun in the engine (its first task exists, its timer is set)
  await waitFor("the unit's first task", async () => {
    const now = await caseOf(c.id);
    return now.status === 'dispatched' && now.tasks.length > 0 && now.tasks.every((t: { taskKey: string }) => t.taskKey !== 'dispatch');
  });
  return c;
}

export async function upload(caseId: string, user: string, name: string, bytes: Buffer, type: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${stack.api}/api/cases/${caseId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await login(user)}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

export const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

export const events = (c: { timeline: { type: string }[] }) => c.timeline.map((e) => e.type);

/** Deploys files through the server's API (multipart), as the modeler does. */
export async function deployFiles(user: string, comment: string, files: { name: string; content: string }[]): Promise<Reply> {
  const form = new FormData();
  form.append('comment', comment);
  for (const f of files) form.append('files', new Blob([f.content], { type: 'application/xml' }), f.name);
  const res = await fetch(`${stack.api}/api/deployments`, { method: 'POST', headers: { authorization: `Bearer ${await login(user)}` }, body: form });
  return { status: res.status, body: await res.json() };
}

/**
 * Deploys bpmn/<file> edited by `pattern` → `replacement` through the API, runs `body`, and always
 * redeploys the file as it is in bpmn/, since every test file shares one running system.
 */
export async function withEditedFile(file: string, pattern: RegExp, replacement: string, comment: string, body: () => Promise<void>): Promise<void> {
  const original = readFileSync(path.resolve(__dirname, '../../bpmn', file), 'utf8');
  const edited = original.replace(pattern, replacement);
  if (edited === original) throw new Error(`${pattern} changes nothing in ${file}`);
  const deployed = await deployFiles('admin', comment, [{ name: file, content: edited }]);
  if (deployed.status !== 201) throw new Error(`deploying the edited ${file}: ${deployed.status} ${JSON.stringify(deployed.body)}`);
  let restored: Reply | undefined;
  try {
    await body();
  } finally {
    restored = await deployFiles('admin', `恢复 bpmn/${file}`, [{ name: file, content: original }]);
  }
  if (restored.status !== 201) throw new Error(`restoring ${file}: ${restored.status}`);
}

/** Starts tests/integration/setup/second-server.ts with the database at `dbUrl` and the engine at `engineUrl`; `config` adds to its environment. */
export async function secondServer(dbUrl: string, engineUrl: string, config: Record<string, string> = {}): Promise<{ base: string; child: ChildProcess }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/integration/setup/second-server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      SECOND_DB_URL: dbUrl,
      SECOND_ENGINE_URL: engineUrl,
      SECOND_ENGINE_DB_URL: engineUrlFor(stack.db),
      // The login counters are shared with the test system's server: the same limits as it has.
      SECOND_CONFIG_ENV: JSON.stringify({ LOGIN_RATE_LIMIT: String(LOGIN_RATE_LIMIT), ...config }),
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
    child.on('exit', (code) => reject(new Error(`second server exited with ${code}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

/** A port nothing listens on: one the system just gave out and took back (fetch refuses to try port 1 at all). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * A TCP relay to the test system's PostgreSQL: a second server connected through it loses its database when
 * the relay is shut, and finds it again when the relay opens on the same port.
 */
export async function databaseRelay(): Promise<{ url: string; shut(): Promise<void>; reopen(): Promise<void> }> {
  const target = new URL(stack.db);
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as net.AddressInfo).port;
  const url = new URL(stack.db);
  url.port = String(port);
  return {
    url: url.toString(),
    shut: () =>
      new Promise<void>((resolve) => {
        if (!relay.listening) return resolve();
        relay.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    reopen: () => new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve)),
  };
}

/** Posts a file to the history import as the admin's page does (multipart field `file`). */
export async function uploadImport(name: string, bytes: Buffer | string, user = 'admin', type = 'text/csv') {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${stack.api}/api/imports/cases`, { method: 'POST', headers: { authorization: `Bearer ${await login(user)}` }, body: form });
  return { status: res.status, body: await res.json() };
}

/** The import job once it has finished (done or failed). */
export async function importFinished(id: string) {
  const token = await login('admin');
  return waitFor(
    `import ${id}`,
    async () => {
      const res = await http('GET', `/api/imports/${id}`, { token });
      return res.body.status !== 'running' ? res.body : undefined;
    },
    60_000,
  );
}

/** Imports a CSV as history and waits for the job to finish. */
export async function importCases(name: string, csv: string) {
  const res = await uploadImport(name, csv);
  if (res.status !== 202) throw new Error(`import ${name}: ${res.status} ${JSON.stringify(res.body)}`);
  return importFinished(res.body.id);
}
