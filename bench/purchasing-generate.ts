// Generates the purchasing benchmark's data set on PostgreSQL: a few companies with their default
// roles, departments and picklists, a manager each, vendors, parts listed at one or two vendors,
// buying companies, ship-to locations (each with a stock location) and 100,000 purchase orders in
// the mix of statuses a real company has, with their lines, receipts and history. Finalised orders
// carry their number, frozen parties and a stored PDF (one real rendered document, copied: the list
// and the detail read rows of that size). Everything is set-based SQL after Steward's migrations.
//
//   npm run bench:purchasing:generate        (= node --import tsx bench/purchasing-generate.ts)
//
// Environment (all optional):
//   BENCH_DATABASE_URL        database to DROP and recreate (loopback hosts only)
//                             (default postgres://postgres@127.0.0.1:5432/steward_bench_purchasing)
//   BENCH_COMPANIES           companies (default 4)
//   BENCH_POS                 purchase orders in all (default 100000)
//   BENCH_LARGE_COMPANY_POS   those of company 1, the large company (default 70 % of them); the
//                             others share the rest in turn, interleaved by id as after years of use
//   BENCH_VENDORS             vendors per company (default 200; company 1 gets twice as many)
//   BENCH_PARTS               parts per company (default 1000)
//   BENCH_STORE_PDFS          0: finalised orders without a stored PDF (default 1)
//
// Status mix (by each order's age: the newest are drafts and sent): 8 % draft, 17 % sent,
// 10 % partly received, 50 % received, 8 % closed, 7 % cancelled; 1–6 lines each (3.5 on average),
// 70 % of lines a part, the rest equipment in an asset category. Users: admin@company-N.test,
// manager@company-N.test, password bench-password-1234.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DEFAULT_PICKLISTS } from '../src/server/modules/picklists/picklists.service.js';
import { renderPurchaseOrderPdf } from '../src/server/modules/purchasing/purchasing.pdf.js';
import { hashPassword } from '../src/server/platform/crypto.js';
import { bulkLoad, insertCompanies, intEnv, recreateWithMigrations } from './load.js';

export const BENCH_PASSWORD = 'bench-password-1234';
export const DEFAULT_PURCHASING_URL = 'postgres://postgres@127.0.0.1:5432/steward_bench_purchasing';

/** Status by the order's age rank (0 = newest): cumulative shares, newest first. */
const STATUS_MIX = `case when a.age < 0.08 then 'draft'
                         when a.age < 0.25 then 'sent'
                         when a.age < 0.35 then 'partly_received'
                         when a.rs < 0.80 then 'received'
                         when a.rs < 0.90 then 'closed'
                         else 'cancelled' end`;

export async function generate(url: string): Promise<void> {
  const companies = intEnv('BENCH_COMPANIES', 4, 2, 1000);
  const total = intEnv('BENCH_POS', 100_000, 100, 10_000_000);
  const large = intEnv('BENCH_LARGE_COMPANY_POS', Math.floor(total * 0.7), 1, total - (companies - 1));
  const vendorsPer = intEnv('BENCH_VENDORS', 200, 2, 100_000);
  const partsPer = intEnv('BENCH_PARTS', 1000, 1, 1_000_000);
  const storePdfs = process.env.BENCH_STORE_PDFS !== '0';
  const t0 = Date.now();
  const step = (what: string) => process.stderr.write(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${what}\n`);

  process.stderr.write(`generating ${companies} companies, ${total} purchase orders (company 1: ${large}) into ${url}\n`);
  await recreateWithMigrations(url);
  step('migrated');

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  try {
    const finishLoad = await bulkLoad(
      q,
      ['purchase_orders', 'purchase_order_lines', 'purchase_order_events', 'purchase_order_receipts', 'stock_movements', 'stock_levels'],
      step,
    );
    await insertCompanies(q, companies);
    await q(
      `insert into users (tenant_id, name, email, password_hash, role_id)
       select c.id, initcap(u.local) || ' ' || c.id, u.local || '@company-' || c.id || '.test', $3,
              (select r.id from roles r where r.tenant_id = c.id and r.name = u.role)
         from companies c cross join unnest($1::text[], $2::text[]) with ordinality as u(local, role, n)
        order by c.id, u.n`,
      [['admin', 'manager'], ['Admin', 'Manager'], await hashPassword(BENCH_PASSWORD)],
    );
    await q(
      `insert into picklist_items (tenant_id, list, name, custom_fields)
       select c.id, p.list, p.name, p.custom_fields
         from companies c
         cross join rows from (jsonb_to_recordset($1::jsonb) as (list text, name text, custom_fields jsonb)) with ordinality as p(list, name, custom_fields, n)
        order by c.id, p.n`,
      [JSON.stringify(DEFAULT_PICKLISTS.map((p) => ({ list: p.list, name: p.name, custom_fields: p.customFields ?? [] })))],
    );
    // A site with a store per company, and the vendors: company 1 has twice as many.
    await q(`insert into locations (tenant_id, name, parent_id, path) select c.id, 'Head office', null, '/*' from companies c order by c.id`);
    await q(`update locations set path = '/' || id || '/' where path = '/*'`);
    await q(
      `insert into locations (tenant_id, name, parent_id, path)
       select l.tenant_id, s.name, l.id, l.path || '*' from locations l cross join unnest(array['Main store', 'Workshop store', 'Receiving dock']) s(name)
        order by l.tenant_id, s.name`,
    );
    await q(`update locations set path = replace(path, '*', id || '/') where path like '%*'`);
    const VENDOR_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Wonka'];
    await q(
      `insert into vendors (tenant_id, name, email, contact_name, address, payment_terms, currency)
       select c.id, ($2::text[])[1 + g % 10] || ' ' || (array['Supply', 'Industrial', 'Trading', 'Parts', 'Tools'])[1 + (g / 10) % 5] || ' ' || g,
              'orders' || g || '@vendor' || c.id || '.test', 'Contact ' || g, g || ' Vendor Road' || chr(10) || 'Springfield',
              (array['Net 30', 'Net 45', 'Due on receipt'])[1 + g % 3], 'USD'
         from companies c cross join lateral generate_series(1, case when c.id = 1 then $1::int * 2 else $1::int end) g
        order by c.id, g`,
      [vendorsPer, VENDOR_WORDS],
    );
    await q(
      `insert into parts (tenant_id, sku, name, unit, unit_cost, min_quantity, reorder_point)
       select c.id, 'P-' || lpad(g::text, 6, '0'), (array['Filter', 'Bearing', 'Belt', 'Fuse', 'Valve', 'Gasket', 'Bolt set', 'Cable'])[1 + g % 8] || ' ' || g,
              'pcs', 2 + (g * 37) % 400, 0, 0
         from companies c cross join generate_series(1, $1::int) g order by c.id, g`,
      [partsPer],
    );
    await q(
      `insert into part_vendors (tenant_id, part_id, vendor_id, vendor_sku, price)
       select p.tenant_id, p.id, v.id, 'V-' || p.sku, p.unit_cost * (1 + k * 0.05)
         from parts p cross join generate_series(0, 1) k
         join lateral (select id from vendors v where v.tenant_id = p.tenant_id order by id
                        offset (p.id * 7 + k * 13) % (select count(*) from vendors w where w.tenant_id = p.tenant_id) limit 1) v on true
       on conflict do nothing`,
    );
    await q(
      `insert into buying_companies (tenant_id, name, address)
       select c.id, 'Company ' || c.id || b.suffix, b.n || ' Main Street' || chr(10) || 'Springfield'
         from companies c cross join (values (1, ' Ltd'), (2, ' Services GmbH')) b(n, suffix) order by c.id, b.n`,
    );
    await q(
      `insert into ship_to (tenant_id, name, address, tax_rate, location_id)
       select l.tenant_id, l.name || ' (ship-to)', 'Dock ' || l.id || chr(10) || 'Springfield', (array[8.25, 0, 19])[1 + (row_number() over (partition by l.tenant_id order by l.id))::int % 3], l.id
         from locations l where l.parent_id is not null order by l.tenant_id, l.id`,
    );
    step('companies, users, picklists, vendors, parts, buying companies, ship-to');

    // One real document, stored on every finalised order (their size is what the list and detail read).
    const sample = await renderPurchaseOrderPdf({
      number: 'PO-2026-0001',
      date: '2026-01-15',
      currency: 'USD',
      buyingCompany: { name: 'Company 1 Ltd', address: '1 Main Street\nSpringfield', logo: null },
      vendor: { name: 'Acme Supply 1', address: '1 Vendor Road\nSpringfield', contactName: 'Contact 1', email: 'orders1@vendor1.test' },
      shipTo: { name: 'Main store (ship-to)', address: 'Dock 5\nSpringfield' },
      lines: Array.from({ length: 4 }, (_, i) => ({ description: `Filter ${i + 1}`, quantity: 2, unitPrice: 10.5, lineCents: 2100n, costCode: 'CC-100' })),
      taxRate: 8.25,
      subtotalCents: 8400n,
      taxCents: 693n,
      totalCents: 9093n,
      paymentTerms: 'Net 30',
      notes: null,
      draft: false,
    });

    await q(
      `create temp table refs as
       select c.id tenant_id,
              (select array_agg(id order by id) from vendors v where v.tenant_id = c.id) vendors,
              (select array_agg(id order by id) from buying_companies b where b.tenant_id = c.id) buyers,
              (select array_agg(id order by id) from ship_to s where s.tenant_id = c.id) ship_tos,
              (select array_agg(id order by id) from parts p where p.tenant_id = c.id) parts,
              (select array_agg(id order by id) from departments d where d.tenant_id = c.id) depts,
              (select array_agg(id order by id) from picklist_items p where p.tenant_id = c.id and p.list = 'categories') cats,
              (select id from users u where u.tenant_id = c.id and u.email like 'manager@%') manager
         from companies c`,
    );
    await q('analyze refs');

    // Orders: company 1 takes every (total/large)-th id. A company's k-th order has age rank
    // (n - k) / n (the newest is 0), which decides its status; created over three years.
    const every = Math.max(1, total / large);
    await q(
      `create temp table src as
       with g as (
         select g, case when floor(g / $2::float8) > floor((g - 1) / $2::float8) then 1 else 2 + (g % ($1::int - 1)) end tenant_id
           from generate_series(1, $3::int) g),
       k as (select g.*, row_number() over (partition by tenant_id order by g) k, count(*) over (partition by tenant_id) n from g)
       select k.g, k.tenant_id, k.k, 1 - k.k::float8 / k.n age, random() rs,
              timestamptz '2026-11-30 12:00:00+00' - interval '3 years' * (1 - k.k::float8 / k.n) created_at
         from k`,
      [companies, every, total],
    );
    await q(`alter table src add column status text, add column number text`);
    await q(`update src a set status = ${STATUS_MIX}`);
    // Numbers per company and year of finalisation, in order: PO-2025-0042.
    await q(
      `update src a set number = n.number
         from (select g, 'PO-' || y || '-' ||
                      lpad(n::text, greatest(4, length(n::text)), '0') number
                 from (select g, extract(year from created_at)::int y, row_number() over (partition by tenant_id, extract(year from created_at) order by g) n
                         from src where status <> 'draft') w) n
        where a.g = n.g`,
    );
    await q('analyze src');
    await q(
      `insert into purchase_orders (tenant_id, number, status, vendor_id, buying_company_id, ship_to_id, currency, tax_rate, notes,
                                    cancel_reason, created_by_id, finalized_at, finalized_by_id, created_at, updated_at)
       select a.tenant_id, a.number, a.status,
              r.vendors[1 + (a.k * 7919) % array_length(r.vendors, 1)], r.buyers[1 + a.k % 2], r.ship_tos[1 + a.k % 3], 'USD',
              (array[8.25, 0, 19])[1 + ((1 + a.k % 3) % 3)], case when a.k % 9 = 0 then 'Deliver to the back entrance' end,
              case when a.status = 'cancelled' then 'Ordered twice' end, r.manager,
              case when a.status <> 'draft' then a.created_at end,
              case when a.status <> 'draft' then r.manager end, a.created_at - interval '2 hours', a.created_at
         from src a join refs r on r.tenant_id = a.tenant_id
        order by a.g`,
    );
    step(`${total} purchase orders`);
    await q(
      `insert into counters (tenant_id, name, last)
       select tenant_id, 'purchase_order:PO-' || extract(year from finalized_at)::int || '-{seq:4}', count(*)
         from purchase_orders where status <> 'draft' group by 1, 2`,
    );
    // Lines: 1–6 per order; received quantities follow the status (a partly received order has its
    // first line received, half of the second).
    await q(
      `insert into purchase_order_lines (tenant_id, purchase_order_id, position, description, quantity, received_quantity, unit_price,
                                         part_id, department_id, cost_code, asset_category_id)
       select o.tenant_id, o.id, i, case when eq then 'Laptop ' || i else 'Part ' || p.id end,
              1 + (o.id + i) % 10,
              case when o.status in ('received', 'closed') then 1 + (o.id + i) % 10
                   when o.status = 'partly_received' and i = 1 then 1 + (o.id + i) % 10
                   when o.status = 'partly_received' and i = 2 then floor((1 + (o.id + i) % 10) / 2.0)
                   else 0 end,
              coalesce(p.unit_cost, 850), case when not eq then p.id end,
              r.depts[1 + (o.id + i) % array_length(r.depts, 1)], 'CC-' || (100 + (o.id + i) % 40),
              case when eq then r.cats[1] end
         from purchase_orders o join refs r on r.tenant_id = o.tenant_id
         cross join lateral generate_series(1, 1 + (o.id * 31 + 7) % 6) i
         cross join lateral (select (o.id * 3 + i) % 10 >= 7 eq) e
         left join lateral (select id, unit_cost from parts p where p.tenant_id = o.tenant_id and p.id = r.parts[1 + (o.id * 13 + i * 101) % array_length(r.parts, 1)]) p on true
        order by o.id, i`,
    );
    step('lines');
    await q(
      `update purchase_orders o set subtotal = t.subtotal, tax = round(t.subtotal * o.tax_rate / 100, 2), total = t.subtotal + round(t.subtotal * o.tax_rate / 100, 2)
         from (select tenant_id, purchase_order_id, round(sum(quantity * unit_price), 2) subtotal from purchase_order_lines group by 1, 2) t
        where o.tenant_id = t.tenant_id and o.id = t.purchase_order_id`,
    );
    await q(
      `update purchase_orders o set snapshot = jsonb_build_object(
          'vendor', jsonb_build_object('id', v.id::text, 'name', v.name, 'address', coalesce(v.address, ''), 'email', v.email, 'contactName', v.contact_name, 'paymentTerms', v.payment_terms),
          'buyingCompany', jsonb_build_object('id', b.id::text, 'name', b.name, 'address', b.address),
          'shipTo', jsonb_build_object('id', s.id::text, 'name', s.name, 'address', s.address, 'taxRate', o.tax_rate)),
          pdf = case when $1::boolean then $2::bytea end
         from vendors v, buying_companies b, ship_to s
        where o.status <> 'draft' and v.tenant_id = o.tenant_id and v.id = o.vendor_id and b.tenant_id = o.tenant_id and b.id = o.buying_company_id
          and s.tenant_id = o.tenant_id and s.id = o.ship_to_id`,
      [storePdfs, sample],
    );
    step(`totals, frozen parties${storePdfs ? `, stored PDFs (${sample.length} bytes each)` : ''}`);
    // Receipts of what was received (parts into the ship-to's store, through a ledger movement).
    await q(
      `create temp table received as
       select l.tenant_id, l.id line_id, l.purchase_order_id, l.part_id, l.received_quantity, l.unit_price, s.location_id, o.number,
              o.finalized_at + interval '5 days' received_at, r.manager
         from purchase_order_lines l join purchase_orders o on o.tenant_id = l.tenant_id and o.id = l.purchase_order_id
         join ship_to s on s.tenant_id = o.tenant_id and s.id = o.ship_to_id join refs r on r.tenant_id = o.tenant_id
        where l.received_quantity > 0`,
    );
    await q(`alter table received add column movement_id bigint`);
    await q(
      `with m as (
         insert into stock_movements (tenant_id, part_id, type, quantity, location_id, unit_cost, note, actor_id, actor_name, at)
         select tenant_id, part_id, 'receive', received_quantity, location_id, unit_price,
                'Received on purchase order ' || number || ', line ' || line_id, manager, 'Manager ' || tenant_id, received_at
           from received where part_id is not null order by line_id
         returning tenant_id, id, note)
       update received r set movement_id = m.id from m where m.tenant_id = r.tenant_id and m.note = 'Received on purchase order ' || r.number || ', line ' || r.line_id`,
    );
    await q(
      `insert into stock_levels (tenant_id, part_id, location_id, quantity)
       select tenant_id, part_id, location_id, sum(received_quantity) from received where part_id is not null group by 1, 2, 3`,
    );
    await q(
      `insert into purchase_order_receipts (tenant_id, purchase_order_id, line_id, quantity, location_id, stock_movement_id, actor_id, actor_name, at)
       select tenant_id, purchase_order_id, line_id, received_quantity, location_id, movement_id, manager, 'Manager ' || tenant_id, received_at
         from received order by line_id`,
    );
    step('receipts and stock movements');
    await q(
      `insert into purchase_order_events (tenant_id, purchase_order_id, event, details, actor_id, actor_name, at)
       select o.tenant_id, o.id, e.event, e.details, o.created_by_id, 'Manager ' || o.tenant_id, o.created_at + e.after
         from purchase_orders o
         cross join lateral (values
             ('created', '{}'::jsonb, interval '0', true),
             ('finalized', jsonb_build_object('number', o.number, 'total', o.total::text), interval '2 hours', o.status <> 'draft'),
             ('sent', '{"mailed": true}'::jsonb, interval '2 hours 1 second', o.status <> 'draft'),
             ('received', jsonb_build_object('status', o.status), interval '5 days', o.status in ('partly_received', 'received', 'closed')),
             ('closed', '{}'::jsonb, interval '9 days', o.status = 'closed'),
             ('cancelled', jsonb_build_object('reason', o.cancel_reason), interval '3 days', o.status = 'cancelled')) e(event, details, after, happened)
        where e.happened
        order by o.id, e.after`,
    );
    step('history');
    await finishLoad();
    const { rows } = await q(
      `select (select count(*) from companies) companies, (select count(*) from vendors) vendors, (select count(*) from parts) parts,
              (select count(*) from purchase_orders) purchase_orders, (select count(*) from purchase_orders where tenant_id = 1) company1,
              (select jsonb_object_agg(status, n) from (select status, count(*) n from purchase_orders group by status) s) statuses,
              (select count(*) from purchase_order_lines) lines, (select count(*) from purchase_order_receipts) receipts,
              (select count(*) from purchase_order_events) events, pg_size_pretty(pg_database_size(current_database())) size`,
    );
    process.stderr.write(`${JSON.stringify(rows[0])}\n`);
    process.stderr.write(`generated in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  generate(process.env.BENCH_DATABASE_URL || DEFAULT_PURCHASING_URL).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
