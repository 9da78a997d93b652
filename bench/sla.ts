// SLA timers at 100,000 open tickets under SLA on PostgreSQL: what the clock costs per minute.
//
//   npm run bench:sla        (= node --import tsx bench/sla.ts; generates its own data set first)
//
// The data set: one company, a London Monday–Friday 09:00–17:00 calendar with a holiday, the
// default policy, and BENCH_TICKETS open tickets opened over the last BENCH_DAYS days (priority mix
// 10 % urgent, 25 % high, 45 % medium, 20 % low; 15 % on hold), each with its clock computed by
// Steward's own clock (sla.clock.ts) and inserted in batches. Then, with Steward's services
// in-process on a pg pool:
//   clock        CPU per ticket to compute a clock (both targets, warnings, next moment)
//   sweep-idle   one minute sweep when nothing is due (the steady cost when timers are on time)
//   sweep-hour   a sweep that finds the moments of the next hour due at once (a worker down for an
//                hour): per event, and the events of an average minute × that cost = cost per minute
//   jobs         the pg-boss path: BENCH_JOBS timer jobs due now, drained by one worker (per job)
//   at-risk      the ticket list with slaAtRisk=true sorted by slaDue (the dashboard widget), p50/p99
//                through Steward's list query, beside the raw index query on ticket_sla
// CPU is this process (Node) and the PostgreSQL backends (from /proc), as in bench/load.ts.
//
// Environment (all optional):
//   BENCH_DATABASE_URL   database to DROP and recreate (loopback only; default postgres://postgres@127.0.0.1:5432/steward_bench_sla)
//   BENCH_TICKETS        open tickets under SLA (default 100000)
//   BENCH_DAYS           they were opened over this many days (default 5)
//   BENCH_JOBS           timer jobs for the pg-boss row (default 2000; 0 skips it)
//   BENCH_RUNS           runs of each list query (default 200)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testConfig } from '../src/server/config.js';
import { type ClockState, moments } from '../src/server/modules/sla/sla.clock.js';
import { DEFAULT_TARGETS, slaJobs, sweepTimers } from '../src/server/modules/sla/sla.service.js';
import * as slaRepo from '../src/server/modules/sla/sla.repo.js';
import { queryTickets } from '../src/server/modules/tickets/tickets.list.js';
import type { UserActor } from '../src/server/platform/actor.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { ALL_PERMISSIONS } from '../src/shared/permissions/index.js';
import type { BusinessCalendar } from '../src/shared/time/business-hours.js';
import { cpuPerRequest, cpuSnapshot, fmt, insertCompanies, intEnv, recreateWithMigrations } from './load.js';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_sla';
const TICKETS = intEnv('BENCH_TICKETS', 100_000, 100, 5_000_000);
const DAYS = intEnv('BENCH_DAYS', 5, 1, 60);
const JOBS = intEnv('BENCH_JOBS', 2000, 0, 100_000);
const RUNS = intEnv('BENCH_RUNS', 200, 10, 10_000);
const TENANT = 1;
const WEEK = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
const CALENDAR: BusinessCalendar = { timezone: 'Europe/London', week: WEEK, holidays: ['2026-12-25', '2026-12-28'] };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const log = (s: string) => process.stderr.write(`${s}\n`);

async function generate(pool: pg.Pool): Promise<{ clockUs: number }> {
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  await insertCompanies(q, 1);
  const { rows: cal } = await q(
    `insert into business_hours (tenant_id, name, timezone, week, holidays, is_default) values ($1, 'Office hours', $2, $3, $4, true) returning id`,
    [TENANT, CALENDAR.timezone, JSON.stringify(WEEK), CALENDAR.holidays],
  );
  const { rows: pol } = await q(
    `insert into sla_policies (tenant_id, name, position, business_hours_id, match, targets, warn_before_minutes) values ($1, 'Standard', 1, $2, '{}', $3, 60) returning id`,
    [TENANT, cal[0].id, JSON.stringify(DEFAULT_TARGETS)],
  );
  await q(`insert into ticket_counters (tenant_id, last) values ($1, $2)`, [TENANT, TICKETS]);
  // Tickets: opened over the last DAYS days, newest last; 15 % on hold.
  await q(
    `insert into tickets (tenant_id, number, kind, title, priority, status, created_at, updated_at)
     select $1, g, 'incident', 'Ticket ' || g,
            case when g % 20 < 2 then 'urgent' when g % 20 < 7 then 'high' when g % 20 < 16 then 'medium' else 'low' end,
            case when g % 20 in (3, 11, 17) then 'on_hold' else 'open' end,
            now() - make_interval(secs => ($2::float8 * 86400) * (1 - g::float8 / $3)),
            now()
       from generate_series(1, $3::int) g`,
    [TENANT, DAYS, TICKETS],
  );
  const { rows: ts } = await q(`select id, priority, status, created_at from tickets where tenant_id = $1 order by id`, [TENANT]);
  const now = new Date();
  let clockMs = 0;
  const batch: unknown[][] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const cols =
      'tenant_id, ticket_id, policy_id, business_hours_id, first_response_minutes, resolution_minutes, warn_before_minutes, started_at, first_response_due_at, resolution_due_at, first_response_warn_at, resolution_warn_at, paused_since, next_due_at, next_warn_at, next_event_at';
    const n = 16;
    const values = batch.flat();
    const tuples = batch.map((_r, i) => `(${Array.from({ length: n }, (_x, j) => `$${i * n + j + 1}`).join(', ')})`).join(', ');
    await q(`insert into ticket_sla (${cols}) values ${tuples}`, values);
    batch.length = 0;
  };
  for (const t of ts) {
    const target = DEFAULT_TARGETS[t.priority as keyof typeof DEFAULT_TARGETS];
    const s: ClockState = {
      startedAt: t.created_at,
      firstResponseMinutes: target.firstResponseMinutes,
      resolutionMinutes: target.resolutionMinutes,
      warnBeforeMinutes: 60,
      pausedMinutes: 0,
      pausedSince: t.status === 'on_hold' ? now : null,
      firstRespondedAt: null,
      resolvedAt: null,
      firstResponseWarned: false,
      resolutionWarned: false,
      firstResponseBreached: false,
      resolutionBreached: false,
    };
    const started = performance.now();
    // A fresh calendar object per ticket, as each transaction reads its own (no memo across tickets).
    const m = moments({ ...CALENDAR }, s);
    clockMs += performance.now() - started;
    // Moments already past are settled (as the sweep would have left them), so only future ones are pending.
    batch.push([
      TENANT,
      t.id,
      pol[0].id,
      cal[0].id,
      s.firstResponseMinutes,
      s.resolutionMinutes,
      60,
      s.startedAt,
      m.firstResponseDueAt,
      m.resolutionDueAt,
      m.firstResponseWarnAt,
      m.resolutionWarnAt,
      s.pausedSince,
      m.nextDueAt,
      m.nextWarnAt,
      m.nextEventAt,
    ]);
    if (batch.length === 1000) await flush();
  }
  await flush();
  // Past moments: flags set and the next moment moved on, in SQL (what the sweep leaves behind).
  await q(
    `update ticket_sla set first_response_warned = first_response_warn_at <= now() or first_response_due_at <= now(),
                                 first_response_breached = first_response_due_at <= now(),
                                 resolution_warned = resolution_warn_at <= now() or resolution_due_at <= now(),
                                 resolution_breached = resolution_due_at <= now()
            where tenant_id = $1`,
    [TENANT],
  );
  await q(
    `update ticket_sla set next_event_at = (select min(m) from unnest(array[
              case when not first_response_warned then first_response_warn_at end,
              case when not first_response_breached then first_response_due_at end,
              case when not resolution_warned then resolution_warn_at end,
              case when not resolution_breached then resolution_due_at end]) m)
            where tenant_id = $1 and paused_since is null`,
    [TENANT],
  );
  await q('vacuum analyze');
  return { clockUs: (clockMs * 1000) / ts.length };
}

async function main() {
  log(`bench:sla: generating ${TICKETS} tickets under SLA in ${URL_}`);
  await recreateWithMigrations(URL_);
  const pool = new pg.Pool({ connectionString: URL_, max: 4 });
  const { clockUs } = await generate(pool);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-sla-'));
  const database = await openDatabase({ databaseUrl: URL_, dataDir, poolSize: 4 });
  const deps = await createDeps(testConfig({ databaseUrl: URL_, dataDir }), { database, log: createLogger('silent') });
  const out: string[] = [];
  const row = (name: string, value: string) => {
    out.push(`| ${name} | ${value} |`);
    log(`  ${name}: ${value}`);
  };
  row('tickets under SLA (open, 15 % on hold)', String(TICKETS));
  row('clock: CPU per ticket to compute (µs)', fmt(clockUs));
  const { rows: perHour } = await pool.query(
    `select count(*)::int n from ticket_sla where tenant_id = $1 and next_event_at > now() and next_event_at <= now() + interval '1 hour'`,
    [TENANT],
  );
  const { rows: perDay } = await pool.query(
    `select count(*)::int n from ticket_sla where tenant_id = $1 and next_event_at > now() and next_event_at <= now() + interval '24 hours'`,
    [TENANT],
  );
  row('clocks with a moment in the next hour / 24 h', `${perHour[0].n} / ${perDay[0].n}`);

  // Idle sweep: nothing due.
  const idle: number[] = [];
  let before = await cpuSnapshot(pool);
  for (let i = 0; i < 20; i++) {
    const s = performance.now();
    await sweepTimers(deps, { now: new Date(Date.now() - 60_000) });
    idle.push(performance.now() - s);
  }
  let cpu = cpuPerRequest(before, await cpuSnapshot(pool), 20);
  row('sweep, nothing due: wall p50 / p99 (ms)', `${fmt(pct(idle, 50))} / ${fmt(pct(idle, 99))}`);
  row('sweep, nothing due: CPU Node / PostgreSQL (ms)', `${fmt(cpu.node)} / ${cpu.pg === null ? '–' : fmt(cpu.pg)}`);

  // A sweep that finds the next hour's moments due at once.
  before = await cpuSnapshot(pool);
  let s = performance.now();
  const fired = await sweepTimers(deps, { now: new Date(Date.now() + 3_600_000) });
  const hourMs = performance.now() - s;
  cpu = cpuPerRequest(before, await cpuSnapshot(pool), Math.max(1, fired));
  row('sweep of an hour of moments: events fired, wall (ms)', `${fired}, ${fmt(hourMs)}`);
  row(
    'per event: wall / CPU Node / CPU PostgreSQL (ms)',
    `${fmt(hourMs / Math.max(1, fired))} / ${fmt(cpu.node)} / ${cpu.pg === null ? '–' : fmt(cpu.pg)}`,
  );
  const perMinute = perDay[0].n / 1440;
  row('events in an average minute (24 h / 1440)', fmt(perMinute));
  row('cost per minute: sweep + events (ms wall)', fmt(pct(idle, 50) + perMinute * (hourMs / Math.max(1, fired))));

  // The pg-boss path: JOBS timer jobs due now, drained by one worker.
  if (JOBS > 0) {
    const { rows: ids } = await pool.query(`select ticket_id from ticket_sla where tenant_id = $1 order by ticket_id limit $2`, [
      TENANT,
      JOBS,
    ]);
    await deps.jobs.start(slaJobs(deps), false);
    await deps.jobs.sendMany(
      'sla.timer',
      ids.map((r) => ({ data: { tenantId: TENANT, ticketId: Number(r.ticket_id) }, singletonKey: `sla:${r.ticket_id}:bench` })),
    );
    await deps.jobs.stop();
    const worker = await createDeps(testConfig({ databaseUrl: URL_, dataDir }), { database, log: createLogger('silent') });
    before = await cpuSnapshot(pool);
    s = performance.now();
    await worker.jobs.start(slaJobs(worker), true);
    for (;;) {
      const { rows } = await pool.query(
        `select count(*)::int n from pgboss.job where name = 'sla.timer' and state in ('created', 'retry', 'active')`,
      );
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const jobsMs = performance.now() - s;
    cpu = cpuPerRequest(before, await cpuSnapshot(pool), JOBS);
    await worker.jobs.stop();
    row(`pg-boss: ${JOBS} timer jobs drained by one worker (s)`, fmt(jobsMs / 1000));
    row(
      'per job: wall / CPU Node / CPU PostgreSQL (ms)',
      `${fmt(jobsMs / JOBS)} / ${fmt(cpu.node)} / ${cpu.pg === null ? '–' : fmt(cpu.pg)}`,
    );
  }

  // The at-risk list.
  const actor = {
    kind: 'user',
    userId: 1,
    tenantId: TENANT,
    permissions: new Set(ALL_PERMISSIONS),
    roleId: 1,
    departmentId: null,
  } as unknown as UserActor;
  const lists: Record<string, number[]> = { list: [], raw: [], breached: [] };
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    await deps.database.withTenant(TENANT, ({ tx }) => queryTickets(tx, actor, { sort: 'slaDue', slaAtRisk: 'true' }, { limit: 50 }));
    lists.list.push(performance.now() - t0);
    t0 = performance.now();
    await deps.database.withTenant(TENANT, ({ tx }) => slaRepo.atRiskIds(tx, TENANT, { includeBreached: false, limit: 50 }));
    lists.raw.push(performance.now() - t0);
    t0 = performance.now();
    await deps.database.withTenant(TENANT, ({ tx }) => queryTickets(tx, actor, { sort: 'slaDue', slaBreached: 'true' }, { limit: 50 }));
    lists.breached.push(performance.now() - t0);
  }
  row('at-risk list (Steward list query, 50 rows): p50 / p99 (ms)', `${fmt(pct(lists.list, 50))} / ${fmt(pct(lists.list, 99))}`);
  row('at-risk ids by the ticket_sla index (raw limit): p50 / p99 (ms)', `${fmt(pct(lists.raw, 50))} / ${fmt(pct(lists.raw, 99))}`);
  row('breached list sorted by SLA due: p50 / p99 (ms)', `${fmt(pct(lists.breached, 50))} / ${fmt(pct(lists.breached, 99))}`);

  process.stdout.write(`| measure | value |\n| --- | --- |\n${out.join('\n')}\n`);
  await database.close();
  await pool.end();
  rmSync(dataDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
