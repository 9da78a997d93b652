// Costs and reports on PostgreSQL at scale: the cost report by department and by month over a year
// of a company with 200,000 tickets, 400,000 time entries, 50,000 PO lines and 20,000 parts used,
// through Steward's report code (in-process, in a tenant transaction as a request runs it) beside the
// same statement sent raw with pg; the service-desk and reliability reports; EXPLAIN of each; and
// the export of every cost line of two years (~480,000 rows) as CSV and XLSX: rows/s and peak RSS.
//
//   node --import tsx bench/reports.ts --generate   # once: the data set (set-based SQL, ~1–2 min)
//   npm run bench:reports                           # the measurements
//
// Environment (all optional):
//   BENCH_DATABASE_URL   database (default postgres://postgres@127.0.0.1:5432/steward_bench_reports)
//   BENCH_TICKETS        tickets of company 1 (default 200000); time entries are twice that
//   BENCH_PO_LINES       PO lines (default 50000)
//   BENCH_RUNS           timed runs per report (default 20)
//   BENCH_PLANS          file for the EXPLAIN output (default /tmp/steward-reports-plans.txt)
//   BENCH_ONLY           export: only the export measurements; costs: only the reports
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { costLineBatches, costReportIn, reliabilityReportIn, type ReportScope, ticketReportIn } from '../src/server/modules/reports/reports.service.js';
import { costLinesFile } from '../src/server/modules/reports/reports.exports.js';
import { type CostScope, costSums } from '../src/server/modules/reports/costs.queries.js';
import { dayRange } from '../src/shared/time/index.js';
import { openDatabase } from '../src/server/platform/db.js';
import type { Ctx } from '../src/server/platform/context.js';
import { assertLoopback, bulkLoad, capture, explain, fmt, insertCompanies, intEnv, keyLines, recreateWithMigrations } from './load.js';

const URL_ = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/steward_bench_reports';
const TENANT = 1;
const ZONE = 'Europe/Berlin';

async function generate(url: string): Promise<void> {
  const tickets = intEnv('BENCH_TICKETS', 200_000, 1000, 10_000_000);
  const lines = intEnv('BENCH_PO_LINES', 50_000, 100, 10_000_000);
  const t0 = Date.now();
  const step = (what: string) => process.stderr.write(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${what}\n`);
  await recreateWithMigrations(url);
  step('migrated');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  try {
    const finish = await bulkLoad(q, ['tickets', 'time_entries', 'stock_movements', 'purchase_orders', 'purchase_order_lines', 'purchase_order_receipts', 'ticket_assets'], step);
    await insertCompanies(q, 2);
    await q(`update companies set timezone = $1`, [ZONE]);
    await q(`insert into users (tenant_id, name, email, role_id)
             select 1, 'Tech ' || g, 'tech' || g || '@company-1.test', (select id from roles where tenant_id = 1 and name = 'Technician') from generate_series(1, 50) g`);
    await q(`insert into users (tenant_id, name, email, role_id)
             select 1, 'Manager', 'manager@company-1.test', (select id from roles where tenant_id = 1 and name = 'Manager')`);
    await q(`insert into locations (tenant_id, name, path) select 1, 'Site ' || g, '/' from generate_series(1, 10) g`);
    await q(`update locations set path = '/' || id || '/' where tenant_id = 1`);
    await q(`insert into locations (tenant_id, name, parent_id, path)
             select 1, 'Room ' || g, r.id, '/' from locations r cross join generate_series(1, 4) g where r.tenant_id = 1 and r.parent_id is null`);
    await q(`update locations c set path = p.path || c.id || '/' from locations p where c.tenant_id = 1 and c.parent_id = p.id`);
    step('users and locations');
    await q(
      `insert into tickets (tenant_id, number, kind, title, status, priority, department_id, cost_code, location_id, assignee_id, created_at, updated_at, resolved_at, failure, downtime_started_at, downtime_ended_at)
       select 1, g, (array['incident','request','work_order'])[1 + g % 3], 'Ticket ' || g,
              (array['open','in_progress','resolved','closed'])[1 + (g / 7) % 4],
              (array['low','medium','high','urgent'])[1 + g % 4],
              (select id from departments d where d.tenant_id = 1 order by id offset g % 4 limit 1),
              case when g % 5 = 0 then null else 'CC-' || (g % 20) end,
              (select id from locations l where l.tenant_id = 1 order by id offset g % 50 limit 1),
              (select id from users u where u.tenant_id = 1 order by id offset g % 50 limit 1),
              now() - make_interval(mins => (g * 5) % (730 * 1440)), now(),
              case when (g / 7) % 4 >= 2 then now() - make_interval(mins => (g * 5) % (730 * 1440)) + interval '6 hours' end,
              g % 97 = 0, case when g % 97 = 0 then now() - make_interval(mins => (g * 5) % (730 * 1440)) end,
              case when g % 97 = 0 then now() - make_interval(mins => (g * 5) % (730 * 1440)) + make_interval(mins => 30 + g % 300) end
         from generate_series(1, $1::int) g`,
      [tickets],
    );
    await q(`insert into tickets (tenant_id, number, kind, title, status) select 2, g, 'incident', 'Other ' || g, 'open' from generate_series(1, 1000) g`);
    step(`${tickets} tickets`);
    await q(
      `insert into time_entries (tenant_id, ticket_id, user_id, minutes, billable, rate, spent_on)
       select 1, t.id, t.assignee_id, 15 + (t.id * 7 + k) % 225, (t.id + k) % 3 = 0, 40 + (t.id % 6) * 10 + 0.5, t.created_at + make_interval(mins => k * 97)
         from tickets t cross join generate_series(1, 2) k where t.tenant_id = 1`,
    );
    step('time entries');
    await q(`insert into picklist_items (tenant_id, list, name) values (1, 'categories', 'Pumps'), (1, 'categories', 'Boilers')`);
    await q(`insert into assets (tenant_id, tag, name, category_id, public_token)
             select 1, 'AST-' || g, 'Asset ' || g, (select min(id) from picklist_items where tenant_id = 1 and list = 'categories') + g % 2, md5(g::text)
               from generate_series(1, 2000) g`);
    await q(`insert into ticket_assets (tenant_id, ticket_id, asset_id)
             select 1, t.id, a.id from tickets t join assets a on a.tenant_id = 1 and a.id = (select min(id) from assets where tenant_id = 1) + t.id % 2000
              where t.tenant_id = 1 and (t.id % 3 = 0 or t.failure)`);
    await q(`insert into parts (tenant_id, sku, name, unit_cost) select 1, 'P-' || g, 'Part ' || g, 1 + g % 50 from generate_series(1, 200) g`);
    await q(
      `insert into stock_movements (tenant_id, part_id, type, quantity, location_id, ticket_id, unit_cost, at)
       select 1, (select min(id) from parts where tenant_id = 1) + g % 200, 'consume', -(1 + g % 5),
              (select min(id) from locations where tenant_id = 1), t.id, 1 + g % 50, t.created_at + interval '1 hour'
         from generate_series(1, 20000) g join tickets t on t.tenant_id = 1 and t.number = 1 + (g * 9) % $1::int`,
      [tickets],
    );
    step('parts used');
    await q(`insert into vendors (tenant_id, name) select 1, 'Vendor ' || g from generate_series(1, 50) g`);
    await q(`insert into buying_companies (tenant_id, name) values (1, 'Buyer')`);
    await q(`insert into ship_to (tenant_id, name) values (1, 'Dock')`);
    const orders = Math.ceil(lines / 3.5);
    await q(
      `insert into purchase_orders (tenant_id, number, status, vendor_id, buying_company_id, ship_to_id, currency, finalized_at)
       select 1, 'PO-' || g, (array['sent','received','received','cancelled'])[1 + g % 4], (select min(id) from vendors where tenant_id = 1) + g % 50,
              (select id from buying_companies where tenant_id = 1), (select id from ship_to where tenant_id = 1), 'EUR',
              now() - make_interval(mins => (g * 61) % (730 * 1440))
         from generate_series(1, $1::int) g`,
      [orders],
    );
    await q(
      `insert into purchase_order_lines (tenant_id, purchase_order_id, position, description, quantity, received_quantity, unit_price, department_id, cost_code)
       select 1, po.id, k, 'Line ' || k, 1 + (po.id + k) % 9, case when po.status = 'received' then 1 + (po.id + k) % 9 else 0 end, 5 + (po.id * k) % 400 + 0.25,
              (select id from departments d where d.tenant_id = 1 order by id offset (po.id + k) % 4 limit 1), 'CC-' || ((po.id + k) % 20)
         from purchase_orders po cross join generate_series(1, 4) k
        where po.tenant_id = 1 and (k <= 3 or po.id % 2 = 0)
        limit $1::int`,
      [lines],
    );
    await q(
      `insert into purchase_order_receipts (tenant_id, purchase_order_id, line_id, quantity, location_id, at)
       select 1, l.purchase_order_id, l.id, l.received_quantity, (select min(id) from locations where tenant_id = 1 and parent_id is null) + l.id % 10,
              po.finalized_at + interval '5 days'
         from purchase_order_lines l join purchase_orders po on po.tenant_id = 1 and po.id = l.purchase_order_id
        where l.tenant_id = 1 and l.received_quantity > 0`,
    );
    step('purchase orders, lines and receipts');
    await finish();
    // The loader ran with triggers off (session_replication_role = replica): the cost aggregate is
    // built set-based from the lines, as `steward rebuild-costs` does.
    const built = await q(`select cost_daily_rebuild(id) as n from companies order by id`);
    await q('analyze cost_daily');
    step(`cost_daily rebuilt: ${built.rows.map((r) => r.n).join(' + ')} rows`);
  } finally {
    await client.end();
  }
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50: pct(s, 50), p95: pct(s, 95), max: s[s.length - 1] };
}

async function main() {
  assertLoopback(URL_);
  if (process.argv.includes('--generate')) {
    await generate(URL_);
    return;
  }
  const runs = intEnv('BENCH_RUNS', 20, 1, 1000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-reports-'));
  const database = await openDatabase({ databaseUrl: URL_, dataDir, poolSize: 4 });
  const pool = new pg.Pool({ connectionString: URL_, max: 2 });
  const plans: string[] = [];
  const out: string[] = [];
  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const twoYears = new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10);
  const inTenant = <T>(fn: (s: ReportScope) => Promise<T>) => database.withTenant(TENANT, ({ tx }) => fn({ tx, tenantId: TENANT, zone: ZONE }));
  try {
    const counts = await pool.query(
      `select (select count(*) from tickets where tenant_id = 1)::int tickets, (select count(*) from time_entries where tenant_id = 1)::int entries,
              (select count(*) from purchase_order_lines where tenant_id = 1)::int lines, (select count(*) from stock_movements where tenant_id = 1)::int used`,
    );
    out.push(`data: ${JSON.stringify(counts.rows[0])}`);
    // Before the aggregate: the same groupings from the lines (the query the report ran until cost_daily).
    const lineScope = (purchases: 'received' | 'ordered'): CostScope => ({
      tenantId: TENANT,
      start: dayRange(yearAgo, ZONE).start,
      end: dayRange(today, ZONE).end,
      zone: ZONE,
      purchases,
    });
    const scenarios: Array<[string, (s: ReportScope) => Promise<unknown>]> = [
      ['before: costs by department from the lines', (s) => costSums(s.tx, lineScope('received'), 'department', null)],
      ['before: costs by month from the lines', (s) => costSums(s.tx, lineScope('received'), 'month', null)],
      ['before: costs by location from the lines', (s) => costSums(s.tx, lineScope('ordered'), 'location', null)],
      ['before: costs by asset from the lines', (s) => costSums(s.tx, lineScope('received'), 'asset', null)],
      ['costs by department, a year', (s) => costReportIn(s, { from: yearAgo, to: today, groupBy: 'department', purchases: 'received', format: 'json' })],
      ['costs by month, a year', (s) => costReportIn(s, { from: yearAgo, to: today, groupBy: 'month', purchases: 'received', format: 'json' })],
      ['costs by asset, a year', (s) => costReportIn(s, { from: yearAgo, to: today, groupBy: 'asset', purchases: 'received', format: 'json' })],
      ['costs by location (roll-up), a year', (s) => costReportIn(s, { from: yearAgo, to: today, groupBy: 'location', purchases: 'ordered', format: 'json' })],
      ['tickets by status, a year', (s) => ticketReportIn(s, { from: yearAgo, to: today, groupBy: 'status', format: 'json' })],
      ['reliability, a year', (s) => reliabilityReportIn(s, { from: yearAgo, to: today, format: 'json' })],
    ];
    for (const [name, fn] of process.env.BENCH_ONLY === 'export' ? [] : scenarios) {
      await inTenant(fn); // warm
      const steward: number[] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        await inTenant(fn);
        steward.push(performance.now() - t);
      }
      // The statements Steward sent, replayed raw (the main one: the longest).
      const seen = await capture(async () => {
        await inTenant(fn);
      });
      const main = seen.filter((x) => !/set_config|^begin|^commit/i.test(x.text)).sort((a, b) => b.text.length - a.text.length)[0];
      const raw: number[] = [];
      const client = await pool.connect();
      try {
        for (let i = 0; i < runs; i++) {
          await client.query('begin');
          await client.query(`select set_config('app.tenant_id', '1', true), set_config('role', 'steward_app', true)`);
          const t = performance.now();
          await client.query(main.text, main.values);
          raw.push(performance.now() - t);
          await client.query('commit');
        }
      } finally {
        client.release();
      }
      const plan = await explain(pool, TENANT, main.text, main.values);
      plans.push(`== ${name}\n${main.text}\n${plan}\n`);
      const s = stats(steward);
      const r = stats(raw);
      out.push(`${name.padEnd(44)} Steward p50 ${fmt(s.p50)} ms p95 ${fmt(s.p95)} ms | raw SQL p50 ${fmt(r.p50)} ms p95 ${fmt(r.p95)} ms | ${seen.length} statements`);
      process.stderr.write(`${out.at(-1)}\n${keyLines(plan)}\n`);
    }

    // Export: every cost line of two years, streamed to a sink, as CSV and as XLSX.
    const ctx = { deps: { database }, actor: { kind: 'user', tenantId: TENANT, profile: { companyTimezone: ZONE } } } as unknown as Ctx;
    for (const format of process.env.BENCH_ONLY === 'costs' ? [] : (['csv', 'xlsx'] as const)) {
      let peak = process.memoryUsage().rss;
      const base = peak;
      const timer = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 50);
      let bytes = 0;
      let rows = 0;
      const t = performance.now();
      const batches = costLineBatches(ctx, { from: twoYears, to: today, groupBy: 'month', purchases: 'received', limit: 50, format });
      const first = await batches.pages.next();
      async function* counted() {
        for await (const page of batches.pages) {
          rows += page.length;
          yield page;
        }
      }
      if (!first.done) rows += first.value.length;
      const file = await costLinesFile(format, first, counted());
      await pipeline(
        file,
        new Writable({
          write(chunk: Buffer, _enc, cb) {
            bytes += chunk.length;
            cb();
          },
        }),
      );
      clearInterval(timer);
      const secs = (performance.now() - t) / 1000;
      out.push(`export ${format}: ${rows} rows in ${secs.toFixed(1)} s = ${fmt(rows / secs)} rows/s, ${(bytes / 2 ** 20).toFixed(1)} MB, peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (+${((peak - base) / 2 ** 20).toFixed(0)} MB over the start)`);
      process.stderr.write(`${out.at(-1)}\n`);
    }
  } finally {
    writeFileSync(process.env.BENCH_PLANS ?? '/tmp/steward-reports-plans.txt', plans.join('\n'));
    await pool.end();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
