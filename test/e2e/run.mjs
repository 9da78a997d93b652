#!/usr/bin/env node
// Browser suite: builds the web client if needed, starts Steward on a fresh embedded database and a
// free port, runs test/e2e/*.e2e.ts against it in Debian's Chromium (CHROMIUM_PATH), then stops it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`test:e2e: Chromium not found at ${chromium} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(1);
}

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dataDir = mkdtempSync(path.join(tmpdir(), 'steward-e2e-'));
const baseUrl = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['bin/steward.mjs', 'serve', '--build-if-needed'], {
  cwd: root,
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    STEWARD_DATA_DIR: dataDir,
    PUBLIC_URL: baseUrl,
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    SMTP_URL: '',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});

async function waitForServer() {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('server did not become ready');
}

let code = 1;
try {
  await waitForServer();
  const files = readdirSync(path.join(root, 'test/e2e'))
    .filter((f) => f.endsWith('.e2e.ts'))
    .sort()
    .map((f) => path.join('test/e2e', f));
  const only = process.argv.slice(2);
  const tests = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...(only.length ? only : files)], {
    cwd: root,
    env: { ...process.env, BASE_URL: baseUrl, CHROMIUM_PATH: chromium, E2E_ARTIFACTS: path.join(root, 'test-results') },
    stdio: 'inherit',
  });
  code = await new Promise((resolve) => tests.on('exit', (c) => resolve(c ?? 1)));
} catch (error) {
  console.error(`test:e2e: ${error.message}`);
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.on('exit', r)));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
