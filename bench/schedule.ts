// Scheduling at 200 technicians and 50,000 entries on PostgreSQL: the calendar's week view (all
// technicians, one team of 20, one technician) through the HTTP API beside Steward's own statement
// replayed as raw SQL in the same run, and the cost of the overlap check on insert: POST
// /api/v1/schedule/entries end to end, the service's SQL sequence (lock, two conflict reads, insert)
// raw, a bare INSERT under the exclusion constraint, and a bare INSERT into a copy of the table
// without it.
//
//   npm run bench:schedule      (= node --import tsx bench/schedule.ts; generates its data first)
//
// Environment (all optional):
//   BENCH_DATABASE_URL   database to DROP and recreate (default postgres://postgres@127.0.0.1:5432/steward_bench_schedule)
//   BENCH_DURATION       seconds per scenario (default 5)
//   BENCH_WARMUP         seconds of discarded load before each scenario (default 1)
//   BENCH_CONNECTIONS    comma list of connection counts (default 1,4)
import pg from 'pg';
import { hashPassword } from '../src/server/platform/crypto.js';
import { addDays, todayIn } from '../src/shared/time/index.js';
import { weekRange, weekStart } from '../src/shared/time/zones.js';
import {
  assertLoopback,
  capture,
  closedLoop,
  fmt,
  httpLoad,
  inTenant,
  insertCompanies,
  intEnv,
  login,
  recreateWithMigrations,
  type Stats,
} from './load.js';
import { startSteward } from './steward.js';

const URL_ = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/steward_bench_schedule';
const TENANT = 1;
const TECHS = 200;
const ENTRIES = 50_000;
const PASSWORD = 'correct-horse-battery';
const DURATION = intEnv('BENCH_DURATION', 5, 1, 600);
const WARMUP = intEnv('BENCH_WARMUP', 1, 0, 60);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,4').split(',').map(Number);
const log = (s: string) => process.stderr.write(`${s}\n`);

async function generate(pool: pg.Pool): Promise<{ monday: string; teamId: number; techId: number }> {
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  await insertCompanies(q, 1);
  const hash = await hashPassword(PASSWORD);
  await q(
    `insert into users (tenant_id, name, email, username, password_hash, role_id, status, color)
     select 1, 'Admin', 'admin@bench.test', 'admin', $1, (select id from roles where tenant_id = 1 and name = 'Admin'), 'active', '#228be6'`,
    [hash],
  );
  await q(
    `insert into users (tenant_id, name, email, username, password_hash, role_id, status, color)
     select 1, 'Technician ' || g, 'tech' || g || '@bench.test', 'tech' || g, $1, (select id from roles where tenant_id = 1 and name = 'Technician'), 'active',
            '#' || lpad(to_hex((g * 2654435761) % 16777216), 6, '0')
       from generate_series(1, $2::int) g`,
    [hash, TECHS],
  );
  await q(`insert into teams (tenant_id, name) select 1, 'Team ' || g from generate_series(1, 10) g`);
  await q(
    `insert into team_members (tenant_id, team_id, user_id)
     select 1, (select id from teams where tenant_id = 1 and name = 'Team ' || (1 + (u.rn - 1) / 20)), u.id
       from (select id, row_number() over (order by id) rn from users where tenant_id = 1 and username like 'tech%') u`,
  );
  // 250 weekdays (50 weeks around now) of one 08:00–16:00 UTC shift per technician = 50,000 entries.
  const monday = weekStart(todayIn('UTC'));
  const first = addDays(monday, -25 * 7);
  await q(
    `insert into schedule_entries (tenant_id, technician_id, kind, starts_at, ends_at, timezone)
     select 1, u.id, 'shift', d + time '08:00', d + time '16:00', 'UTC'
       from users u
       cross join lateral (select ($1::date + w * 7 + wd)::timestamp at time zone 'UTC' as d
                             from generate_series(0, 49) w, generate_series(0, 4) wd) days
      where u.tenant_id = 1 and u.username like 'tech%'`,
    [first],
  );
  const { rows } = await q('select count(*)::int n from schedule_entries');
  if (rows[0].n !== ENTRIES) throw new Error(`generated ${rows[0].n} entries, wanted ${ENTRIES}`);
  await q('vacuum analyze');
  const team = await q(`select id from teams where tenant_id = 1 order by id limit 1`);
  const tech = await q(`select id from users where tenant_id = 1 and username = 'tech1'`);
  return { monday, teamId: Number(team.rows[0].id), techId: Number(tech.rows[0].id) };
}

async function rawLoop(pool: pg.Pool, connections: number, one: (c: pg.PoolClient, conn: number) => Promise<void>): Promise<Stats> {
  const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
  try {
    return await closedLoop(connections, WARMUP, DURATION, async (conn) => {
      await inTenant(clients[conn], TENANT, () => one(clients[conn], conn));
      return null;
    });
  } finally {
    for (const c of clients) c.release();
  }
}

const rows: string[] = [];
function row(id: string, how: string, connections: number, s: Stats, note = '') {
  const line = `| ${id} | ${how} | ${connections} | ${s.rate.toFixed(0)} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${note} |`;
  rows.push(line);
  log(line);
  if (s.failures > 0) throw new Error(`${id} ${how}: ${s.failures} failures, first: ${s.firstFailure}`);
}

async function main() {
  assertLoopback(URL_);
  log(`generating ${ENTRIES} entries for ${TECHS} technicians in ${URL_} ...`);
  await recreateWithMigrations(URL_);
  const pool = new pg.Pool({ connectionString: URL_, max: 8 });
  const { monday, teamId, techId } = await generate(pool);
  const week = weekRange(monday, 'UTC');
  const steward = await startSteward(URL_);
  try {
    const session = await login(steward.base, 'admin@bench.test', PASSWORD);
    const headers = { cookie: session.cookie, accept: 'application/json' };
    const views = [
      ['week-all', `/api/v1/schedule?from=${monday}&to=${addDays(monday, 6)}`],
      ['week-team', `/api/v1/schedule?from=${monday}&to=${addDays(monday, 6)}&teamId=${teamId}`],
      ['week-one', `/api/v1/schedule?from=${monday}&to=${addDays(monday, 6)}&technicianId=${techId}`],
    ] as const;
    log('| scenario | path | conn | req/s | p50 ms | p95 ms | p99 ms | max ms | note |');
    for (const [id, path] of views) {
      // Steward's statement for this view, captured once and replayed raw.
      let answer: { entries: unknown[] } = { entries: [] };
      const seen = await capture(async () => {
        answer = (await (await fetch(`${steward.base}${path}`, { headers })).json()) as { entries: unknown[] };
      });
      const statement = seen.find((s) => /from "schedule_entries"/.test(s.text) && /"starts_at" </.test(s.text));
      if (!statement) throw new Error(`no entries statement captured for ${id}`);
      for (const c of CONNECTIONS) {
        const http = await httpLoad({
          base: steward.base,
          connections: c,
          warmup: WARMUP,
          duration: DURATION,
          targets: [{ path, method: 'GET', headers }],
        });
        row(id, 'HTTP GET /api/v1/schedule', c, http, `${answer.entries.length} entries`);
        const raw = await rawLoop(pool, c, async (client) => {
          await client.query(statement.text, statement.values);
        });
        row(id, "raw SQL (Steward's entries statement)", c, raw);
      }
    }

    // Overlap check on insert: every insert a fresh slot (an on-call hour per technician far ahead).
    let slot = 0;
    const techIds = (await pool.query(`select id from users where tenant_id = 1 and username like 'tech%' order by id`)).rows.map((r) =>
      Number(r.id),
    );
    const nextSlot = () => {
      const n = slot++;
      const tech = techIds[n % techIds.length];
      const start = new Date(week.end.getTime() + 400 * 86_400_000 + Math.floor(n / techIds.length) * 3_600_000);
      return { tech, start, end: new Date(start.getTime() + 3_600_000) };
    };
    await pool.query(
      'create table if not exists bench_entries_plain (like schedule_entries including defaults including generated including identity)',
    );
    await pool.query('create index if not exists bench_entries_plain_starts on bench_entries_plain (tenant_id, starts_at)');
    await pool.query('create index if not exists bench_entries_plain_tech on bench_entries_plain (tenant_id, technician_id, starts_at)');
    await pool.query('grant all on bench_entries_plain to steward_app');
    for (const c of [1]) {
      const writeHeaders = { ...headers, 'content-type': 'application/json', 'x-csrf-token': session.csrf };
      const targets = Array.from({ length: 4000 }, () => {
        const s = nextSlot();
        return {
          path: '/api/v1/schedule/entries',
          method: 'POST' as const,
          headers: writeHeaders,
          body: JSON.stringify({
            technicianId: String(s.tech),
            kind: 'on_call',
            timezone: 'UTC',
            startsAt: s.start.toISOString(),
            endsAt: s.end.toISOString(),
          }),
        };
      });
      // httpLoad gives connection i targets[i]: use one connection per distinct slot via a queue-less rotation.
      let k = 0;
      const agentStats = await closedLoop(c, WARMUP, DURATION, async () => {
        const t = targets[k++ % targets.length];
        if (k > targets.length) return 'ran out of slots';
        const res = await fetch(`${steward.base}${t.path}`, { method: 'POST', headers: t.headers, body: t.body });
        await res.arrayBuffer();
        return res.status === 201 ? null : `${res.status}`;
      });
      row('insert', 'HTTP POST /api/v1/schedule/entries (lock + checks + insert + notice)', c, agentStats);
      const service = await rawLoop(pool, c, async (client) => {
        const s = nextSlot();
        await client.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`schedule:${TENANT}:${s.tech}`]);
        await client.query(
          `select id from schedule_entries where tenant_id = $1 and technician_id = $2 and kind = 'on_call' and starts_at < $4 and ends_at > $3 limit 50`,
          [TENANT, s.tech, s.start, s.end],
        );
        await client.query(
          `select id from time_off where tenant_id = $1 and user_id = $2 and status = 'approved' and starts_at < $4 and ends_at > $3 limit 50`,
          [TENANT, s.tech, s.start, s.end],
        );
        await client.query(
          `insert into schedule_entries (tenant_id, technician_id, kind, starts_at, ends_at, timezone) values ($1, $2, 'on_call', $3, $4, 'UTC')`,
          [TENANT, s.tech, s.start, s.end],
        );
      });
      row('insert', 'raw SQL: lock + two conflict reads + insert', c, service);
      const excl = await rawLoop(pool, c, async (client) => {
        const s = nextSlot();
        await client.query(
          `insert into schedule_entries (tenant_id, technician_id, kind, starts_at, ends_at, timezone) values ($1, $2, 'on_call', $3, $4, 'UTC')`,
          [TENANT, s.tech, s.start, s.end],
        );
      });
      row('insert', 'raw SQL: INSERT under the exclusion constraint', c, excl);
      const plain = await rawLoop(pool, c, async (client) => {
        const s = nextSlot();
        await client.query(
          `insert into bench_entries_plain (tenant_id, technician_id, kind, starts_at, ends_at, timezone) values ($1, $2, 'on_call', $3, $4, 'UTC')`,
          [TENANT, s.tech, s.start, s.end],
        );
      });
      row('insert', 'raw SQL: INSERT into a copy without the constraint', c, plain);
    }
    process.stdout.write(`${rows.join('\n')}\n`);
  } finally {
    await steward.stop();
    await pool.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
