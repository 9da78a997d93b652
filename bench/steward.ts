// Steward in the benchmark's own process (start(config) on 127.0.0.1, port 0, a temporary data
// directory), and the progress line of a measured row. Apart from bench/load.ts, whose `--load`
// child must not load the server.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/server/config.js';
import { start } from '../src/server/main.js';
import { assertLoopback, fmt, type Stats } from './load.js';

/** Starts the web and worker roles on `databaseUrl`; `env` adds or overrides settings. */
export async function startSteward(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<{ base: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-'));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    const running = await start(
      loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        STEWARD_DATA_DIR: dataDir,
        DATABASE_URL: databaseUrl,
        LOG_LEVEL: 'silent',
        SESSION_SECRET: randomBytes(32).toString('hex'),
        STEWARD_ROLES: 'web,worker',
        ...env,
      }),
    );
    const stop = () => running.stop().finally(remove);
    if (!running.url) {
      await stop();
      throw new Error('Steward did not start its web role');
    }
    assertLoopback(running.url);
    return { base: running.url, stop };
  } catch (error) {
    remove();
    throw error;
  }
}

export interface MeasuredRow {
  id: string;
  path: string;
  connections: number;
  stats: Stats;
  /** CPU milliseconds per request: this process (Steward, or the pg driver for raw SQL) and the database's backends. */
  cpu: { node: number; pg: number | null };
}

/** Prints a row's progress line to stderr; a row with failed requests stops the run. */
export function reportRow(row: MeasuredRow, idWidth: number): void {
  const s = row.stats;
  process.stderr.write(
    `  ${row.id.padEnd(idWidth)} ${row.path.padEnd(13)} ${row.connections}c ${s.rate.toFixed(0).padStart(6)}/s  p50 ${fmt(s.p50)}  p95 ${fmt(s.p95)}  p99 ${fmt(s.p99)}  max ${fmt(s.max)} ms  (${s.count})  cpu/req node ${row.cpu.node.toFixed(2)} pg ${row.cpu.pg?.toFixed(2) ?? '–'} ms\n`,
  );
  if (s.failures > 0) throw new Error(`${row.id} (${row.path}): ${s.failures} failures, first: ${s.firstFailure}`);
}
