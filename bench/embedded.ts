// Embedded mode as a user meets it (SPEC §19): `steward serve` on a new data directory (PGlite,
// embedded defaults), time until the first page answers, resident memory once idle; then a restart
// on the same directory, time to the first page and idle memory again. The build (dist/) is brought
// up to date first and not timed: `npm start` builds once after an install or an upgrade. Besides the
// wall clock, the CPU seconds the server process used until its first page: on a shared machine
// they vary far less than the wall clock.
//
//   npm run bench:embedded        (= node --import tsx bench/embedded.ts)
//
// Bars: first start < 10 s, restart to first page < 3 s, idle memory < 400 MB.
// Environment (optional): BENCH_IDLE_SECONDS (default 45: V8 has shrunk its start-up garbage by
// then), BENCH_RUNS (default 2), BENCH_TIMEOUT_SECONDS (default 60, per start). Takes about 4 minutes.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { intEnv } from './load.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** User + system CPU seconds of a process (utime and stime of /proc/<pid>/stat, in 1/100 s). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Starts `steward serve`, waits for the first page, then idles; answers seconds to the first page and idle RSS. */
async function serve(dataDir: string, idleSeconds: number, timeoutSeconds: number): Promise<{ firstPage: number; cpu: number; rss: number }> {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/steward.mjs'), 'serve', '--build-if-needed'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', STEWARD_DATA_DIR: dataDir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`steward exited with ${child.exitCode}`);
      if (performance.now() - began > timeoutSeconds * 1000) throw new Error(`no first page within ${timeoutSeconds} s`);
      const ok = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const firstPage = (performance.now() - began) / 1000;
    const cpu = cpuSeconds(child.pid!);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    return { firstPage, cpu, rss: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const idle = intEnv('BENCH_IDLE_SECONDS', 45, 1, 600);
  const runs = intEnv('BENCH_RUNS', 2, 1, 20);
  const timeout = intEnv('BENCH_TIMEOUT_SECONDS', 60, 10, 600);
  // Older checkouts (the tsx runtime) have no build script; their bin/ builds the web client itself.
  if (existsSync(path.join(ROOT, 'scripts/build.mjs'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
  const rows: string[] = [];
  for (let i = 1; i <= runs; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-embedded-'));
    try {
      const first = await serve(dir, idle, timeout);
      const again = await serve(dir, idle, timeout);
      rows.push(
        `| ${i} | ${first.firstPage.toFixed(2)} | ${first.cpu.toFixed(2)} | ${first.rss.toFixed(0)} | ${again.firstPage.toFixed(2)} | ${again.cpu.toFixed(2)} | ${again.rss.toFixed(0)} |`,
      );
      process.stderr.write(`run ${i}: ${rows.at(-1)}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; idle = ${idle} s after the first page\n`);
  console.log(
    '| Run | first start → first page (s) | CPU (s) | idle RSS (MB) | restart → first page (s) | CPU (s) | idle RSS after restart (MB) |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
  console.log('\nBars: first start < 10 s, restart < 3 s, idle memory < 400 MB.');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
