// A page deep into the long name-ordered lists (contacts, users, parts, devices) on PostgreSQL, through
// Steward's own repository functions in a tenant transaction (row-level security on, as a request runs
// them), beside the same page by the expression order these lists used before (`(lower(name), id) >
// cursor`, the index on (tenant_id, lower(name), id)) in the same run. Under RLS PostgreSQL may not use
// an index on lower(name) for the cursor (lower() is not leakproof), so that page reads every row of the
// company before it; the lists now order by a stored `name_key` (db/keyset.ts afterKey).
//
//   node --import tsx bench/name-pages.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL   database to DROP and recreate (loopback only)
//                        (default postgres://postgres@127.0.0.1:5432/steward_bench_name_pages)
//   BENCH_ROWS           rows per list in company 1 (default 100,000; company 2 gets as many)
//   BENCH_RUNS           timed runs per page (default 20, after one warm-up)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { contactsPage } from '../src/server/modules/mail/contacts.repo.js';
import { findParts } from '../src/server/modules/inventory/inventory.repo.js';
import { devicesPage } from '../src/server/modules/meters/meters.repo.js';
import { findUsers } from '../src/server/modules/users/users.repo.js';
import { openDatabase, type Tx } from '../src/server/platform/db.js';
import { ENTER_TENANT, explain, fmt, inTenant, insertCompanies, intEnv, keyLines, recreateWithMigrations } from './load.js';

const URL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/steward_bench_name_pages';
const LIMIT = 50;

type List = {
  name: string;
  table: string;
  /** Steward's page after the cursor. */
  page: (tx: Tx, after: [string, number]) => Promise<unknown[]>;
};

const LISTS: List[] = [
  { name: 'contacts', table: 'contacts', page: (tx, after) => contactsPage(tx, 1, undefined, after, LIMIT + 1) },
  { name: 'users', table: 'users', page: (tx, after) => findUsers(tx, 1, { after, limit: LIMIT }) },
  { name: 'parts', table: 'parts', page: (tx, after) => findParts(tx, 1, { after, limit: LIMIT }) },
  { name: 'devices', table: 'devices', page: (tx, after) => devicesPage(tx, 1, undefined, after, LIMIT + 1) },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL || URL_DEFAULT;
  const rows = intEnv('BENCH_ROWS', 100_000, 1_000, 5_000_000);
  const runs = intEnv('BENCH_RUNS', 20, 1, 1_000);
  process.stderr.write(`recreating ${url}\n`);
  await recreateWithMigrations(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const q = (text: string, values?: unknown[]) => pool.query(text, values);
  const t0 = Date.now();
  await insertCompanies(q, 2);
  const names = `'Name ' || md5(g::text)`;
  await q(
    `insert into contacts (tenant_id, name, email) select t, ${names}, 'p' || g || '@c' || t || '.test'
           from generate_series(1, $1::int) g, generate_series(1, 2) t`,
    [rows],
  );
  await q(
    `insert into users (tenant_id, name, email, role_id)
     select t, ${names}, 'u' || g || '@c' || t || '.test', (select min(id) from roles r where r.tenant_id = t)
       from generate_series(1, $1::int) g, generate_series(1, 2) t`,
    [rows],
  );
  await q(
    `insert into parts (tenant_id, sku, name) select t, 'SKU-' || g, ${names} from generate_series(1, $1::int) g, generate_series(1, 2) t`,
    [rows],
  );
  await q(
    `insert into devices (tenant_id, name, device_key, secret_hash)
     select t, ${names}, 'dev-' || t || '-' || g, md5(g::text) from generate_series(1, $1::int) g, generate_series(1, 2) t`,
    [rows],
  );
  await q('vacuum analyze');
  process.stderr.write(`generated ${rows.toLocaleString('en')} rows per list and company in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-names-'));
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: 2 });
  const out: string[] = [
    `| list (${rows.toLocaleString('en')} rows in the company) | page at | Steward p50 | Steward p95 | before: lower(name) order p50 | before p95 |`,
    '| --- | --- | --- | --- | --- | --- |',
  ];
  try {
    for (const list of LISTS) {
      for (const depth of [0.1, 0.9]) {
        // The cursor: the row at this depth of the company's list, in the list's order.
        const { rows: at } = await q(`select name_key, id from ${list.table} where tenant_id = 1 order by name_key, id offset $1 limit 1`, [
          Math.floor(rows * depth),
        ]);
        const after: [string, number] = [at[0].name_key, Number(at[0].id)];
        const steward = await timeRuns(runs, () => database.withTenant(1, ({ tx }) => list.page(tx, after)));
        const before = `select id from ${list.table} where tenant_id = $1 and (lower(name), id) > ($2, $3)
                         order by lower(name), id limit ${LIMIT + 1}`;
        // The expression index the lists had, built for this comparison only.
        await q(`create index if not exists bench_${list.table}_lower_name on ${list.table} (tenant_id, lower(name), id)`);
        const client = await pool.connect();
        let old: { p50: number; p95: number };
        try {
          old = await timeRuns(runs, () => inTenant(client, 1, () => client.query(before, [1, after[0], after[1]])));
        } finally {
          client.release();
        }
        if (depth === 0.9)
          process.stderr.write(
            `${list.name}, before, plan:\n${keyLines(await explain(pool, 1, before, [1, after[0], after[1]], ENTER_TENANT))}\n`,
          );
        await q(`drop index bench_${list.table}_lower_name`);
        out.push(
          `| ${list.name} | ${depth * 100} % | ${fmt(steward.p50)} ms | ${fmt(steward.p95)} ms | ${fmt(old.p50)} ms | ${fmt(old.p95)} ms |`,
        );
        process.stderr.write(`${out.at(-1)}\n`);
      }
    }
  } finally {
    await database.close();
    await pool.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
