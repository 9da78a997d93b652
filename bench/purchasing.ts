// Purchasing at 100,000 purchase orders on PostgreSQL: the PO list (first page, a status filter, a
// vendor filter, a search by vendor name and by number, page 2 by cursor) and finalise (PDF
// included) and receive per second through the HTTP API, each beside raw SQL (or the raw limit:
// the PDF render alone, the SQL of a receive alone) measured in the same run.
//
//   npm run bench:purchasing:generate   # once: the data set (bench/purchasing-generate.ts)
//   npm run bench:purchasing            # the measurements (= node --import tsx bench/purchasing.ts)
//
// This process runs Steward in-process with start(config) on 127.0.0.1 and port 0 (web role only:
// the vendor e-mails stay in the outbox); the HTTP load comes from child processes: bench/load.ts
// --load for the lists (a closed loop per connection over keep-alive sockets, every request timed)
// and this file with --queue for finalise and receive, where every request names another PO (each
// connection takes the next one from a queue). The raw-SQL rows run here with a pg pool while
// Steward is idle, each request in a transaction that enters the company as withTenant() does. The
// statement Steward sends for each list is captured, replayed as raw SQL ("Steward's statement")
// and run under EXPLAIN (ANALYZE, BUFFERS); plans go to BENCH_PLANS and their key lines to stderr.
// CPU per request (this process and the PostgreSQL backends, from /proc) is reported beside the
// latencies, since a shared machine distorts it far less. Finalise and receive use up drafts and
// sent POs of company 1 (5,600 and 11,900 of them after generating): regenerate after ~10 runs.
//
// Environment (all optional):
//   BENCH_DATABASE_URL   the generated database (default postgres://postgres@127.0.0.1:5432/steward_bench_purchasing)
//   BENCH_DURATION       seconds per scenario (default 5)
//   BENCH_WARMUP         seconds of discarded load before each scenario (default 1)
//   BENCH_CONNECTIONS    comma list of connection counts; each scenario runs at each (default 1,4)
//   BENCH_PLANS          file for the EXPLAIN output (default /tmp/steward-purchasing-plans.txt)
//   BENCH_ONLY           comma list of scenario ids (list, status, vendor, search-vendor, search-number, page2, finalize, receive)
//   BENCH_JSON           also write the raw results to this file
//   BENCH_RAW            0 skips the raw-SQL rows (to profile Steward alone)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
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
  requester,
  type Stats,
  type Target,
} from './load.js';

const SELF = fileURLToPath(import.meta.url);
const TENANT = 1;

// ---------------------------------------------------------------------------------------------
// The queue child: `node --import tsx bench/purchasing.ts --queue <spec file>`, prints Stats as JSON.

interface QueueSpec {
  base: string;
  connections: number;
  warmup: number;
  duration: number;
  /** Taken in order, one per request, by whichever connection is free. */
  requests: Target[];
}

async function queueChild(file: string): Promise<void> {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as QueueSpec;
  assertLoopback(spec.base);
  const base = new URL(spec.base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  let next = 0;
  const request = requester(base, agent, 30_000);
  const stats = await closedLoop(spec.connections, spec.warmup, spec.duration, () => {
    const t = spec.requests[next++];
    return t ? request(t) : Promise.resolve('the queue of purchase orders ran out (regenerate, or shorten BENCH_DURATION)');
  });
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ ...stats, used: next })}\n`);
}

function queueLoad(spec: QueueSpec): Promise<Stats & { used: number }> {
  assertLoopback(spec.base);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-queue-'));
  const file = path.join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(spec));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SELF, '--queue', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), (spec.warmup + spec.duration + 90) * 1000);
    child.on('error', (e) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as Stats & { used: number });
      } catch {
        reject(new Error(`queue child exited ${code}: ${err.trim() || out.trim()}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Raw SQL doing the list's work: the page with the parties' names and the line count, and only the
// columns the summary shows (not the stored PDF).

const RAW_LIST = (where: string) => `select o.id, o.number, o.status, o.currency, o.tax_rate, o.subtotal, o.tax, o.total, o.notes, o.cancel_reason,
       o.created_at, o.updated_at, o.finalized_at, o.snapshot,
       v.id, v.name, v.email, v.contact_name, v.address, v.payment_terms, b.id, b.name, b.address, s.id, s.name, s.address, s.tax_rate,
       (select count(*)::int from purchase_order_lines l where l.tenant_id = o.tenant_id and l.purchase_order_id = o.id) line_count
  from purchase_orders o
  join vendors v on v.tenant_id = o.tenant_id and v.id = o.vendor_id
  join buying_companies b on b.tenant_id = o.tenant_id and b.id = o.buying_company_id
  join ship_to s on s.tenant_id = o.tenant_id and s.id = o.ship_to_id
 where o.tenant_id = $1 and o.id < $2 ${where}
 order by o.id desc limit 51`;

interface Row {
  id: string;
  scenario: string;
  path: 'Steward HTTP' | 'raw SQL (pg)' | "raw SQL, Steward's statement" | 'raw SQL, old query (ilike)' | 'PDF render alone' | 'raw SQL of a receive';
  connections: number;
  stats: Stats;
  cpu: { node: number; pg: number | null };
}

function table(rows: Row[]): string {
  const out = [
    '| Scenario | Path | Conn. | req/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | n | CPU ms/req: Node | PostgreSQL |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const s = r.stats;
    out.push(
      `| ${r.scenario} | ${r.path} | ${r.connections} | ${s.rate.toFixed(s.rate < 100 ? 1 : 0)} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${s.count} | ${r.cpu.node.toFixed(2)} | ${r.cpu.pg === null ? '–' : r.cpu.pg.toFixed(2)} |`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const { BENCH_PASSWORD, DEFAULT_PURCHASING_URL } = await import('./purchasing-generate.js');
  const { reportRow, startSteward } = await import('./steward.js');
  const { renderPurchaseOrderPdf } = await import('../src/server/modules/purchasing/purchasing.pdf.js');
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_PURCHASING_URL;
  assertLoopback(url);
  const DURATION = intEnv('BENCH_DURATION', 5, 1, 120);
  const WARMUP = intEnv('BENCH_WARMUP', 1, 0, 30);
  const CONNECTION_LIST = (process.env.BENCH_CONNECTIONS || '1,4').split(',').map((x) => Number(x.trim()));
  if (CONNECTION_LIST.some((n) => !Number.isInteger(n) || n < 1 || n > 64)) throw new Error('BENCH_CONNECTIONS must be a comma list of integers from 1 to 64');
  const WITH_RAW = process.env.BENCH_RAW !== '0';
  const PLANS = process.env.BENCH_PLANS || path.join(os.tmpdir(), 'steward-purchasing-plans.txt');
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
  const want = (id: string) => !only || only.has(id);
  const started = Date.now();
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
  const load = () => os.loadavg().map((x) => x.toFixed(1)).join(', ');

  const pool = new pg.Pool({ connectionString: url, max: Math.max(...CONNECTION_LIST) + 2 });
  const { rows: info } = await pool.query(
    `select version() v, (select count(*) from purchase_orders)::int pos, (select count(*) from purchase_orders where tenant_id = 1)::int company1,
            (select count(*) from purchase_order_lines)::int lines, (select count(*) from companies)::int companies,
            (select count(*) from vendors where tenant_id = 1)::int vendors,
            pg_size_pretty(pg_database_size(current_database())) size, current_setting('shared_buffers') shared_buffers`,
  );
  const i0 = info[0];
  const dbInfo = `${String(i0.v).split(' on ')[0]}, shared_buffers ${i0.shared_buffers}; ${i0.companies} companies, ${i0.pos} purchase orders (company 1: ${i0.company1}, ${i0.vendors} vendors), ${i0.lines} lines, ${i0.size}`;
  process.stderr.write(`${machine}\n${dbInfo}\nload average at start: ${load()}\n`);

  let steward: Awaited<ReturnType<typeof startSteward>> | null = null;
  const rows: Row[] = [];
  const plans: string[] = [];
  const push = (row: Row) => {
    rows.push(row);
    reportRow(row, 14);
  };
  try {
    steward = await startSteward(url, { STEWARD_ROLES: 'web' });
    const base = steward.base;
    const { cookie, csrf } = await login(base, `manager@company-${TENANT}.test`, BENCH_PASSWORD);

    const raw = async (id: string, scenario: string, one: (client: pg.PoolClient) => Promise<void>, p: Row['path'] = 'raw SQL (pg)', conns = CONNECTION_LIST) => {
      if (!WITH_RAW) return;
      for (const n of conns) {
        const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
        try {
          const before = await cpuSnapshot(pool);
          const stats = await closedLoop(n, WARMUP, DURATION, async (conn) => {
            await one(clients[conn]);
            return null;
          });
          push({ id, scenario, path: p, connections: n, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), stats.total) });
        } finally {
          for (const c of clients) c.release();
        }
      }
    };

    // (1) The PO list, 50 rows, as a manager of the large company.
    const { rows: picks } = await pool.query(
      `select (select vendor_id from purchase_orders where tenant_id = 1 group by vendor_id order by count(*) desc, vendor_id limit 1) vendor_id,
              (select count(*) from purchase_orders where tenant_id = 1 and status = 'sent')::int sent,
              (select number from purchase_orders where tenant_id = 1 and status = 'received' order by id limit 1 offset 500) number`,
    );
    const { vendor_id: vendorId, sent, number } = picks[0] as { vendor_id: string; sent: number; number: string };
    const { rows: vcount } = await pool.query(
      `select (select count(*) from purchase_orders where tenant_id = 1 and vendor_id = $1)::int vendor_pos,
              (select count(*) from purchase_orders o join vendors v on v.tenant_id = o.tenant_id and v.id = o.vendor_id where o.tenant_id = 1 and v.name ilike '%acme%')::int acme`,
      [vendorId],
    );
    const like = (q: string) => `%${q}%`;
    // A search as Steward runs it since migration 0015: the ids from purchase_order_match, then the page.
    const OLD_SEARCH = 'and (o.number ilike $3 or v.name ilike $3)';
    const search = (q: string) => ({ where: 'and o.id = any((select array(select purchase_order_match($3, null, null, $2, 51)))::bigint[])', values: [q], old: like(q) });
    const scenarios: Array<{ id: string; scenario: string; query: string; where: string; values: unknown[]; old?: string }> = [
      { id: 'list', scenario: 'first page, no filter', query: '', where: '', values: [] },
      { id: 'status', scenario: `status = sent (${sent} POs)`, query: '&status=sent', where: 'and o.status = $3', values: ['sent'] },
      { id: 'vendor', scenario: `one vendor (${vcount[0].vendor_pos} POs)`, query: `&vendorId=${vendorId}`, where: 'and o.vendor_id = $3', values: [vendorId] },
      {
        id: 'search-vendor',
        scenario: `search "acme" (vendor name, ${vcount[0].acme} POs)`,
        query: '&q=acme',
        ...search('acme'),
      },
      {
        id: 'search-number',
        scenario: `search "${number}" (one PO)`,
        query: `&q=${encodeURIComponent(number)}`,
        ...search(number),
      },
    ];
    const run = async (id: string, scenario: string, p: string, where: string, values: unknown[], beforeId: number, old?: string) => {
      let body: { items: Array<{ id: string }>; nextCursor: string | null } = { items: [], nextCursor: null };
      const seen = await capture(async () => {
        const res = await fetch(`${base}${p}`, { headers: { cookie }, signal: AbortSignal.timeout(15_000) });
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${await res.text()}`);
        body = (await res.json()) as typeof body;
      });
      const stmt = seen.find((x) => /from "purchase_orders"/.test(x.text));
      if (!stmt) throw new Error(`no list statement captured for ${p}`);
      process.stderr.write(`  ${id}: ${p} → ${body.items.length} items in ${seen.length} statements\n`);
      const plan = await explain(pool, TENANT, stmt.text, stmt.values);
      plans.push(`### ${id}: GET ${p} (company ${TENANT}, ${seen.length} statements)\n\n${stmt.text}\n-- values: ${JSON.stringify(stmt.values)}\n\n${plan}\n`);
      process.stderr.write(`${keyLines(plan)}\n`);
      const rawText = RAW_LIST(where);
      const rawValues = [TENANT, beforeId, ...values];
      const rawPlan = await explain(pool, TENANT, rawText, rawValues);
      plans.push(`### ${id}, raw SQL\n\n${rawText}\n-- values: ${JSON.stringify(rawValues)}\n\n${rawPlan}\n`);
      for (const c of CONNECTION_LIST) {
        const before = await cpuSnapshot(pool);
        const stats = await httpLoad({ base, connections: c, warmup: WARMUP, duration: DURATION, targets: [{ path: p, method: 'GET', headers: { cookie } }] });
        push({ id, scenario, path: 'Steward HTTP', connections: c, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), stats.total) });
      }
      await raw(id, scenario, (client) => inTenant(client, TENANT, async () => void (await client.query(rawText, rawValues))));
      await raw(id, scenario, (client) => inTenant(client, TENANT, async () => void (await client.query(stmt.text, stmt.values))), "raw SQL, Steward's statement", [1]);
      if (old) {
        // The search before migration 0015: ilike on the number or the vendor's name, under RLS.
        const oldText = RAW_LIST(OLD_SEARCH);
        const oldPlan = await explain(pool, TENANT, oldText, [TENANT, beforeId, old]);
        plans.push(`### ${id}, the old query (ilike), raw SQL\n\n${oldText}\n\n${oldPlan}\n`);
        await raw(id, scenario, (client) => inTenant(client, TENANT, async () => void (await client.query(oldText, [TENANT, beforeId, old]))), 'raw SQL, old query (ilike)', [1]);
      }
      return body;
    };
    for (const s of scenarios) {
      if (!want(s.id)) continue;
      await run(s.id, s.scenario, `/api/v1/purchase-orders?limit=50${s.query}`, s.where, s.values, Number.MAX_SAFE_INTEGER, s.old);
    }
    if (want('page2')) {
      const first = (await (await fetch(`${base}/api/v1/purchase-orders?limit=50`, { headers: { cookie } })).json()) as {
        items: Array<{ id: string }>;
        nextCursor: string;
      };
      await run('page2', 'page 2 by cursor, no filter', `/api/v1/purchase-orders?limit=50&cursor=${encodeURIComponent(first.nextCursor)}`, '', [], Number(first.items.at(-1)?.id));
    }

    // (2) Finalise: drafts of company 1, each finalised once (number, frozen totals, PDF, outbox mail).
    const writeHeaders = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    if (want('finalize')) {
      for (const c of CONNECTION_LIST) {
        const { rows: drafts } = await pool.query(
          `select o.id from purchase_orders o where o.tenant_id = 1 and o.status = 'draft'
              and exists (select 1 from purchase_order_lines l where l.tenant_id = o.tenant_id and l.purchase_order_id = o.id) order by o.id desc limit 3000`,
        );
        const before = await cpuSnapshot(pool);
        const stats = await queueLoad({
          base,
          connections: c,
          warmup: WARMUP,
          duration: DURATION,
          requests: drafts.map((d) => ({ path: `/api/v1/purchase-orders/${d.id}/finalize`, method: 'POST', headers: { cookie, 'x-csrf-token': csrf } })),
        });
        push({ id: 'finalize', scenario: 'finalise a draft (PDF, outbox mail)', path: 'Steward HTTP', connections: c, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), stats.used) });
      }
      if (WITH_RAW) {
        // The raw limit: the PDF of a typical order (its lines, 4 here) rendered alone, in this process.
        const { rows: sample } = await pool.query(
          `select l.description, l.quantity, l.unit_price, l.cost_code from purchase_order_lines l
            where l.tenant_id = 1 and l.purchase_order_id = (select o.id from purchase_orders o where o.tenant_id = 1 and o.status = 'draft'
                    and (select count(*) from purchase_order_lines x where x.tenant_id = o.tenant_id and x.purchase_order_id = o.id) = 4 limit 1)`,
        );
        const lines = sample.map((l) => ({
          description: l.description as string,
          quantity: Number(l.quantity),
          unitPrice: Number(l.unit_price),
          lineCents: BigInt(Math.round(Number(l.quantity) * Number(l.unit_price) * 100)),
          costCode: l.cost_code as string | null,
        }));
        const subtotal = lines.reduce((a, l) => a + l.lineCents, 0n);
        const doc = {
          number: 'PO-2026-9999',
          date: '2026-12-01',
          currency: 'USD',
          buyingCompany: { name: 'Company 1 Ltd', address: '1 Main Street\nSpringfield', logo: null },
          vendor: { name: 'Acme Supply 10', address: '10 Vendor Road\nSpringfield', contactName: 'Contact 10', email: 'orders10@vendor1.test' },
          shipTo: { name: 'Main store (ship-to)', address: 'Dock 2\nSpringfield' },
          lines,
          taxRate: 8.25,
          subtotalCents: subtotal,
          taxCents: (subtotal * 825n) / 10000n,
          totalCents: subtotal + (subtotal * 825n) / 10000n,
          paymentTerms: 'Net 30',
          notes: null,
          draft: false,
        };
        const before = await cpuSnapshot(pool);
        const stats = await closedLoop(1, WARMUP, DURATION, async () => {
          await renderPurchaseOrderPdf(doc);
          return null;
        });
        push({ id: 'finalize', scenario: 'finalise a draft (PDF, outbox mail)', path: 'PDF render alone', connections: 1, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), stats.total) });
      }
    }

    // (3) Receive: sent POs of company 1, every line in full into the ship-to's store (a ledger
    // movement per part line). Steward takes one half of the sent POs, the raw SQL the other.
    if (want('receive')) {
      const { rows: open } = await pool.query(
        `select o.id, s.location_id, json_agg(json_build_object('id', l.id, 'quantity', l.quantity, 'partId', l.part_id, 'unitPrice', l.unit_price) order by l.position) lines
           from purchase_orders o join ship_to s on s.tenant_id = o.tenant_id and s.id = o.ship_to_id
           join purchase_order_lines l on l.tenant_id = o.tenant_id and l.purchase_order_id = o.id
          where o.tenant_id = 1 and o.status = 'sent' group by o.id, s.location_id order by o.id desc limit 6000`,
      );
      type Open = { id: string; location_id: string; lines: Array<{ id: number; quantity: string; partId: number | null; unitPrice: string }> };
      const mine = (open as Open[]).filter((_, i) => i % 2 === 0);
      const theirs = (open as Open[]).filter((_, i) => i % 2 === 1);
      const linesPer = mine.reduce((a, o) => a + o.lines.length, 0) / Math.max(1, mine.length);
      const scenario = `receive a whole PO (${linesPer.toFixed(1)} lines on average)`;
      for (const c of CONNECTION_LIST) {
        const before = await cpuSnapshot(pool);
        const take = mine.splice(0, 1500);
        const stats = await queueLoad({
          base,
          connections: c,
          warmup: WARMUP,
          duration: DURATION,
          requests: take.map((o) => ({
            path: `/api/v1/purchase-orders/${o.id}/receive`,
            method: 'POST',
            headers: writeHeaders,
            body: JSON.stringify({ lines: o.lines.map((l) => ({ lineId: String(l.id), quantity: Number(l.quantity) })) }),
          })),
        });
        push({ id: 'receive', scenario, path: 'Steward HTTP', connections: c, stats, cpu: cpuPerRequest(before, await cpuSnapshot(pool), stats.used) });
      }
      if (WITH_RAW) {
        // What a receive writes, as lean SQL: lock the PO and its lines; per line the stock level, the
        // ledger movement, the receipt and the received quantity in one statement; status and history.
        const { rows: mgr } = await pool.query(`select id, name from users where tenant_id = 1 and email = 'manager@company-1.test'`);
        let k = 0;
        await raw(
          'receive',
          scenario,
          async (client) => {
            const o = theirs[k++];
            if (!o) throw new Error('the raw queue of sent purchase orders ran out');
            await inTenant(client, TENANT, async () => {
              await client.query('select id, status, number from purchase_orders where tenant_id = $1 and id = $2 for update', [TENANT, o.id]);
              await client.query('select id from purchase_order_lines where tenant_id = $1 and purchase_order_id = $2 order by position, id for update', [TENANT, o.id]);
              for (const l of o.lines) {
                await client.query(
                  `with lvl as (
                     insert into stock_levels (tenant_id, part_id, location_id, quantity) select $1, $3, $4, $5 where $3::bigint is not null
                     on conflict (tenant_id, part_id, location_id) do update set quantity = stock_levels.quantity + excluded.quantity returning 1),
                   mv as (
                     insert into stock_movements (tenant_id, part_id, type, quantity, location_id, unit_cost, note, actor_id, actor_name)
                     select $1, $3, 'receive', $5, $4, $6, 'Received on purchase order', $7, $8 where $3::bigint is not null returning id),
                   rc as (
                     insert into purchase_order_receipts (tenant_id, purchase_order_id, line_id, quantity, location_id, stock_movement_id, actor_id, actor_name)
                     values ($1, $9, $2, $5, $4, (select id from mv), $7, $8) returning id)
                   update purchase_order_lines pl set received_quantity = pl.received_quantity + $5 where pl.tenant_id = $1 and pl.id = $2`,
                  [TENANT, l.id, l.partId, o.location_id, l.quantity, l.unitPrice, mgr[0].id, mgr[0].name, o.id],
                );
              }
              await client.query(`update purchase_orders set status = 'received', updated_at = now() where tenant_id = $1 and id = $2`, [TENANT, o.id]);
              await client.query(
                `insert into purchase_order_events (tenant_id, purchase_order_id, event, details, actor_id, actor_name) values ($1, $2, 'received', '{"status":"received"}', $3, $4)`,
                [TENANT, o.id, mgr[0].id, mgr[0].name],
              );
            });
          },
          'raw SQL of a receive',
        );
      }
    }
  } finally {
    await steward?.stop();
    await pool.end();
    writeFileSync(PLANS, plans.join('\n'));
  }
  console.log(
    `Machine: ${machine}\nDatabase: ${dbInfo}\nSettings: ${CONNECTION_LIST.join(' and ')} connections × ${DURATION} s after ${WARMUP} s warm-up each; load average at the end ${load()}\n\n${table(rows)}\n`,
  );
  for (const x of rows.filter((r) => r.path === 'Steward HTTP' && !['finalize', 'receive'].includes(r.id))) {
    console.log(`- ${x.scenario}, ${x.connections} conn.: p99 ${fmt(x.stats.p99)} ms (bar < 50 ms) — ${x.stats.p99 < 50 ? 'met' : 'NOT met'}`);
  }
  process.stderr.write(`plans in ${PLANS}; finished in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify({ machine, dbInfo, rows }, null, 2));
}

if (process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const work = process.argv[2] === '--queue' ? queueChild(process.argv[3] ?? '') : main();
  work.then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
