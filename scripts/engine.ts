/**
 * Build and run the Operaton engine host in engine/ (Spring Boot jar, REST API at /engine-rest).
 * Paths are resolved against the repository root, not the cwd.
 *
 *   npm run engine                               one engine node, configured by the environment (below)
 *   node --import tsx scripts/engine.ts build [--force]
 *
 * `npm run engine` needs DATABASE_URL (or ENGINE_DATABASE_URL), takes ENGINE_PORT, ENGINE_BIND, ENGINE_HEAP,
 * ENGINE_SERVICE_USER / ENGINE_SERVICE_PASSWORD, and runs until SIGINT/SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { Client } from 'pg';
import { ConfigError, loadConfig, type Config } from '../core/config';
import { ENGINE_SCHEMA_LOCK, withSystemLock } from '../core/db/lock';
import { startDatabase } from '../core/db/postgres';
import { serviceAccount } from '../core/engine/credentials';
import { prepareSystem } from '../core/system/prepare';
import { stopOwnProcess, type Leftover } from './lib/own-process';

export const ROOT = resolve(__dirname, '..');
export const ENGINE_DIR = join(ROOT, 'engine');
export const ENGINE_JAR = join(ENGINE_DIR, 'target', 'hotline-engine.jar');
const HASH_FILE = join(ENGINE_DIR, 'target', '.sources-hash');
const MIN_JAVA = 17;

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** First executable called `name` on PATH, or null. */
const onPath = (name: string): string | null => {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
};

/** Major version of a `java` binary (8 for "1.8.0_x", 17 for "17.0.15"), or 0 if it does not run. */
const javaMajor = (java: string): number => {
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 15000 });
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr ?? ''}${r.stdout ?? ''}`);
  if (!m) return 0;
  const major = Number(m[1]);
  return major === 1 ? Number(m[2] ?? 0) : major;
};

/** A JDK's `bin/java` also has `bin/javac` next to it (Maven needs a JDK, not a JRE). */
const isJdk = (java: string): boolean => isExecutable(join(dirname(java), 'javac'));

/** Path to the `java` of a JDK >= 17: JAVA_HOME, else `java` on PATH, else the newest in /usr/lib/jvm. */
export function findJava(): string {
  const candidates: string[] = [];
  if (process.env.JAVA_HOME) candidates.push(join(process.env.JAVA_HOME, 'bin', 'java'));
  const fromPath = onPath('java');
  if (fromPath) candidates.push(realpathSync(fromPath));
  for (const java of candidates) {
    if (isExecutable(java) && isJdk(java) && javaMajor(java) >= MIN_JAVA) return java;
  }
  let best: string | null = null;
  let bestMajor = 0;
  const jvmDir = '/usr/lib/jvm';
  if (existsSync(jvmDir)) {
    for (const entry of readdirSync(jvmDir).sort()) {
      const java = join(jvmDir, entry, 'bin', 'java');
      if (!isExecutable(java) || !isJdk(java)) continue;
      const major = javaMajor(java);
      if (major >= MIN_JAVA && major > bestMajor) [best, bestMajor] = [java, major];
    }
  }
  if (best) return best;
  throw new Error(
    `JDK ${MIN_JAVA} or newer not found: set JAVA_HOME to a JDK ${MIN_JAVA}+ installation ` +
      `(checked JAVA_HOME=${process.env.JAVA_HOME ?? '<unset>'}, java on PATH, ${jvmDir}/*)`,
  );
}

/** JAVA_HOME for a `.../bin/java` path. */
const javaHomeOf = (java: string): string => dirname(dirname(realpathSync(java)));

/**
 * Apache Maven, from the PATH or, on a machine that has only Node and a JDK, downloaded once from
 * Maven Central into .data/maven (checksum pinned). MAVEN_DIST_URL points at a mirror of the same file.
 */
const MAVEN_VERSION = '3.9.9';
const MAVEN_SHA512 = 'a555254d6b53d267965a3404ecb14e53c3827c09c3b94b5678835887ab404556bfaf78dcfe03ba76fa2508649dca8531c74bca4d5846513522404d48e8c4ac8b';
const MAVEN_HOME = join(ROOT, '.data', 'maven', `apache-maven-${MAVEN_VERSION}`);

export async function findMaven(): Promise<string> {
  const mvn = onPath('mvn');
  if (mvn) return mvn;
  const local = join(MAVEN_HOME, 'bin', 'mvn');
  if (existsSync(local)) return local;
  const url =
    process.env.MAVEN_DIST_URL ??
    `https://repo.maven.apache.org/maven2/org/apache/maven/apache-maven/${MAVEN_VERSION}/apache-maven-${MAVEN_VERSION}-bin.tar.gz`;
  let archive: Buffer;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    archive = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new Error(
      `Maven is not installed and could not be downloaded from ${url} (${e instanceof Error ? e.message : String(e)}): install Apache Maven 3.6+ or set MAVEN_DIST_URL`,
      { cause: e },
    );
  }
  if (createHash('sha512').update(archive).digest('hex') !== MAVEN_SHA512) throw new Error(`the Maven download from ${url} does not match its pinned SHA-512`);
  const dir = dirname(MAVEN_HOME);
  mkdirSync(dir, { recursive: true });
  const tarball = join(dir, `apache-maven-${MAVEN_VERSION}-bin.tar.gz`);
  writeFileSync(tarball, archive);
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', dir], { stdio: 'inherit' });
  if (untar.status !== 0 || !existsSync(local)) throw new Error(`could not unpack ${tarball}`);
  return local;
}

/** SHA-256 over engine/pom.xml and every file under engine/src (relative path + content). */
export function sourcesHash(): string {
  const files = [join(ENGINE_DIR, 'pom.xml')];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) files.push(p);
    }
  };
  walk(join(ENGINE_DIR, 'src'));
  const hash = createHash('sha256');
  for (const f of files.sort()) {
    hash.update(`${relative(ENGINE_DIR, f)}\0`);
    hash.update(readFileSync(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Build engine/target/hotline-engine.jar with Maven unless it exists and the sources
 * are unchanged since the last build (hash in engine/target/.sources-hash).
 * Resolves to the jar path.
 */
export async function buildEngine({ force = false }: { force?: boolean } = {}): Promise<string> {
  const hash = sourcesHash();
  const recorded = existsSync(HASH_FILE) ? readFileSync(HASH_FILE, 'utf8').trim() : null;
  if (!force && existsSync(ENGINE_JAR) && recorded === hash) return ENGINE_JAR;

  const java = findJava();
  const mvn = await findMaven();
  const args = ['-q', '-B', '-f', join(ENGINE_DIR, 'pom.xml'), 'package', '-DskipTests'];
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolveCode, reject) => {
    const child = spawn(mvn, args, {
      cwd: ROOT,
      env: { ...process.env, JAVA_HOME: javaHomeOf(java) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => output.push(d));
    child.stderr.on('data', (d) => output.push(d));
    child.on('error', reject);
    child.on('close', resolveCode);
  });
  if (code !== 0 || !existsSync(ENGINE_JAR)) {
    const tail = Buffer.concat(output).toString('utf8').split('\n').slice(-40).join('\n');
    throw new Error(`engine build failed (mvn ${args.join(' ')} exited with ${code}):\n${tail}`);
  }
  mkdirSync(dirname(HASH_FILE), { recursive: true });
  writeFileSync(HASH_FILE, `${hash}\n`);
  return ENGINE_JAR;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True if GET <url> answers 200 within a short timeout. */
async function answers200(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

export interface EngineOptions {
  jdbcUrl: string;
  user?: string;
  password?: string;
  port?: number;
  bind?: string;
  /** The JVM's maximum heap (-Xmx), e.g. "768m". */
  heap?: string;
  /** The REST API's service account, created by the engine at start (engine/…/ServiceAccount.java). */
  service: { user: string; password: string };
  /** true: copy engine output to our stderr; a function: called per output line. */
  log?: boolean | ((line: string) => void);
  timeoutMs?: number;
  javaOpts?: string[];
}

export interface RunningEngine {
  child: ChildProcess;
  /** The REST base, e.g. http://127.0.0.1:8080/engine-rest. */
  url: string;
  /** What was on the port before: an engine a crashed run of ours left ('stopped'), a stale pid file, nothing. */
  leftover: Leftover;
  /** Settles when the JVM has exited, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** Where a node records its JVM's pid, so that a start after a crash recognises its own leftover engine. */
export const enginePidFile = (port: number) => join(ROOT, '.data', `engine-${port}.pid`);

/**
 * Start the engine jar and wait until GET <url>/engine answers 200. An engine this checkout left running on
 * the port (its pid file names a live JVM running our jar) is stopped first; anything else there is refused.
 */
export async function startEngine({
  jdbcUrl,
  user = 'postgres',
  password = '',
  port = 8080,
  bind = '127.0.0.1',
  heap = '768m',
  service,
  log = false,
  timeoutMs = 120_000,
  javaOpts = [],
}: EngineOptions): Promise<RunningEngine> {
  if (!existsSync(ENGINE_JAR)) throw new Error(`${ENGINE_JAR} not found: run buildEngine() or "node --import tsx scripts/engine.ts build"`);

  // A wildcard bind is still reachable on loopback; a specific address must be used as is.
  const host = ['0.0.0.0', '::', ''].includes(bind) ? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
  const url = `http://${host}:${port}/engine-rest`;
  const pidFile = enginePidFile(port);
  const leftover = await stopOwnProcess(pidFile, ENGINE_JAR);
  // Something else on the port would answer our readiness probe: refuse up front.
  if (await answers200(`${url}/engine`)) throw new Error(`startEngine: ${url} already answers (port ${port} in use)`);

  const java = findJava();
  const child = spawn(java, [`-Xmx${heap}`, ...javaOpts, '-jar', ENGINE_JAR], {
    cwd: ENGINE_DIR,
    env: {
      ...process.env,
      ENGINE_JDBC_URL: jdbcUrl,
      ENGINE_DB_USER: user,
      ENGINE_DB_PASSWORD: password,
      ENGINE_PORT: String(port),
      ENGINE_BIND: bind,
      ENGINE_SERVICE_USER: service.user,
      ENGINE_SERVICE_PASSWORD: service.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // its own process group: a Ctrl-C in the terminal reaches only our process, which stops things in order
    detached: true,
  });
  if (child.pid) {
    mkdirSync(dirname(pidFile), { recursive: true });
    writeFileSync(pidFile, `${child.pid}\n`);
  }

  // Keep the last output lines (Spring logs to stdout) for error messages.
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 60) tail.shift();
    if (typeof log === 'function') log(line);
    else if (log) process.stderr.write(`[engine] ${line}\n`);
  };
  for (const stream of [child.stdout!, child.stderr!]) {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      lines.forEach(onLine);
    });
    stream.on('end', () => buf && onLine(buf));
  }

  let exitedNow = false;
  let spawnError: Error | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
    child.once('exit', (code, signal) => {
      exitedNow = true;
      r({ code, signal });
    });
    child.once('error', (err) => {
      // Spawn failure (e.g. ENOENT): there is no process to wait for.
      spawnError = err;
      exitedNow = true;
      r({ code: null, signal: null });
    });
  });
  const removePidFile = () => {
    if (existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(child.pid)) rmSync(pidFile, { force: true });
  };
  // Never leave a JVM behind if this Node process exits without calling stop().
  const killOnExit = () => {
    child.kill('SIGKILL');
    removePidFile();
  };
  process.once('exit', killOnExit);
  void exited.then(() => {
    process.removeListener('exit', killOnExit);
    removePidFile();
  });

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (!exitedNow) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
    })();
    return stopping;
  };

  const started = Date.now();
  for (;;) {
    if (spawnError) throw new Error(`startEngine: cannot run ${java}: ${(spawnError as Error).message}`);
    if (exitedNow) {
      const { code, signal } = await exited;
      throw new Error(`engine exited during startup (code ${code}, signal ${signal}):\n${tail.join('\n')}`);
    }
    if (await answers200(`${url}/engine`)) break;
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`engine not ready at ${url} after ${timeoutMs} ms:\n${tail.join('\n')}`);
    }
    await sleep(250);
  }
  return { child, url, leftover, exited, stop };
}

/** The options of one engine node from the configuration: its database as hotline_engine, heap, timezone, account. */
export function engineOptions(config: Config, engineDbUrl: string, service: EngineOptions['service']): EngineOptions {
  const u = new URL(engineDbUrl);
  return {
    jdbcUrl: `jdbc:postgresql://${u.hostname}:${u.port || 5432}${u.pathname}`,
    user: decodeURIComponent(u.username || process.env.USER || 'postgres'),
    password: decodeURIComponent(u.password),
    port: config.engine.port,
    bind: config.engine.bind,
    heap: config.engine.heap,
    service,
    javaOpts: [`-Duser.timezone=${config.engine.timezone}`],
  };
}

/** True once an engine has created its tables in the engine's database. */
async function engineSchemaExists(engineAdminUrl: string): Promise<boolean> {
  const client = new Client({ connectionString: engineAdminUrl });
  await client.connect();
  try {
    return (await client.query<{ ok: boolean }>("SELECT to_regclass('public.act_ge_property') IS NOT NULL AS ok")).rows[0].ok;
  } finally {
    await client.end();
  }
}

/** `npm run engine`: one engine node on DATABASE_URL, until SIGINT/SIGTERM. */
async function runNode(): Promise<void> {
  // A signal before the engine is up ends us at once; the exit hook of startEngine takes the JVM along.
  const node: { engine?: RunningEngine } = {};
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => (node.engine ? void node.engine.stop() : process.exit(0)));
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('DATABASE_URL', 'is required by `npm run engine` (`npm start` runs its own PostgreSQL)');
  await buildEngine();
  const db = await startDatabase(config);
  // The engine connects as hotline_engine, which must exist and own its database first.
  await prepareSystem(db, config);
  const start = () => startEngine({ ...engineOptions(config, db.engineUrl, serviceAccount(config)), log: true });
  // Nodes starting at once on a new database would each create the engine's tables: the first does, alone.
  const engine = (await engineSchemaExists(db.engineAdminUrl)) ? await start() : await withSystemLock(db.adminUrl, start, ENGINE_SCHEMA_LOCK);
  node.engine = engine;
  process.stdout.write(`[engine] ready: ${engine.url}\n`);
  const { code, signal } = await engine.exited;
  process.exit(signal === 'SIGTERM' || code === 143 ? 0 : (code ?? 1));
}

// CLI: node --import tsx scripts/engine.ts [run | build [--force]]
if (require.main === module) {
  const [cmd = 'run', ...rest] = process.argv.slice(2);
  const main =
    cmd === 'run'
      ? runNode
      : cmd === 'build'
        ? async () => {
            const t0 = Date.now();
            const jar = await buildEngine({ force: rest.includes('--force') });
            process.stdout.write(`${jar} (${Date.now() - t0} ms)\n`);
          }
        : null;
  if (!main) {
    process.stderr.write('usage: node --import tsx scripts/engine.ts [run | build [--force]]\n');
    process.exit(2);
  }
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
