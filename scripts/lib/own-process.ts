/**
 * Leftovers of a crashed run: a pid file names a process this system started. It is ours only while that pid
 * is alive and its command line is the one we started (our jar, our data directory); a dead or reused pid is
 * stale. We signal only our own processes, never another one that happens to have the pid now. One of ours
 * is a leftover only when the Node process that started it is gone (it was handed to init or a subreaper):
 * while its parent runs (a second `npm start` beside the first, `npm run migrate` beside `npm start`) it is in
 * use, and we refuse instead of stopping it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: alive, but another user's
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a zombie (dead, not yet reaped by its parent) answers signal 0 too
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/** A process's argv, or null when it is gone. */
export function commandLine(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    // no /proc (macOS): ps gives the arguments joined by spaces
    try {
      const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
      return args ? args.split(/\s+/) : null;
    } catch {
      return null;
    }
  }
}

/** A process's parent pid, or null when it is gone. */
export function parentOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces and parentheses
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim()) || null;
    } catch {
      return null;
    }
  }
}

/** The pid on the first line of a pid file (ours, or PostgreSQL's postmaster.pid), or null. */
export function pidIn(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0].trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

export type Leftover = 'none' | 'stale' | 'stopped';

/**
 * Stops the process a pid file names if it is ours: alive, and its argv passes `isOurs` (a string: one of
 * its arguments is exactly that, e.g. our jar's path). `signal` first, SIGKILL after `timeoutMs`.
 * A stale pid file (dead or foreign pid) is removed when `removeStale`.
 */
export async function stopOwnProcess(
  pidFile: string,
  isOurs: string | ((argv: string[]) => boolean),
  opts: { signal?: NodeJS.Signals; timeoutMs?: number; removeStale?: boolean } = {},
): Promise<Leftover> {
  const { signal = 'SIGTERM', timeoutMs = 20_000, removeStale = true } = opts;
  const pid = pidIn(pidFile);
  if (pid === null) return 'none';
  const argv = alive(pid) ? commandLine(pid) : null;
  const ours = argv !== null && (typeof isOurs === 'string' ? argv.includes(isOurs) : isOurs(argv));
  if (!ours) {
    if (removeStale) rmSync(pidFile, { force: true });
    return 'stale';
  }
  const parent = parentOf(pid);
  const parentArgv = parent !== null && parent > 1 ? commandLine(parent) : null;
  if (parentArgv && path.basename(parentArgv[0] ?? '') === path.basename(process.execPath)) {
    throw new Error(
      `${argv.join(' ').slice(0, 200)} (pid ${pid}) is in use by the running process ${parent} (${parentArgv.join(' ').slice(0, 200)}): stop that first`,
    );
  }
  process.kill(pid, signal);
  const until = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
  rmSync(pidFile, { force: true });
  return 'stopped';
}
