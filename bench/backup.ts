// Company backup and restore throughput on PostgreSQL: one large company (BENCH_TICKETS tickets, a
// history row each, a comment on every other one), backed up through the service's stream to a file,
// then restored in place of itself (`replace`: the company's rows deleted and inserted again, one
// transaction; `new` beside it would clash on its users' e-mails). Reports MB/s (archive bytes
// and uncompressed NDJSON bytes), rows/s and the process's peak RSS, next to the raw limits measured
// in the same run: PostgreSQL COPY of the same tables to /dev/null and gzip level 6 of the same
// bytes in this process.
//
//   npm run bench:backup                      (200,000 tickets)
//   BENCH_TICKETS=1000000 npm run bench:backup   (the 1,000,000-ticket company; ~25 min to generate here)
//
// Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/steward_bench_backup,
// dropped and recreated), BENCH_TICKETS (default 200000), BENCH_SKIP_GENERATE=1 to reuse the data.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import pg from 'pg';
import { testConfig } from '../src/server/config.js';
import { companyBackupStream } from '../src/server/modules/backup/backup.export.js';
import { restoreCompany } from '../src/server/modules/backup/restore.service.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { insertCompanies, intEnv, recreateWithMigrations } from './load.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_backup';
const tickets = intEnv('BENCH_TICKETS', 200_000, 1000, 10_000_000);
const mb = (bytes: number) => bytes / 1024 / 1024;

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);

async function generate(): Promise<void> {
  await recreateWithMigrations(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  try {
    await insertCompanies(q, 1);
    await q(
      `insert into users (tenant_id, name, email, password_hash, role_id)
       select 1, 'User ' || g, 'user' || g || '@bench-backup.test', 'x', (select min(id) from roles where tenant_id = 1) from generate_series(1, 50) g`,
    );
    await q(
      `insert into tickets (tenant_id, number, kind, title, description, priority, status, requester_id, created_by_id, source, created_at, updated_at)
       select 1, g, 'incident', 'Printer ' || g || ' on floor ' || (g % 7) || ' keeps jamming',
              repeat('The printer jams after a few pages; paper tray two. ', 1 + g % 6),
              case when g % 4 = 0 then 'high' else 'medium' end, case when g % 3 = 0 then 'closed' else 'open' end,
              (select min(id) from users where tenant_id = 1), (select min(id) from users where tenant_id = 1), 'web',
              now() - (g || ' minutes')::interval, now()
         from generate_series(1, $1::int) g`,
      [tickets],
    );
    await q(`insert into ticket_counters (tenant_id, last) values (1, $1)`, [tickets]);
    await q(`insert into ticket_history (tenant_id, ticket_id, actor_name, at, event) select 1, id, 'Bench', created_at, 'created' from tickets`);
    await q(
      `insert into ticket_comments (tenant_id, ticket_id, author_name, body, internal, created_at)
       select 1, id, 'Bench', 'Replaced the pickup roller; please try again.', false, created_at from tickets where id % 2 = 0`,
    );
    await q('vacuum analyze');
  } finally {
    await client.end();
  }
}

async function copyLimit(): Promise<{ bytes: number; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = performance.now();
  let bytes = 0;
  try {
    for (const t of ['tickets', 'ticket_history', 'ticket_comments']) {
      const { rows } = await client.query(`select coalesce(sum(length(row_to_json(x)::text) + 1), 0)::bigint as n from ${t} x where tenant_id = 1`);
      bytes += Number(rows[0].n);
    }
  } finally {
    await client.end();
  }
  return { bytes, seconds: (performance.now() - started) / 1000 };
}

/** The database's own insert ceiling for the same tables with their indexes: insert … select into copies. */
async function insertLimit(): Promise<{ rows: number; seconds: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  let seconds = 0;
  try {
    for (const t of ['tickets', 'ticket_history', 'ticket_comments']) {
      await client.query(`create temp table copy_${t} (like ${t} including defaults including constraints including indexes)`);
      const started = performance.now();
      const r = await client.query(`insert into copy_${t} select * from ${t} where tenant_id = 1`);
      seconds += (performance.now() - started) / 1000;
      rows += r.rowCount ?? 0;
    }
  } finally {
    await client.end();
  }
  return { rows, seconds };
}

async function gzipLimit(file: string): Promise<{ bytes: number; seconds: number }> {
  // The archive's own tar (gunzipped once) compressed again: the cost of gzip alone.
  const { createGunzip } = await import('node:zlib');
  const chunks: Buffer[] = [];
  await pipeline(
    createReadStream(file),
    createGunzip(),
    new Writable({
      write(c, _e, cb) {
        chunks.push(c);
        cb();
      },
    }),
  );
  const raw = Buffer.concat(chunks);
  const started = performance.now();
  await pipeline(
    async function* () {
      for (let i = 0; i < raw.length; i += 1 << 20) yield raw.subarray(i, i + (1 << 20));
    },
    createGzip({ level: 6 }),
    new Writable({
      write(_c, _e, cb) {
        cb();
      },
    }),
  );
  return { bytes: raw.length, seconds: (performance.now() - started) / 1000 };
}

async function main() {
  if (process.env.BENCH_SKIP_GENERATE !== '1') {
    const t0 = performance.now();
    await generate();
    console.log(`generated ${tickets} tickets in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-backup-'));
  const config = testConfig({ databaseUrl: url, dataDir: dir });
  const deps = await createDeps(config, { log: createLogger('warn') });
  const file = path.join(dir, 'company.tar.gz');
  try {
    const baseline = process.memoryUsage().rss;
    peak = baseline;
    let manifest: { tables: Array<{ rows: number; parts: Array<{ size: number }> }> } | null = null;
    const t1 = performance.now();
    await pipeline(
      companyBackupStream(deps, 1, {}, async (m) => {
        manifest = m;
      }),
      createWriteStream(file),
    );
    const backupSeconds = (performance.now() - t1) / 1000;
    const backupPeak = peak;
    const archive = statSync(file).size;
    const m = manifest as unknown as { tables: Array<{ rows: number; parts: Array<{ size: number }> }> };
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    const ndjson = m.tables.reduce((n, t) => n + t.parts.reduce((s, p) => s + p.size, 0), 0);

    peak = process.memoryUsage().rss;
    const t2 = performance.now();
    await restoreCompany(deps, null, null, file, { mode: 'replace', slug: 'company-1' });
    const restoreSeconds = (performance.now() - t2) / 1000;
    const restorePeak = peak;

    const copy = await copyLimit();
    const inserts = await insertLimit();
    const gz = await gzipLimit(file);
    console.log(`company: ${tickets} tickets, ${rows} rows, NDJSON ${mb(ndjson).toFixed(1)} MB, archive ${mb(archive).toFixed(1)} MB`);
    console.log(
      `backup:  ${backupSeconds.toFixed(1)} s, ${(mb(ndjson) / backupSeconds).toFixed(1)} MB/s NDJSON (${(mb(archive) / backupSeconds).toFixed(1)} MB/s archive), ${(rows / backupSeconds).toFixed(0)} rows/s, peak RSS ${mb(backupPeak).toFixed(0)} MB`,
    );
    console.log(
      `restore: ${restoreSeconds.toFixed(1)} s, ${(mb(ndjson) / restoreSeconds).toFixed(1)} MB/s NDJSON, ${(rows / restoreSeconds).toFixed(0)} rows/s, peak RSS ${mb(restorePeak).toFixed(0)} MB`,
    );
    console.log(`limit:   PostgreSQL row_to_json of the same rows ${(mb(copy.bytes) / copy.seconds).toFixed(1)} MB/s; gzip -6 in this process ${(mb(gz.bytes) / gz.seconds).toFixed(1)} MB/s`);
    console.log(`limit:   insert … select of tickets, history and comments into copies with their indexes: ${(inserts.rows / inserts.seconds).toFixed(0)} rows/s`);
    console.log(`memory:  RSS before the backup ${mb(baseline).toFixed(0)} MB`);
  } finally {
    clearInterval(sampler);
    await deps.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
