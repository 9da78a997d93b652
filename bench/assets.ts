// The asset list filtered by a location subtree at 1,000,000 assets on PostgreSQL, and CSV import
// rows per second through the HTTP API, each beside raw SQL doing the same work through `pg`.
//
//   npm run bench:assets:generate   # once: the data set (bench/assets-generate.ts)
//   npm run bench:assets            # the measurements (= node --import tsx bench/assets.ts)
//
// This process runs Steward in-process with start(config) on 127.0.0.1 and port 0; the HTTP load
// comes from a child process (bench/load.ts --load): a closed loop per connection over keep-alive
// sockets that times every request. The raw-SQL rows run here with a pg pool while Steward is idle,
// each request in a transaction that enters the company as withTenant() does. The statement Steward
// sends for each list is captured and run again under EXPLAIN (ANALYZE, BUFFERS); plans go to
// BENCH_PLANS and their key lines to stderr. CPU per request (this process and the PostgreSQL
// backends, from /proc) is reported beside the latencies, since a shared machine distorts it far less.
//
// Environment (all optional):
//   BENCH_DATABASE_URL   the generated database (default postgres://postgres@127.0.0.1:5432/steward_bench_assets)
//   BENCH_DURATION       seconds per list scenario (default 10)
//   BENCH_WARMUP         seconds of discarded load before each scenario (default 2)
//   BENCH_CONNECTIONS    comma list of connection counts; each list scenario runs at each (default 1,4)
//   BENCH_IMPORT_ROWS    rows of the CSV import runs (default 20000; 0 skips them); they add assets to company 3
//   BENCH_PLANS          file for the EXPLAIN output (default /tmp/steward-asset-plans.txt)
//   BENCH_ONLY           comma list of scenario ids (site:1, building:2, room:1, page2:1, import, …)
//   BENCH_JSON           also write the raw results to this file
//   BENCH_RAW            0 skips the raw-SQL list rows (to profile Steward alone)
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { BENCH_PASSWORD, DEFAULT_ASSETS_URL } from './assets-generate.js';
import {
  assertLoopback,
  capture,
  closedLoop,
  cpuPerRequest,
  cpuSnapshot,
  explain,
  fmt,
  httpLoad,
  inTenant,
  intEnv,
  keyLines,
  login,
  type Stats,
  type Target,
} from './load.js';
import { reportRow, startSteward } from './steward.js';

const LIST_SELECT = `select a.*, category.id, category.name, manufacturer.id, manufacturer.name, condition.id, condition.name,
       l.id, l.name, u.id, u.name, d.id, d.name, parent.id, parent.tag, parent.name
  from assets a
  left join picklist_items category on category.tenant_id = a.tenant_id and category.id = a.category_id
  left join picklist_items manufacturer on manufacturer.tenant_id = a.tenant_id and manufacturer.id = a.manufacturer_id
  left join picklist_items condition on condition.tenant_id = a.tenant_id and condition.id = a.condition_id
  left join locations l on l.tenant_id = a.tenant_id and l.id = a.location_id
  left join users u on u.tenant_id = a.tenant_id and u.id = a.assigned_to_id
  left join departments d on d.tenant_id = a.tenant_id and d.id = a.department_id
  left join assets parent on parent.tenant_id = a.tenant_id and parent.id = a.parent_id`;

/**
 * What Steward's list does (assets.list queryAssets), statement for statement: the location's path;
 * the 500 newest assets, keeping those below it; if they do not fill the page, the subtree's index
 * range instead; then the page's rows with their names.
 */
const RAW_WALK = `with w as (
    select id, (location_path ~>=~ $2 and location_path ~<~ $3) hit from assets where tenant_id = $1 and id < $4 order by id desc limit 500)
  select coalesce((array_agg(id order by id desc) filter (where hit))[1:51], '{}') ids, count(*)::int walked from w`;
const RAW_RANGE = 'select id from assets where tenant_id = $1 and location_path ~>=~ $2 and location_path ~<~ $3 and id < $4 order by id desc limit 51';
const RAW_ROWS = `${LIST_SELECT}\n where a.tenant_id = $1 and a.id = any($2::bigint[])\n order by a.id desc`;

async function rawList(client: pg.PoolClient, tenantId: number, locationId: number, beforeId: number): Promise<void> {
  await inTenant(client, tenantId, async () => {
    const [l] = (await client.query('select path from locations where tenant_id = $1 and id = $2', [tenantId, locationId])).rows;
    const range = [tenantId, l.path, `${l.path.slice(0, -1)}0`, beforeId];
    const [w] = (await client.query(RAW_WALK, range)).rows as Array<{ ids: string[]; walked: number }>;
    const ids = w.ids.length >= 51 || w.walked < 500 ? w.ids : (await client.query(RAW_RANGE, range)).rows.map((r) => r.id as string);
    await client.query(RAW_ROWS, [tenantId, `{${ids.join(',')}}`]);
  });
}

/** The statement Steward sent before: one select with the joins, filtered with like (not leakproof: under row-level security no index serves it). */
export const RAW_LIST_LIKE = `${LIST_SELECT}
 where a.tenant_id = $1 and a.location_path like $2 || '%' and a.id < $3
 order by a.id desc limit 51`;

interface Row {
  id: string;
  scenario: string;
  company: string;
  path: 'Steward HTTP' | 'raw SQL (pg)' | 'raw SQL, old query (like)';
  connections: number;
  stats: Stats;
  cpu: { node: number; pg: number | null };
  /** Import rows per second (import rows only). */
  rowsPerSecond?: number;
}


function table(rows: Row[]): string {
  const out = [
    '| Scenario | Company | Path | Conn. | req/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | n | CPU ms/req: Node | PostgreSQL |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows.filter((x) => x.rowsPerSecond === undefined)) {
    const s = r.stats;
    out.push(
      `| ${r.scenario} | ${r.company} | ${r.path} | ${r.connections} | ${s.rate.toFixed(0)} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${s.count} | ${r.cpu.node.toFixed(2)} | ${r.cpu.pg === null ? '–' : r.cpu.pg.toFixed(2)} |`,
    );
  }
  const imports = rows.filter((x) => x.rowsPerSecond !== undefined);
  if (imports.length) {
    out.push('', '| Import | Path | rows | seconds | rows/s | CPU ms/1000 rows: Node | PostgreSQL |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
    for (const r of imports) {
      const n = r.stats.count;
      out.push(
        `| ${r.scenario} | ${r.path} | ${n} | ${r.stats.seconds.toFixed(1)} | ${r.rowsPerSecond?.toFixed(0)} | ${(r.cpu.node * 1000).toFixed(0)} | ${r.cpu.pg === null ? '–' : (r.cpu.pg * 1000).toFixed(0)} |`,
      );
    }
  }
  return out.join('\n');
}

/** A CSV like other tools export, with tags unique to this run. */
function importCsv(rows: number, run: string, roomNames: string[]): string {
  const lines = ['Asset Tag,Name,Serial,Model,Manufacturer,Category,Status,Location,Purchase Date,Purchase Cost,Warranty Months'];
  for (let i = 1; i <= rows; i++) {
    lines.push(
      `IMP-${run}-${i},Imported laptop ${i},SN-${run}-${i},Latitude 5440,Dell,Laptop,${i % 5 ? 'Deployed' : 'Ready to Deploy'},${roomNames[i % roomNames.length]},2024-0${1 + (i % 9)}-15,${(i % 2000) + 0.5},36`,
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_ASSETS_URL;
  assertLoopback(url);
  const DURATION = intEnv('BENCH_DURATION', 10, 1, 120);
  const WARMUP = intEnv('BENCH_WARMUP', 2, 0, 30);
  const IMPORT_ROWS = intEnv('BENCH_IMPORT_ROWS', 20_000, 0, 1_000_000);
  const CONNECTION_LIST = (process.env.BENCH_CONNECTIONS || '1,4').split(',').map((x) => Number(x.trim()));
  if (CONNECTION_LIST.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new Error('BENCH_CONNECTIONS must be a comma list of integers from 1 to 64');
  const WITH_RAW = process.env.BENCH_RAW !== '0';
  const PLANS = process.env.BENCH_PLANS || path.join(os.tmpdir(), 'steward-asset-plans.txt');
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
  const want = (id: string) => !only || only.has(id) || only.has(id.split(':')[0]);
  const started = Date.now();
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;

  const pool = new pg.Pool({ connectionString: url, max: Math.max(...CONNECTION_LIST) + 2 });
  const { rows: info } = await pool.query(
    `select version() v, (select count(*) from assets)::int assets, (select count(*) from companies)::int companies,
            (select count(*) from locations)::int locations, pg_size_pretty(pg_database_size(current_database())) size,
            current_setting('shared_buffers') shared_buffers`,
  );
  const dbInfo = `${String(info[0].v).split(' on ')[0]}, shared_buffers ${info[0].shared_buffers}; ${info[0].companies} companies, ${info[0].assets} assets, ${info[0].locations} locations, ${info[0].size}`;
  process.stderr.write(`${machine}\n${dbInfo}\n`);

  // The subtrees: the first site of a company, its first building, and that building's first room.
  const subtree = async (tenantId: number, depth: number) => {
    const { rows } = await pool.query(
      `select l.id, l.path, (select count(*) from assets a where a.tenant_id = l.tenant_id and a.location_path like l.path || '%')::int n
         from locations l where l.tenant_id = $1 and array_length(string_to_array(trim(both '/' from l.path), '/'), 1) = $2 order by l.path limit 1`,
      [tenantId, depth],
    );
    return rows[0] as { id: number; path: string; n: number };
  };
  const companyAssets = new Map<number, number>(
    (await pool.query('select tenant_id, count(*)::int n from assets where tenant_id <= 2 group by tenant_id')).rows.map((r) => [Number(r.tenant_id), r.n]),
  );
  const label = (id: number) => `${id === 1 ? 'large' : 'typical'} (${companyAssets.get(id) ?? '?'} assets)`;

  let steward: Awaited<ReturnType<typeof startSteward>> | null = null;
  const rows: Row[] = [];
  const plans: string[] = [];
  const push = (row: Row) => {
    rows.push(row);
    reportRow(row, 12);
  };
  try {
    steward = await startSteward(url, { UPLOAD_LIMIT_MB: '200' });
    const base = steward.base;
    const sessions = new Map<number, { cookie: string; csrf: string }>();
    for (const co of [1, 2, 3]) sessions.set(co, await login(base, `manager@company-${co}.test`, BENCH_PASSWORD));

    const http1 = async (id: string, scenario: string, company: number, target: Target) => {
      for (const c of CONNECTION_LIST) {
        const before = await cpuSnapshot(pool);
        const stats = await httpLoad({ base, connections: c, warmup: WARMUP, duration: DURATION, targets: [target] });
        push({ id, scenario, company: label(company), path: 'Steward HTTP', connections: c, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), stats.total) });
      }
    };
    const raw = async (id: string, scenario: string, company: number, one: (client: pg.PoolClient) => Promise<void>, path: Row['path'] = 'raw SQL (pg)') => {
      if (!WITH_RAW) return;
      for (const n of CONNECTION_LIST) {
        const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
        try {
          const before = await cpuSnapshot(pool);
          const stats = await closedLoop(n, WARMUP, DURATION, async (conn) => {
            await one(clients[conn]);
            return null;
          });
          push({ id, scenario, company: label(company), path, connections: n, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), stats.total) });
        } finally {
          for (const c of clients) c.release();
        }
      }
    };
    /** The statements Steward runs for a GET: captured, counted, the list's one explained. */
    const planOf = async (id: string, tenantId: number, cookie: string, p: string) => {
      let body: { items: Array<{ id: string }>; nextCursor: string | null } = { items: [], nextCursor: null };
      const seen = await capture(async () => {
        const res = await fetch(`${base}${p}`, { headers: { cookie }, signal: AbortSignal.timeout(15_000) });
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${await res.text()}`);
        body = (await res.json()) as typeof body;
      });
      process.stderr.write(`  ${id}: ${p} → ${body.items.length} items in ${seen.length} statements\n`);
      const reads = seen.filter((s) => /from "assets"/.test(s.text));
      if (!reads.length) throw new Error(`no list statement captured for ${p}`);
      for (const [i, stmt] of reads.entries()) {
        const plan = await explain(pool, tenantId, stmt.text, stmt.values);
        plans.push(`### ${id} (${i + 1}/${reads.length}): GET ${p} (company ${tenantId}, ${seen.length} statements)\n\n${stmt.text}\n-- values: ${JSON.stringify(stmt.values)}\n\n${plan}\n`);
        process.stderr.write(`${keyLines(plan)}\n`);
      }
      return body;
    };

    // (1) The list filtered by a location subtree, 50 rows, as a manager.
    const scenarios: Array<[string, number, number, string]> = [
      ['site', 1, 1, 'a site'],
      ['building', 1, 2, 'a building'],
      ['room', 1, 4, 'a room'],
      ['site', 2, 1, 'a site'],
      ['building', 2, 2, 'a building'],
    ];
    for (const [kind, co, depth, what] of scenarios) {
      const id = `${kind}:${co}`;
      if (!want(id)) continue;
      const loc = await subtree(co, depth);
      const scenario = `list below ${what} (${loc.n} assets), 50 rows`;
      const p = `/api/v1/assets?locationId=${loc.id}&limit=50`;
      const { cookie } = sessions.get(co)!;
      await planOf(id, co, cookie, p);
      await http1(id, scenario, co, { path: p, method: 'GET', headers: { cookie } });
      await raw(id, scenario, co, (client) => rawList(client, co, loc.id, Number.MAX_SAFE_INTEGER));
      await raw(
        id,
        scenario,
        co,
        async (client) => {
          await inTenant(client, co, async () => {
            const [l] = (await client.query('select path from locations where tenant_id = $1 and id = $2', [co, loc.id])).rows;
            await client.query(RAW_LIST_LIKE, [co, l.path, Number.MAX_SAFE_INTEGER]);
          });
        },
        'raw SQL, old query (like)',
      );
      if (co === 1) {
        const plan = await explain(pool, co, RAW_LIST_LIKE, [co, loc.path, Number.MAX_SAFE_INTEGER]);
        plans.push(`### ${id}, the old query (like, one statement), raw SQL\n\n${plan}\n`);
        process.stderr.write(`  ${id}, the old query:\n${keyLines(plan)}\n`);
      }
    }
    const page2 = want('page2:1') ? await subtree(1, 2) : null;
    if (page2 && page2.n > 50) {
      // The second page below the large company's first building: keyset cursor from the first page.
      const loc = page2;
      const { cookie } = sessions.get(1)!;
      const first = (await (await fetch(`${base}/api/v1/assets?locationId=${loc.id}&limit=50`, { headers: { cookie } })).json()) as { items: Array<{ id: string }>; nextCursor: string };
      const p = `/api/v1/assets?locationId=${loc.id}&limit=50&cursor=${encodeURIComponent(first.nextCursor)}`;
      const lastId = Number(first.items.at(-1)?.id);
      await planOf('page2:1', 1, cookie, p);
      await http1('page2:1', `second page below a building (${loc.n} assets)`, 1, { path: p, method: 'GET', headers: { cookie } });
      await raw('page2:1', `second page below a building (${loc.n} assets)`, 1, (client) => rawList(client, 1, loc.id, lastId));
    }

    // (2) CSV import through the HTTP API into company 3, then the same rows as raw batched inserts.
    if (IMPORT_ROWS > 0 && want('import')) {
      const run = randomBytes(3).toString('hex');
      const { rows: rooms } = await pool.query(
        `select string_agg(l.name, ' / ' order by a.n) place
           from locations r, unnest(string_to_array(trim(both '/' from r.path), '/')::bigint[]) with ordinality a(id, n)
           join locations l on l.tenant_id = 3 and l.id = a.id
          where r.tenant_id = 3 and r.parent_id is not null and not exists (select 1 from locations c where c.tenant_id = 3 and c.parent_id = r.id)
          group by r.id order by r.id`,
      );
      const csv = importCsv(IMPORT_ROWS, run, rooms.map((r) => r.place as string));
      const boundary = `----bench${run}`;
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="assets.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        Buffer.from(csv),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const s3 = sessions.get(3)!;
      const before = await cpuSnapshot(pool);
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/assets/import?createPicklistValues=true`, {
        method: 'POST',
        headers: { cookie: s3.cookie, 'x-csrf-token': s3.csrf, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        signal: AbortSignal.timeout(900_000),
      });
      const seconds = (performance.now() - t0) / 1000;
      const answer = (await res.json()) as { created: number; errorCount: number };
      if (res.status !== 200 || answer.created !== IMPORT_ROWS) throw new Error(`import answered ${res.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      const stats: Stats = { count: IMPORT_ROWS, seconds, rate: 1 / seconds, p50: seconds * 1000, p95: Number.NaN, p99: Number.NaN, max: Number.NaN, failures: 0, firstFailure: null, total: IMPORT_ROWS };
      push({ id: 'import', scenario: `CSV import, ${IMPORT_ROWS} rows (creates)`, company: 'company 3', path: 'Steward HTTP', connections: 1, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), IMPORT_ROWS), rowsPerSecond: IMPORT_ROWS / seconds });

      // Raw SQL floor: the same rows (other tags) in batches of 500, assets and history, one tenant transaction per batch.
      const client = await pool.connect();
      try {
        const { rows: refs } = await client.query(
          `select (select id from picklist_items where tenant_id = 3 and list = 'categories' and name = 'Laptop') cat,
                  (select id from picklist_items where tenant_id = 3 and list = 'manufacturers' and name = 'Dell') man,
                  (select id from users where tenant_id = 3 and email = 'manager@company-3.test') actor,
                  (select array_agg(id order by id) from locations r where tenant_id = 3 and parent_id is not null
                     and not exists (select 1 from locations c where c.tenant_id = 3 and c.parent_id = r.id)) rooms,
                  (select array_agg(path order by id) from locations r where tenant_id = 3 and parent_id is not null
                     and not exists (select 1 from locations c where c.tenant_id = 3 and c.parent_id = r.id)) paths`,
        );
        const ref = refs[0];
        const before2 = await cpuSnapshot(pool);
        const t1 = performance.now();
        for (let from = 1; from <= IMPORT_ROWS; from += 500) {
          const to = Math.min(IMPORT_ROWS, from + 499);
          await inTenant(client, 3, () =>
            client.query(
              `with made as (
                 insert into assets (tenant_id, tag, name, category_id, manufacturer_id, model, serial, status, location_id, location_path,
                                     purchase_date, purchase_cost, warranty_end, public_token)
                 select 3, 'RAW-' || $1 || '-' || i, 'Imported laptop ' || i, $4, $5, 'Latitude 5440', 'SN-' || $1 || '-' || i,
                        case when i % 5 = 0 then 'in_stock' else 'in_use' end,
                        ($7::bigint[])[1 + i % array_length($7::bigint[], 1)], ($8::text[])[1 + i % array_length($8::text[], 1)],
                        make_date(2024, 1 + i % 9, 15), (i % 2000) + 0.5, make_date(2027, 1 + i % 9, 15), md5(random()::text || i)
                   from generate_series($2::int, $3::int) i
                 returning id)
               insert into asset_history (tenant_id, asset_id, actor_id, actor_name, event, changes)
               select 3, id, $6, 'Bench', 'created', '[{"field":"import","before":null,"after":"line"}]'::jsonb from made`,
              [run, from, to, ref.cat, ref.man, ref.actor, ref.rooms, ref.paths],
            ),
          );
        }
        const seconds2 = (performance.now() - t1) / 1000;
        const stats2: Stats = { ...stats, seconds: seconds2, rate: 1 / seconds2, p50: seconds2 * 1000 };
        push({ id: 'import', scenario: `CSV import, ${IMPORT_ROWS} rows (creates)`, company: 'company 3', path: 'raw SQL (pg)', connections: 1, stats: stats2, cpu: cpuPerRequest(before2, await cpuSnapshot(pool), IMPORT_ROWS), rowsPerSecond: IMPORT_ROWS / seconds2 });
      } finally {
        client.release();
      }
    }
  } finally {
    await steward?.stop();
    await pool.end();
    writeFileSync(PLANS, plans.join('\n'));
  }
  console.log(`Machine: ${machine}\nDatabase: ${dbInfo}\nSettings: ${CONNECTION_LIST.join(' and ')} connections × ${DURATION} s after ${WARMUP} s warm-up each\n\n${table(rows)}\n`);
  for (const x of rows.filter((r) => r.path === 'Steward HTTP' && r.rowsPerSecond === undefined)) {
    console.log(`- ${x.scenario}, ${x.company}, ${x.connections} conn.: p99 ${fmt(x.stats.p99)} ms (bar < 50 ms) — ${x.stats.p99 < 50 ? 'met' : 'NOT met'}`);
  }
  process.stderr.write(`plans in ${PLANS}; finished in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ machine, dbInfo, rows }, null, 2));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
