// Where a mail message's time goes on PostgreSQL (issue 11 item 10): the pipeline called in process
// (ingestRawMessage) on the bench's varied messages, with every statement the pg driver runs timed
// from call to answer and summed by statement, beside PostgreSQL's wait events sampled every 2 ms
// from a second connection while `BENCH_CONNECTIONS` messages are in flight at once. A measurement
// tool, not a rate: the timing wrapper and the sampler cost time of their own.
//
//   node --import tsx bench/mail-profile.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL   database to DROP and recreate (loopback only)
//                        (default postgres://postgres@127.0.0.1:5432/steward_bench_mail_profile)
//   BENCH_MESSAGES       messages per run (default 400)
//   BENCH_CONNECTIONS    messages in flight at once (default 4)
//   BENCH_PHASES         split the run into this many phases (default 1); where the server has
//                        pg_stat_statements preloaded, each phase prints PostgreSQL's own time and
//                        buffer reads per statement, so a statement whose cost grows with the data shows
//   BENCH_SYNC_OFF       1: `synchronous_commit = off` for the bench database (a measurement of what
//                        the commit's WAL flush costs, never the product's setting)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import { testConfig } from '../src/server/config.js';
import { ingestRawMessage } from '../src/server/modules/mail/mail.pipeline.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps, jobDefinitions } from '../src/server/runtime.js';
import { intEnv, login, recreateWithMigrations } from './load.js';
import { cpuNow, cpuPerMessage, messages } from './mail.js';

const URL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/steward_bench_mail_profile';
const ADMIN = { name: 'Bench Admin', email: 'admin@bench-mail.test', password: 'bench-password-1234' };

type Stat = { n: number; ms: number; max: number };

/** Times every statement the pg driver is asked to run while `fn` runs, summed by its first words. */
async function timeStatements(fn: () => Promise<void>): Promise<Map<string, Stat>> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const stats = new Map<string, Stat>();
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [a] = args;
    const q = typeof a === 'string' ? { text: a } : (a as { text?: string; name?: string });
    if (q.name === 'profile_sampler') return original.apply(this, args);
    const label = (q.name ?? q.text ?? '?').replace(/\s+/g, ' ').trim().slice(0, 90);
    const t0 = process.hrtime.bigint();
    const done = () => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const s = stats.get(label) ?? { n: 0, ms: 0, max: 0 };
      s.n++;
      s.ms += ms;
      s.max = Math.max(s.max, ms);
      stats.set(label, s);
    };
    const out = original.apply(this, args) as Promise<unknown> | undefined;
    if (out && typeof out.then === 'function') out.then(done, done);
    return out;
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return stats;
}

/** PostgreSQL's own per-statement figures, where pg_stat_statements is preloaded (else null). */
async function serverStatements(admin: pg.Client) {
  try {
    await admin.query('create extension if not exists pg_stat_statements');
    await admin.query('select pg_stat_statements_reset()');
  } catch {
    process.stdout.write('pg_stat_statements is not preloaded here: no per-phase server figures\n');
    return null;
  }
  return {
    reset: async () => void (await admin.query('select pg_stat_statements_reset()')),
    async print(messages: number) {
      const { rows } = await admin.query<{ q: string; calls: string; ms: number; hit: string; read: string; dirtied: string }>(
        `select left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as q, calls, total_exec_time + total_plan_time as ms,
           shared_blks_hit as hit, shared_blks_read as read, shared_blks_dirtied as dirtied
         from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
           and query not like '%pg_stat%' order by total_exec_time + total_plan_time desc limit 12`,
      );
      const total = rows.reduce((a, r) => a + r.ms, 0);
      process.stdout.write(`  server ms per message (top 12): ${(total / messages).toFixed(2)}\n`);
      for (const r of rows) {
        process.stdout.write(
          `  ${(r.ms / messages).toFixed(3)} ms/msg | ${r.calls} calls | ${(Number(r.hit) / Number(r.calls)).toFixed(1)} hit/call | ${(Number(r.dirtied) / Number(r.calls)).toFixed(1)} dirtied/call | ${r.q}\n`,
        );
      }
    },
  };
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL || URL_DEFAULT;
  const n = intEnv('BENCH_MESSAGES', 400, 10, 100_000);
  const c = intEnv('BENCH_CONNECTIONS', 4, 1, 64);
  await recreateWithMigrations(url);
  const dbName = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  if (process.env.BENCH_SYNC_OFF === '1') await admin.query(`alter database ${dbName} set synchronous_commit = off`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-mail-profile-'));
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: 10 });
  const config = testConfig({ databaseUrl: url, dataDir, roles: ['web'], publicUrl: 'http://127.0.0.1' });
  const deps = await createDeps(config, { database, log: createLogger('silent') });
  await deps.jobs.start(jobDefinitions(deps), false);
  const app = await buildApp(deps, { webDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    // One company set up as bench/mail.ts does (its seeded roles, SLA policies), with a webhook mailbox.
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const setup = await fetch(`${base}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: { name: 'Bench Mail', slug: 'bench-mail' }, admin: ADMIN, demoData: false }),
    });
    if (!setup.ok) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
    const session = await login(base, ADMIN.email, ADMIN.password);
    const api = async (method: string, p: string, body: unknown) => {
      const res = await fetch(`${base}${p}`, {
        method,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ mailbox: { id: string } }>;
    };
    await api('PATCH', '/api/v1/settings/mail', { maxMessageMb: 25 });
    const hook = await api('POST', '/api/v1/mailboxes', { type: 'webhook', name: 'Bench webhook', address: 'help@bench-mail.test' });
    const mailboxId = Number(hook.mailbox.id);
    const tenantId = Number((await database.query<{ id: string }>("select id from companies where slug = 'bench-mail'")).rows[0].id);
    const warm = messages(40, `warm-${randomBytes(3).toString('hex')}`);
    for (const m of warm) await ingestRawMessage(deps, { tenantId, mailboxId, raw: m });

    const set = messages(n, `prof-${randomBytes(3).toString('hex')}`);
    const waits = new Map<string, number>();
    let samples = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await admin.query<{ w: string; n: number }>({
          name: 'profile_sampler',
          text: `select coalesce(wait_event_type || ':' || wait_event, case when state = 'active' then 'CPU (active, no wait)' else state end) as w,
             count(*)::int as n
           from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
             and state <> 'idle' group by 1`,
        });
        samples++;
        for (const r of rows) waits.set(r.w, (waits.get(r.w) ?? 0) + r.n);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const phases = intEnv('BENCH_PHASES', 1, 1, 100);
    const pgss = await serverStatements(admin);
    let next = 0;
    const t0 = process.hrtime.bigint();
    const stats = await timeStatements(async () => {
      for (let phase = 1; phase <= phases; phase++) {
        const end = Math.round((set.length * phase) / phases);
        await pgss?.reset();
        const cpu0 = await cpuNow(database);
        const p0 = process.hrtime.bigint();
        await Promise.all(
          Array.from({ length: c }, async () => {
            for (;;) {
              const i = next++;
              if (i >= end) {
                next = Math.min(next, end);
                return;
              }
              await ingestRawMessage(deps, { tenantId, mailboxId, raw: set[i] });
            }
          }),
        );
        if (phases > 1) {
          const perPhase = set.length / phases;
          const s = Number(process.hrtime.bigint() - p0) / 1e9;
          const cpu = cpuPerMessage(cpu0, await cpuNow(database), perPhase);
          process.stdout.write(
            `phase ${phase}: ${(perPhase / s).toFixed(1)} msg/s; CPU per message: Node ${cpu.nodeMs.toFixed(2)} ms, PostgreSQL backends ${cpu.pgMs.toFixed(2)} ms (system ${cpu.pgSystemMs.toFixed(2)})\n`,
          );
          if (pgss) await pgss.print(perPhase);
        }
      }
    });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    sampling = false;
    await sampler;
    const total = [...stats.values()].reduce((a, s) => a + s.ms, 0);
    process.stdout.write(
      `${n} messages, ${c} in flight: ${seconds.toFixed(2)} s = ${(n / seconds).toFixed(1)} msg/s; statements ${[...stats.values()].reduce((a, s) => a + s.n, 0)} (${(total / n).toFixed(1)} ms of statement time per message)\n`,
    );
    process.stdout.write('statement (name or first words) | count | total ms | mean ms | max ms\n');
    for (const [label, s] of [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
      process.stdout.write(`${label} | ${s.n} | ${s.ms.toFixed(0)} | ${(s.ms / s.n).toFixed(2)} | ${s.max.toFixed(1)}\n`);
    }
    process.stdout.write(`\nwait events of the bench's backends (${samples} samples; mean backends per sample):\n`);
    for (const [w, k] of [...waits.entries()].sort((a, b) => b[1] - a[1])) {
      process.stdout.write(`${w} | ${(k / samples).toFixed(2)}\n`);
    }
  } finally {
    await app.close();
    await deps.jobs.stop();
    await database.close();
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
