#!/usr/bin/env node
// Browser suites: builds the web client into a private directory and the server into dist/server
// (when its sources changed), then for each test/e2e/*.e2e.ts starts Steward as production runs it
// (plain node on the bundle) on a fresh embedded database and a free port, runs the file against it
// in Debian's Chromium (CHROMIUM_PATH), and stops it. `npm run test:e2e -- test/e2e/auth.e2e.ts`
// runs one file.
//
// Suites run two at a time (E2E_JOBS, default 2; 1 runs them one after another), each with its output
// held and printed whole when it ends; two suites that ask for the same MQTT_PORT never run together.
// Every instance starts from a copy of one database directory migrated once (a fresh PGlite data
// directory otherwise spends seconds per suite applying the migrations); a suite that calls
// ensureDemoSetup() starts from a copy of one set up once with the demo data (6–10 s per suite).
//
// The private build (served because the server runs from a work directory holding it as dist/web)
// keeps a rebuild of the shared dist/web, by someone else, from pulling files away mid-run.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureServerBuilt } from '../../scripts/build.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`test:e2e: Chromium not found at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(1);
}

// Each suite file gets its own fresh instance (own database and port): the platform suite needs a
// never-set-up instance, and no file depends on what another one left behind.
function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
}

const workDir = mkdtempSync(path.join(tmpdir(), 'steward-e2e-web-'));

/** Builds the web client in a process of its own (it runs beside the server build and the migration). */
function buildWebClient() {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--outDir',
      path.join(workDir, 'dist/web'),
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`vite build exited with ${code}`));
      console.log(`test:e2e: web client built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      resolve();
    }),
  );
}

/**
 * Server variables a suite asks for in a `// e2e-env: NAME=value NAME=` line; an empty value leaves
 * the variable unset (e.g. PUBLIC_URL, to see what the screens say without it).
 */
function suiteEnv(file) {
  const line = /^\/\/ e2e-env: (.*)$/m.exec(readFileSync(path.resolve(root, file), 'utf8'));
  return Object.fromEntries((line ? line[1].trim().split(/\s+/) : []).map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
}

/** An instance operator a suite asks for in a `// e2e-superadmin: EMAIL PASSWORD` line, created before the server starts. */
function suiteOperator(file) {
  const line = /^\/\/ e2e-superadmin: (\S+) (\S+)$/m.exec(readFileSync(path.resolve(root, file), 'utf8'));
  return line ? { email: line[1], password: line[2] } : null;
}

/** One migrated, never set up PGlite data directory that every suite's instance starts from a copy of. */
function migratedTemplate() {
  const dir = path.join(workDir, 'template-data');
  execFileSync(process.execPath, [path.join(root, 'bin/steward.mjs'), 'migrate'], {
    cwd: workDir,
    env: { ...process.env, STEWARD_DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: 'inherit',
  });
  return dir;
}
let template = null;

/** The demo company every suite calling ensureDemoSetup() signs in to (test/e2e/support.ts DEMO). */
const DEMO_SETUP = {
  company: { name: 'Acme Facilities', slug: 'acme' },
  admin: { name: 'Ada Admin', email: 'ada@acme.example', password: 'correct-horse-battery' },
  demoData: true,
};
/** A copy of the migrated template set up once with the demo data (made by a server of its own). */
let demoTemplate = null;

/** Whether a suite starts from the demo template: it calls ensureDemoSetup(), which then finds setup done. */
const usesDemo = (file) => /\bensureDemoSetup\(/.test(readFileSync(path.resolve(root, file), 'utf8'));

async function makeDemoTemplate() {
  const started = Date.now();
  const chunks = [];
  const server = await startServer({ MQTT_PORT: '0' }, null, (c) => chunks.push(c), template);
  try {
    const res = await fetch(`${server.baseUrl}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_SETUP),
    });
    if (res.status !== 201) throw new Error(`setup with demo data: ${res.status} ${await res.text()}`);
    const dir = path.join(workDir, 'demo-data');
    await server.stop({ keep: dir });
    console.log(`test:e2e: demo template set up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return dir;
  } catch (error) {
    await server.stop();
    process.stdout.write(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))));
    throw error;
  }
}

async function startServer(extraEnv = {}, operator = null, output, from = template) {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'steward-e2e-'));
  if (from) cpSync(from, dataDir, { recursive: true });
  const baseUrl = `http://127.0.0.1:${port}`;
  if (operator) {
    execFileSync(
      process.execPath,
      [
        path.join(root, 'bin/steward.mjs'),
        'create-superadmin',
        '--email',
        operator.email,
        '--password',
        operator.password,
        '--name',
        'Olga Operator',
      ],
      { cwd: workDir, env: { ...process.env, STEWARD_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn', ...extraEnv }, stdio: 'pipe' },
    );
  }
  const server = spawn(process.execPath, [path.join(root, 'bin/steward.mjs'), 'serve'], {
    cwd: workDir,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      STEWARD_DATA_DIR: dataDir,
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      SMTP_URL: '',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.on('data', output);
  server.stderr.on('data', output);
  /** Stops the server (SIGTERM: a clean shutdown) and removes its data directory, or moves it to `keep`. */
  const stop = async ({ keep } = {}) => {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r() : server.on('exit', r)));
    }
    if (keep) cpSync(dataDir, keep, { recursive: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
      if (Date.now() > deadline) throw new Error('server did not become ready');
      try {
        if ((await fetch(`${baseUrl}/readyz`)).ok) break;
      } catch {}
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

function runSuite(file, baseUrl, output) {
  const tests = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', file], {
    cwd: root,
    env: { ...process.env, BASE_URL: baseUrl, CHROMIUM_PATH: chromium, E2E_ARTIFACTS: path.join(root, 'test-results') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  tests.stdout.on('data', output);
  tests.stderr.on('data', output);
  return new Promise((resolve) => tests.on('exit', (c) => resolve(c ?? 1)));
}

const only = process.argv.slice(2);
const files = only.length
  ? only
  : readdirSync(path.join(root, 'test/e2e'))
      .filter((f) => f.endsWith('.e2e.ts'))
      .sort()
      .map((f) => path.join('test/e2e', f));

const running = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await Promise.all([...running].map((r) => r.server?.stop()));
    rmSync(workDir, { recursive: true, force: true });
    process.exit(130);
  });
}

const started = Date.now();
const failed = [];
const buildFailed = (error) => {
  console.error(`test:e2e: building failed: ${error.message}`);
  rmSync(workDir, { recursive: true, force: true });
  process.exit(1);
};
// The web client builds while the server is built and the template migrated and then set up with
// the demo data (each mostly on one core); suites without the demo data start once the web client
// is there, the others once their template is (a suite waits for what it needs, never the rest).
let demoReady = null;
try {
  const web = buildWebClient();
  await ensureServerBuilt(root);
  template = migratedTemplate();
  demoReady = files.some(usesDemo)
    ? makeDemoTemplate().then((dir) => {
        demoTemplate = dir;
      })
    : Promise.resolve();
  demoReady.catch(buildFailed);
  await web;
} catch (error) {
  buildFailed(error);
}

async function runFile(file, env) {
  const chunks = [];
  const output = (chunk) => chunks.push(chunk);
  const entry = { file, port: env.MQTT_PORT, server: undefined };
  running.add(entry);
  const t0 = Date.now();
  try {
    entry.server = await startServer(env, suiteOperator(file), output, usesDemo(file) ? demoTemplate : template);
    const code = await runSuite(file, entry.server.baseUrl, output);
    if (code !== 0) failed.push(file);
  } catch (error) {
    chunks.push(Buffer.from(`test:e2e: ${file}: ${error.message}\n`));
    failed.push(file);
  } finally {
    await entry.server?.stop();
    running.delete(entry);
    process.stdout.write(`\n== ${file} (${((Date.now() - t0) / 1000).toFixed(1)} s) ==\n`);
    process.stdout.write(Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))));
  }
}

const jobs = Math.max(1, Number(process.env.E2E_JOBS ?? 2));
const queue = files.map((file) => ({ file, env: suiteEnv(file), demo: usesDemo(file) }));
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (;;) {
      // The next suite whose fixed MQTT port (if any) no running suite holds.
      const busy = new Set([...running].map((r) => r.port).filter((p) => p && p !== '0'));
      // While the demo template is being set up, the next suite that does not need it.
      const index = queue.findIndex(
        (q) => (!q.env.MQTT_PORT || q.env.MQTT_PORT === '0' || !busy.has(q.env.MQTT_PORT)) && (demoTemplate || !q.demo),
      );
      if (index === -1) {
        if (queue.length === 0) return;
        await Promise.race([new Promise((r) => setTimeout(r, 200)), demoReady]);
        continue;
      }
      const [next] = queue.splice(index, 1);
      await runFile(next.file, next.env);
    }
  }),
);
rmSync(workDir, { recursive: true, force: true });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(
  failed.length
    ? `test:e2e: ${failed.length} of ${files.length} suite(s) failed (${failed.join(', ')}) in ${seconds} s`
    : `test:e2e: ${files.length} suite(s) passed in ${seconds} s`,
);
process.exit(failed.length ? 1 : 0);
