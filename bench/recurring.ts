// Recurring work at 10,000 rules (issue 13, item 8): what the recurring-ticket scheduler costs per
// minute (CPU of this process and of PostgreSQL's backends, statements sent) and how long after
// its due instant each ticket is committed (p99 target < 5 s).
//
//   npm run bench:recurring        (= node --import tsx bench/recurring.ts)
//
// The data set: BENCH_COMPANIES companies (default 100) with BENCH_RULES recurring tickets in all
// (default 10,000; a third with two tasks), daily at a minute spread over the day, except a peak of
// BENCH_PEAK rules (default 1,000) at 09:00. The bench day's first run of every rule is placed by
// SQL; then the scheduler runs as its wake-up job does, one pass per simulated minute from 08:55 to
// 09:10 of the bench day with `now` = that minute (an injected clock: the pass is timed in real
// time, the simulated instant only decides what is due). A ticket's delay is its run row's commit
// time minus the real instant the pass for its minute began; pg-boss adds its polling interval (2 s)
// before a wake-up job starts, reported beside the figures. Each minute's pass is then repeated at
// once with nothing left due: the idle cost (one scan). Environment: BENCH_DATABASE_URL (loopback only; default
// postgres://postgres@127.0.0.1:5432/steward_bench_recurring), BENCH_CONCURRENCY (default 4).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runRecurringTickets } from '../src/server/modules/recurring/recurring.scheduler.js';
import { createDeps } from '../src/server/runtime.js';
import { testConfig } from '../src/server/config.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { cpuSnapshot, fmt, insertCompanies, intEnv, recreateWithMigrations } from './load.js';

const URL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/steward_bench_recurring';
const url = process.env.BENCH_DATABASE_URL ?? URL_DEFAULT;
const COMPANIES = intEnv('BENCH_COMPANIES', 100, 1, 10_000);
const RULES = intEnv('BENCH_RULES', 10_000, 1, 1_000_000);
const PEAK = intEnv('BENCH_PEAK', 1_000, 0, RULES);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 4, 1, 64);
const DAY = '2026-03-16';

// Every statement the scheduler's pool sends, counted at the driver.
let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function generate(): Promise<void> {
  await recreateWithMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  await insertCompanies(q, COMPANIES);
  // Rule i: company 1 + i % COMPANIES; the first PEAK at 09:00, the rest at minute (i × 7) of the day.
  await q(
    `insert into recurring_tickets (tenant_id, title, kind, priority, description, tasks, rrule, starts_on, timezone, time, active, next_run_at)
     select c.id, 'Recurring check ' || g, 'work_order', 'medium', 'Bench rule ' || g,
            case when g % 3 = 0 then '[{"title":"Look"},{"title":"Record"}]'::jsonb else '[]'::jsonb end,
            'FREQ=DAILY', '2026-01-01', 'UTC', t.hhmm, true,
            (($3::date + case when t.hhmm < '08:55' then 1 else 0 end) + t.hhmm::time) at time zone 'UTC'
       from generate_series(0, $1::int - 1) g
       join lateral (select (select id from companies order by id offset (g % $4::int) limit 1) as id) c on true
       join lateral (select case when g < $2::int then '09:00' else to_char(time '00:00' + ((g * 7) % 1440) * interval '1 minute', 'HH24:MI') end as hhmm) t on true`,
    [RULES, PEAK, DAY, COMPANIES],
  );
  await q('analyze');
  await pool.end();
}

async function main() {
  const started = Date.now();
  await generate();
  console.log(`generated ${COMPANIES} companies and ${RULES} rules (${PEAK} at 09:00) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-recurring-'));
  const config = testConfig({ databaseUrl: url, dataDir });
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: CONCURRENCY + 2 });
  const deps = await createDeps(config, { database, log: createLogger('silent') });
  const probe = new pg.Pool({ connectionString: url, max: 1 });
  const rows: Array<{
    minute: string;
    due: number;
    tickets: number;
    wallMs: number;
    nodeMs: number;
    pgMs: number | null;
    statements: number;
    p99: number;
    max: number;
  }> = [];
  const delays: number[] = [];
  let rawMs = Number.NaN;
  let rawCount = 0;
  const idles: Array<{ wallMs: number; nodeMs: number; statements: number }> = [];
  try {
    for (let m = -5; m <= 10; m++) {
      const at = new Date(Date.parse(`${DAY}T09:00:00Z`) + m * 60_000);
      const before = await cpuSnapshot(probe);
      const s0 = statements;
      const t0 = Date.now();
      const result = await runRecurringTickets(deps, at, CONCURRENCY);
      const wallMs = Date.now() - t0;
      const after = await cpuSnapshot(probe);
      let pgMs: number | null = null;
      if (before.pg && after.pg) {
        pgMs = 0;
        for (const [pid, ms] of after.pg) pgMs += ms - (before.pg.get(pid) ?? 0);
      }
      // The same minute again: nothing is due any more, so this is the idle cost (one scan).
      const idle0 = await cpuSnapshot(probe);
      const is0 = statements;
      const it0 = performance.now();
      await runRecurringTickets(deps, at, CONCURRENCY);
      const idleWall = performance.now() - it0;
      const idle1 = await cpuSnapshot(probe);
      idles.push({ wallMs: idleWall, nodeMs: idle1.node - idle0.node, statements: statements - is0 - 1 }); // less the probe's own CPU query
      const { rows: made } = await probe.query<{ ms: number }>(
        `select extract(epoch from (created_at - $1::timestamptz)) * 1000 as ms from recurring_ticket_runs where occurrence = $2`,
        [new Date(t0).toISOString(), at.toISOString()],
      );
      const ms = made.map((r) => Number(r.ms)).sort((a, b) => a - b);
      delays.push(...ms);
      rows.push({
        minute: at.toISOString().slice(11, 16),
        due: made.length,
        tickets: result.tickets,
        wallMs,
        nodeMs: after.node - before.node,
        pgMs,
        statements: statements - s0 - 1, // less the probe's own CPU query
        p99: percentile(ms, 99),
        max: ms.at(-1) ?? Number.NaN,
      });
    }
    // The raw limit on this machine in this run: the peak's count of minimal exactly-once
    // transactions (claim the rule, insert its run row, move it on) in plain SQL, no ticket.
    const raw = new pg.Pool({ connectionString: url, max: CONCURRENCY });
    const { rows: peak } = await raw.query<{ tenant_id: number; id: number }>(
      "select tenant_id, id from recurring_tickets where time = '09:00' order by id",
    );
    let next = 0;
    const r0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const c = await raw.connect();
        try {
          while (next < peak.length) {
            const rule = peak[next++];
            await c.query('begin');
            await c.query('select id from recurring_tickets where tenant_id = $1 and id = $2 for update skip locked', [
              rule.tenant_id,
              rule.id,
            ]);
            await c.query(
              "insert into recurring_ticket_runs (tenant_id, recurring_ticket_id, occurrence) values ($1, $2, '2030-01-01T09:00:00Z') on conflict do nothing",
              [rule.tenant_id, rule.id],
            );
            await c.query('update recurring_tickets set last_error = null where tenant_id = $1 and id = $2', [rule.tenant_id, rule.id]);
            await c.query('commit');
          }
        } finally {
          c.release();
        }
      }),
    );
    rawMs = performance.now() - r0;
    rawCount = peak.length;
    await raw.end();
  } finally {
    await probe.end();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(
    `\nconcurrency ${CONCURRENCY}, ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('| minute (UTC) | tickets | pass wall ms | node CPU ms | PostgreSQL CPU ms | statements | delay p99 ms | delay max ms |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.minute} | ${r.tickets} | ${fmt(r.wallMs)} | ${fmt(r.nodeMs)} | ${r.pgMs === null ? '–' : fmt(r.pgMs)} | ${r.statements} | ${fmt(r.p99)} | ${fmt(r.max)} |`,
    );
  }
  const sorted = delays.sort((a, b) => a - b);
  const idle = idles;
  const busy = rows.filter((r) => r.tickets > 0);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  console.log(
    `\nall ${sorted.length} tickets: delay p50 ${fmt(percentile(sorted, 50))} ms, p99 ${fmt(percentile(sorted, 99))} ms, max ${fmt(sorted.at(-1) ?? Number.NaN)} ms (plus pg-boss polling, up to 2,000 ms)`,
  );
  console.log(
    `idle pass (${idle.length}, nothing due): ${fmt(avg(idle.map((r) => r.wallMs)))} ms wall, ${fmt(avg(idle.map((r) => r.nodeMs)))} ms node CPU, ${fmt(avg(idle.map((r) => r.statements)))} statements`,
  );
  console.log(
    `raw limit: ${rawCount} minimal exactly-once transactions in plain SQL (no ticket) in ${fmt(rawMs)} ms at ${CONCURRENCY} connections`,
  );
  console.log(
    `per ticket (${busy.length} busy minutes): ${fmt(avg(busy.map((r) => r.nodeMs / r.tickets)))} ms node CPU, ${fmt(avg(busy.map((r) => (r.pgMs ?? 0) / r.tickets)))} ms PostgreSQL CPU, ${fmt(avg(busy.map((r) => r.statements / r.tickets)))} statements`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
