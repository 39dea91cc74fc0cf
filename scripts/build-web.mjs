/**
 * Builds the browser apps (web-workbench: tasklist and workbench; web-modeler: the admins' modeler)
 * with esbuild into <app>/dist, only when an app's sources changed since its last build.
 * Run directly (`node scripts/build-web.mjs [--force]`) or from the start script.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WEB_APPS = ['web-workbench', 'web-modeler'];

function sourcesHash(appDir) {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else hash.update(`${relative(appDir, p)}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(join(appDir, 'src'));
  if (existsSync(join(appDir, 'public'))) walk(join(appDir, 'public'));
  hash.update(readFileSync(join(ROOT, 'package-lock.json')));
  return hash.digest('hex');
}

export async function buildWeb({ force = false } = {}) {
  const { build } = await import('esbuild');
  const built = [];
  for (const app of WEB_APPS) {
    const appDir = join(ROOT, app);
    const entry = join(appDir, 'src', 'main.js');
    if (!existsSync(entry)) continue;
    const dist = join(appDir, 'dist');
    const stamp = join(dist, '.sources-hash');
    const hash = sourcesHash(appDir);
    if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash) continue;
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
    await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      sourcemap: true,
      format: 'esm',
      target: ['chrome110', 'firefox110', 'safari16'],
      outfile: join(dist, 'app.js'),
      loader: { '.svg': 'text', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.png': 'file' },
      logLevel: 'warning',
    });
    const pub = join(appDir, 'public');
    if (existsSync(pub)) cpSync(pub, dist, { recursive: true });
    writeFileSync(stamp, `${hash}\n`);
    built.push(app);
  }
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await buildWeb({ force: process.argv.includes('--force') });
  process.stdout.write(built.length ? `built ${built.join(', ')}\n` : 'web apps up to date\n');
}
