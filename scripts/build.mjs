// Builds what production runs: the server bundled by esbuild into dist/server (with the PGlite init
// script) and its migrations into dist/db/migrations, the web client by Vite into dist/web.
//
//   node scripts/build.mjs            build both when their sources changed (npm run build)
//   node scripts/build.mjs --force    build both regardless
//
// `bin/steward.mjs` calls ensureServerBuilt()/ensureWebBuilt() before it starts, so `git pull &&
// npm start` never runs stale code. A build is current when the stamp beside it holds the digest of
// its inputs (paths and contents, not mtimes: a checkout or an extracted archive may carry any time).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The layout mirrors src/server: the bundle's chunks sit in dist/server like the modules in
// src/server/*, so `new URL('../db/migrations', import.meta.url)` (platform/db.ts) and
// '../../package.json' (version.ts) resolve the same from either.
const SERVER_OUT = 'dist/server';
const MIGRATIONS_OUT = 'dist/db/migrations';
const WEB_OUT = 'dist/web';
const SERVER_STAMP = 'dist/server/build.json';
const WEB_STAMP = 'dist/web.build.json';

const SERVER_INPUTS = ['src/server', 'src/shared', 'package.json', 'tsconfig.json', 'scripts/build.mjs'];
// The web bundle includes its dependencies, so the lockfile is one of its inputs.
const WEB_INPUTS = [
  'src/web',
  'src/shared',
  'public',
  'index.html',
  'vite.config.ts',
  'tsconfig.web.json',
  'package.json',
  'package-lock.json',
];

const isTest = (file) => /\.test\.tsx?$/.test(file);

function files(root, entry) {
  const full = path.join(root, entry);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [entry];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(root, path.join(entry, name)));
}

/** sha256 over the inputs' relative paths and contents (tests excluded: they are not built). */
export function digest(root, inputs) {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((entry) => files(root, entry)).filter((f) => !isTest(f))) {
    hash.update(`${file.split(path.sep).join('/')}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function stampOf(root, stamp) {
  try {
    return JSON.parse(readFileSync(path.join(root, stamp), 'utf8')).digest;
  } catch {
    return null;
  }
}

/** True when the checkout has sources to build from (an image holds only dist/). */
export const hasSources = (root = ROOT) => existsSync(path.join(root, 'src/server/cli/index.ts'));

/**
 * Bundles the server: one ESM entry, chunks split at the dynamic imports so that `steward serve`
 * still opens the database while the rest of the server loads (cli/index.ts). npm packages stay
 * external (production node_modules ships beside dist/). Written to a temporary directory and
 * renamed into place, so a process starting meanwhile never loads half a build.
 */
export async function buildServer(root = ROOT, wanted = digest(root, SERVER_INPUTS)) {
  const { build } = await import('esbuild');
  const out = path.join(root, SERVER_OUT);
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    absWorkingDir: root,
    entryPoints: { steward: 'src/server/cli/index.ts' },
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    sourcemap: 'linked',
    // Source map paths are relative to the output: the build does not depend on where it ran.
    sourceRoot: '',
    logLevel: 'warning',
    tsconfig: 'tsconfig.json',
  });
  cpSync(path.join(root, 'src/server/platform/pglite-init.mjs'), path.join(tmp, 'pglite-init.mjs'));
  writeFileSync(path.join(tmp, 'build.json'), `${JSON.stringify({ digest: wanted })}\n`);
  const migrations = path.join(root, MIGRATIONS_OUT);
  rmSync(migrations, { recursive: true, force: true });
  cpSync(path.join(root, 'src/server/db/migrations'), migrations, { recursive: true });
  rmSync(out, { recursive: true, force: true });
  try {
    renameSync(tmp, out);
  } catch (error) {
    // Another process finished the same build first: theirs is as good as ours.
    rmSync(tmp, { recursive: true, force: true });
    if (stampOf(root, SERVER_STAMP) !== wanted) throw error;
  }
}

export function buildWeb(root = ROOT, wanted = digest(root, WEB_INPUTS)) {
  rmSync(path.join(root, WEB_STAMP), { force: true });
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  writeFileSync(path.join(root, WEB_STAMP), `${JSON.stringify({ digest: wanted })}\n`);
}

/** Builds the server when dist/server is missing or older than its sources; answers whether it built. */
export async function ensureServerBuilt(root = ROOT, log = console.error) {
  if (!hasSources(root)) return false;
  const wanted = digest(root, SERVER_INPUTS);
  if (stampOf(root, SERVER_STAMP) === wanted) return false;
  log('steward: building the server…');
  await buildServer(root, wanted);
  return true;
}

export function ensureWebBuilt(root = ROOT, log = console.error) {
  if (!existsSync(path.join(root, 'src/web'))) return false;
  const wanted = digest(root, WEB_INPUTS);
  if (stampOf(root, WEB_STAMP) === wanted && existsSync(path.join(root, WEB_OUT, 'index.html'))) return false;
  log('steward: building the web client…');
  buildWeb(root, wanted);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const started = Date.now();
  mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
  if (force) {
    await buildServer();
    buildWeb();
  } else {
    await ensureServerBuilt();
    ensureWebBuilt();
  }
  console.error(`steward: build is current (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
