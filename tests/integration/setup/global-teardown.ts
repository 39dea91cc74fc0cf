/**
 * Stops the system with SIGTERM, as an operator would, and checks the promise of the start script:
 * every process it started (the engine JVM, PostgreSQL) is gone afterwards.
 */
import { execSync, type ChildProcess } from 'node:child_process';

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
    for (const r of rows) if (r.ppid === parent) (out.push(r), queue.push(r.pid));
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

export default async function globalTeardown(): Promise<void> {
  const child = (globalThis as { __hotlineStack?: ChildProcess }).__hotlineStack;
  if (!child?.pid || child.exitCode !== null) return;
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
  process.stdout.write(`[integration] system stopped by SIGTERM; ${started.length} child processes all gone\n`);
}
