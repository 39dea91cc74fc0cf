/**
 * What keeps the system up across crashes, with real processes and sockets: a start recognises only its own
 * leftovers (a pid file naming a dead pid or another program is stale and nothing is signalled), the
 * supervisor restarts a dying part with growing back-off, and the engine client fails over between nodes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stopLeftoverPostmaster } from '../../core/db/embedded';
import { EngineClient } from '../../core/engine/client';
import { EngineUnavailableError } from '../../core/errors';
import { ENGINE_JAR } from '../../scripts/engine';
import { alive, commandLine, stopOwnProcess } from '../../scripts/lib/own-process';
import { Supervised } from '../../scripts/lib/supervise';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-processes-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const pid of orphans) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = `"${process.execPath}" -e 'setTimeout(() => {}, 60000)' --`;
const orphans: number[] = [];

/** A long-running child of ours whose argv is `argv0 … args` (bash's exec -a sets argv[0]; node does not re-exec). */
function sleeper(argv0: string, args: string[]): ChildProcess {
  const child = spawn('bash', ['-c', `exec -a "$0" ${sleep} "$@"`, argv0, ...args], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** The same, left behind as a crashed run leaves it: its parent gone, handed to init. */
async function leftover(argv0: string, args: string[]): Promise<number> {
  const bash = spawn('bash', ['-c', `exec -a "$0" ${sleep} "$@" >/dev/null 2>&1 & echo $!`, argv0, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  bash.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => bash.once('exit', r));
  const pid = Number(out.trim());
  orphans.push(pid);
  return pid;
}

const pidFile = (name: string, pid: number) => {
  const file = path.join(dir, name);
  writeFileSync(file, `${pid}\n`);
  return file;
};

/** Until exec -a has replaced bash with node. */
const waitAlive = async (pid: number) => {
  for (let i = 0; i < 250 && !commandLine(pid)?.includes('--'); i++) await new Promise((r) => setTimeout(r, 20));
};

describe('a start after a crash stops only its own leftovers', () => {
  it('an engine pid file naming a dead process is stale: removed, nothing signalled', async () => {
    const gone = spawn('true');
    await new Promise((r) => gone.once('exit', r));
    const file = pidFile('engine-dead.pid', gone.pid!);
    expect(await stopOwnProcess(file, ENGINE_JAR)).toBe('stale');
    expect(existsSync(file)).toBe(false);
  });

  it('an engine pid file naming another program (the pid reused) leaves that program alone', async () => {
    const foreign = sleeper('java', ['-jar', '/elsewhere/other.jar']);
    await waitAlive(foreign.pid!);
    expect(await stopOwnProcess(pidFile('engine-foreign.pid', foreign.pid!), ENGINE_JAR)).toBe('stale');
    expect(alive(foreign.pid!)).toBe(true);
  });

  it('an engine pid file naming a JVM on our jar that a crashed run left: it is stopped', async () => {
    const ours = await leftover('java', ['-Xmx768m', '-jar', ENGINE_JAR]);
    await waitAlive(ours);
    expect(await stopOwnProcess(pidFile('engine-ours.pid', ours), ENGINE_JAR, { timeoutMs: 5_000 })).toBe('stopped');
    expect(alive(ours)).toBe(false);
  });

  it('a JVM on our jar whose Node parent still runs is in use (a second npm start): refused, not stopped', async () => {
    const running = sleeper('java', ['-jar', ENGINE_JAR]);
    await waitAlive(running.pid!);
    await expect(stopOwnProcess(pidFile('engine-running.pid', running.pid!), ENGINE_JAR)).rejects.toThrow(/in use/);
    expect(alive(running.pid!)).toBe(true);
  });

  it('postmaster.pid: a postgres on another data directory is not ours; one on ours is stopped with SIGINT', async () => {
    const cluster = path.join(dir, 'cluster');
    const other = await leftover('/opt/pg/bin/postgres', ['-D', path.join(dir, 'other-cluster'), '-p', '5432']);
    await waitAlive(other);
    mkdirSync(cluster);
    writeFileSync(path.join(cluster, 'postmaster.pid'), `${other}\n${cluster}\n`);
    expect(await stopLeftoverPostmaster(cluster)).toBe('stale');
    expect(alive(other)).toBe(true);
    // PostgreSQL judges its own stale lock file: we leave it
    expect(existsSync(path.join(cluster, 'postmaster.pid'))).toBe(true);

    const ours = await leftover('/opt/pg/bin/postgres', ['-D', cluster, '-p', '5432']);
    await waitAlive(ours);
    writeFileSync(path.join(cluster, 'postmaster.pid'), `${ours}\n${cluster}\n`);
    expect(await stopLeftoverPostmaster(cluster)).toBe('stopped');
    expect(alive(ours)).toBe(false);
  });
});

describe('npm start supervises its parts', () => {
  it('a part that keeps dying is started again after 1 s, then 2 s; stop() ends the restarts', async () => {
    const starts: number[] = [];
    const logs: string[] = [];
    const part = new Supervised(
      'a failing part',
      async () => {
        starts.push(Date.now());
        const child = spawn(process.execPath, ['-e', 'setTimeout(() => process.exit(3), 50)']);
        return { exited: new Promise((r) => child.once('exit', r)), stop: async () => void child.kill() };
      },
      (msg) => logs.push(msg),
    );
    await part.run();
    while (starts.length < 3) await new Promise((r) => setTimeout(r, 20));
    await part.stop();
    expect(starts).toHaveLength(3);
    expect(starts[1] - starts[0]).toBeGreaterThanOrEqual(1_000);
    expect(starts[2] - starts[1]).toBeGreaterThanOrEqual(2_000);
    expect(logs[0]).toContain('exited unexpectedly');
    await new Promise((r) => setTimeout(r, 4_500));
    expect(starts).toHaveLength(3);
  }, 20_000);
});

describe('the engine client fails over between nodes', () => {
  const seen: { node: string; method: string; auth?: string }[] = [];
  const servers: http.Server[] = [];
  /** A fake engine node: answers 200 [] or `status`, or drops the connection mid-request. */
  async function node(name: string, behave: 'ok' | 503 | 'reset'): Promise<string> {
    const server = http.createServer((req, res) => {
      seen.push({ node: name, method: req.method!, auth: req.headers.authorization });
      if (behave === 'reset') return void req.socket.destroy();
      res.writeHead(behave === 'ok' ? 200 : behave, { 'content-type': 'application/json' });
      res.end(behave === 'ok' ? '[]' : '{"message":"down"}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/engine-rest`;
  }
  async function closedNode(): Promise<string> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((r) => server.close(r));
    return `http://127.0.0.1:${port}/engine-rest`;
  }
  afterAll(() => servers.forEach((s) => s.close()));
  beforeEach(() => (seen.length = 0));

  it('a refused node is skipped and the answering one stays the node, with the credential on every call', async () => {
    const b = await node('b', 'ok');
    const client = new EngineClient([await closedNode(), b], { user: 'svc', password: 'secret-secret-secret' });
    await client.engines();
    expect(client.baseUrl).toBe(b);
    await client.tasks({});
    expect(seen.map((s) => s.node)).toEqual(['b', 'b']);
    expect(seen[0].auth).toBe(`Basic ${Buffer.from('svc:secret-secret-secret').toString('base64')}`);
  });

  it('a node answering 503 hands even a POST to the next', async () => {
    const client = new EngineClient([await node('a', 503), await node('b', 'ok')]);
    await client.tasks({});
    expect(seen.map((s) => `${s.node} ${s.method}`)).toEqual(['a POST', 'b POST']);
  });

  it('a GET whose connection drops is asked again elsewhere; a POST is not (it may have happened)', async () => {
    const nodes = [await node('a', 'reset'), await node('b', 'ok')];
    await new EngineClient(nodes).engines();
    expect(seen.map((s) => s.node)).toEqual(['a', 'b']);
    seen.length = 0;
    const post = await new EngineClient(nodes).tasks({}).catch((e: unknown) => e);
    expect(post).toBeInstanceOf(EngineUnavailableError);
    expect(seen.map((s) => s.node)).toEqual(['a']);
  });

  it('every node unreachable is EngineUnavailableError', async () => {
    const err = await new EngineClient([await closedNode(), await closedNode()]).engines().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineUnavailableError);
  });
});
