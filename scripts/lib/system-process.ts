/**
 * Runs the whole system (`scripts/start.ts`) as a child process on a fresh embedded PostgreSQL,
 * for the integration tests and the benchmark: the same start path a user runs, on ports of its own.
 */
import { execSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { embeddedAdminUrl } from '../../core/db/postgres';

export const ROOT = path.resolve(__dirname, '../..');

export interface SystemPorts {
  api: number;
  engine: number;
  pg: number;
}

export interface SystemProcess {
  child: ChildProcess;
  api: string;
  engine: string;
  db: string;
}

/** The system's addresses; `db` is the embedded superuser's URL, read once the system has made its password. */
export function systemUrls(ports: SystemPorts, dataDir: string) {
  return {
    api: `http://127.0.0.1:${ports.api}`,
    engine: `http://127.0.0.1:${ports.engine}/engine-rest`,
    get db() {
      return embeddedAdminUrl(path.join(ROOT, dataDir), ports.pg);
    },
  };
}

export async function startSystemProcess(ports: SystemPorts, dataDir: string, extraEnv: Record<string, string> = {}): Promise<SystemProcess> {
  rmSync(path.join(ROOT, dataDir), { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOTLINE_MODE: 'demo',
    PORT: String(ports.api),
    ENGINE_PORT: String(ports.engine),
    EMBEDDED_PG_PORT: String(ports.pg),
    EMBEDDED_PG_DIR: dataDir,
    ...extraEnv,
  };
  delete env.DATABASE_URL;
  delete env.ENGINE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`system did not become ready in 8 minutes:\n${output.join('')}`)), 8 * 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      output.push(d.toString());
      if (output.join('').includes('[hotline] ready:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`system exited with ${code} before it was ready:\n${output.join('')}`));
    });
  });
  child.stdout!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  const urls = systemUrls(ports, dataDir);
  return { child, api: urls.api, engine: urls.engine, db: urls.db };
}

function descendants(pid: number): { pid: number; cmd: string }[] {
  const rows = execSync('ps -e -o pid=,ppid=,args=', { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/)!)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), cmd: m[3] }));
  const out: { pid: number; cmd: string }[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const r of rows) {
      if (r.ppid !== parent) continue;
      out.push(r);
      queue.push(r.pid);
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, as an operator would; resolves with how many child processes there were, throws if any survives. */
export async function stopSystemProcess(child: ChildProcess): Promise<number> {
  if (!child.pid || child.exitCode !== null) return 0;
  const started = descendants(child.pid);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 40_000).unref())]);
  const until = Date.now() + 5_000;
  while (started.some((p) => alive(p.pid)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const left = started.filter((p) => alive(p.pid));
  if (code === 'timeout' || left.length > 0) {
    for (const pid of [child.pid, ...left.map((p) => p.pid)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    throw new Error(`SIGTERM did not stop the system cleanly (exit ${String(code)}); still running: ${left.map((p) => `${p.pid} ${p.cmd}`).join('; ')}`);
  }
  return started.length;
}
