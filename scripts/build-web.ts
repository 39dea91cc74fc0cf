/**
 * Builds the browser apps (web-workbench: tasklist and workbench; web-modeler: the admins' modeler)
 * with esbuild into <app>/dist, only when an app's sources (or what they share: web-shared/, the vocabulary)
 * changed since its last build. Each app's entry points are its src/<name>.ts files listed in ENTRIES.
 * Run directly (`node --import tsx scripts/build-web.ts [--force]`) or from the start script and the server.
 */
import { build, stop } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..');
export const WEB_APPS = ['web-workbench', 'web-modeler'] as const;

/** Output name → source of each app's bundles: the app itself, and the workbench's printable pages (bulletin, 反馈单). */
const ENTRIES: Record<(typeof WEB_APPS)[number], Record<string, string>> = {
  'web-workbench': { app: 'src/main.ts', bulletin: 'src/bulletin.ts', 'feedback-sheet': 'src/feedback-sheet.ts' },
  'web-modeler': { app: 'src/main.ts' },
};

/** What both apps bundle besides their own sources. */
const SHARED = [join(ROOT, 'web-shared', 'src'), join(ROOT, 'core', 'vocabulary.ts')];

function sourcesHash(appDir: string): string {
  const hash = createHash('sha256');
  const walk = (p: string): void => {
    if (!statSync(p).isDirectory())
      return void hash
        .update(`${relative(ROOT, p)}\0`)
        .update(readFileSync(p))
        .update('\0');
    for (const name of readdirSync(p).sort()) walk(join(p, name));
  };
  walk(join(appDir, 'src'));
  if (existsSync(join(appDir, 'public'))) walk(join(appDir, 'public'));
  for (const p of SHARED) walk(p);
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  return hash.digest('hex');
}

export async function buildWeb({ force = false }: { force?: boolean } = {}): Promise<string[]> {
  const built: string[] = [];
  for (const app of WEB_APPS) {
    const appDir = join(ROOT, app);
    const entryPoints = Object.fromEntries(Object.entries(ENTRIES[app]).map(([out, src]) => [out, join(appDir, src)]));
    if (!Object.values(entryPoints).every((p) => existsSync(p))) continue;
    const dist = join(appDir, 'dist');
    const stamp = join(dist, '.sources-hash');
    const hash = sourcesHash(appDir);
    if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) continue;
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
    await build({
      entryPoints,
      bundle: true,
      minify: true,
      sourcemap: true,
      format: 'esm',
      target: ['chrome110', 'firefox110', 'safari16'],
      outdir: dist,
      loader: { '.svg': 'text', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.png': 'file' },
      logLevel: 'warning',
    });
    const pub = join(appDir, 'public');
    if (existsSync(pub)) cpSync(pub, dist, { recursive: true });
    writeFileSync(stamp, `${hash}\n`);
    built.push(app);
  }
  // esbuild's service process would otherwise live as long as ours
  await stop();
  return built;
}

if (require.main === module) {
  buildWeb({ force: process.argv.includes('--force') }).then(
    (built) => process.stdout.write(built.length ? `built ${built.join(', ')}\n` : 'web apps up to date\n'),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
}
