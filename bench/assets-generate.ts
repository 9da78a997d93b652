// Generates the asset benchmark's data set on PostgreSQL: 1,000 companies with their default roles,
// departments, picklists and 20 users each, a location tree per company (site → building → floor →
// room), and 1,000,000 assets that carry their location's path as Steward writes it, with one
// history row each and check-outs. Everything is set-based SQL (insert … select … generate_series).
//
//   npm run bench:assets:generate        (= node --import tsx bench/assets-generate.ts)
//
// Environment (all optional):
//   BENCH_DATABASE_URL         database to DROP and recreate (loopback hosts only)
//                              (default postgres://postgres@127.0.0.1:5432/steward_bench_assets)
//   BENCH_COMPANIES            companies (default 1000)
//   BENCH_ASSETS_PER_COMPANY   average assets per company (default 1000); total = companies × this
//   BENCH_LARGE_COMPANY_ASSETS assets of company 1, taken out of the total (default 5 % of it)
//   BENCH_LARGE_TREE           sites,buildings per site,floors per building,rooms per floor of company 1 (default 5,4,5,10)
//   BENCH_TREE                 the same for every other company (default 2,2,3,5)
//
// Company 1 is the large company, company 2 a typical one. Users are admin@company-N.test,
// manager@…, head@…, tech1…tech6@…, user1…user11@…, password bench-password-1234.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DEFAULT_PICKLISTS } from '../src/server/modules/picklists/picklists.service.js';
import { hashPassword } from '../src/server/platform/crypto.js';
import { bulkLoad, insertCompanies, intEnv, recreateWithMigrations } from './load.js';

export const BENCH_PASSWORD = 'bench-password-1234';
export const DEFAULT_ASSETS_URL = 'postgres://postgres@127.0.0.1:5432/steward_bench_assets';

const USERS: Array<[string, string]> = [
  ['admin', 'Admin'],
  ['manager', 'Manager'],
  ['head', 'Department Head'],
  ...Array.from({ length: 6 }, (_, i): [string, string] => [`tech${i + 1}`, 'Technician']),
  ...Array.from({ length: 11 }, (_, i): [string, string] => [`user${i + 1}`, 'Requester']),
];
const MANUFACTURERS = ['Dell', 'HP', 'Lenovo', 'Apple', 'Samsung', 'Cisco', 'Daikin', 'Carrier', 'Toyota', 'Steelcase'];
/** Models per category position (Laptop, Desktop, Monitor, Phone, Printer, HVAC, Vehicle, Furniture). */
const MODELS = ['Latitude 5440', 'OptiPlex 7010', 'P2723DE', 'iPhone 15', 'LaserJet M507', 'FTXM35', 'Hilux', 'Gesture chair'];

function tree(name: string, fallback: string): [number, number, number, number] {
  const raw = process.env[name] || fallback;
  const parts = raw.split(',').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 1 || n > 100)) throw new Error(`${name} must be four integers 1–100 like "${fallback}"`);
  return parts as [number, number, number, number];
}

export async function generate(url: string): Promise<void> {
  const companies = intEnv('BENCH_COMPANIES', 1000, 2, 100_000);
  const perCompany = intEnv('BENCH_ASSETS_PER_COMPANY', 1000, 1, 1_000_000);
  const total = companies * perCompany;
  const large = intEnv('BENCH_LARGE_COMPANY_ASSETS', Math.floor(total / 20), 1, total - (companies - 1));
  const largeTree = tree('BENCH_LARGE_TREE', '5,4,5,10');
  const smallTree = tree('BENCH_TREE', '2,2,3,5');
  const t0 = Date.now();
  const step = (what: string) => process.stderr.write(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${what}\n`);

  process.stderr.write(`generating ${companies} companies, ${total} assets (company 1: ${large}) into ${url}\n`);
  await recreateWithMigrations(url);
  step('migrated');

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  try {
    const finishLoad = await bulkLoad(q, ['assets', 'asset_history'], step);
    await insertCompanies(q, companies);
    await q(
      `insert into users (tenant_id, name, email, password_hash, role_id, department_id)
       select c.id, initcap(u.local) || ' ' || c.id, u.local || '@company-' || c.id || '.test', $3,
              (select r.id from roles r where r.tenant_id = c.id and r.name = u.role),
              (select d.id from departments d where d.tenant_id = c.id order by d.id offset (u.n % 4) limit 1)
         from companies c cross join unnest($1::text[], $2::text[]) with ordinality as u(local, role, n)
        order by c.id, u.n`,
      [USERS.map((u) => u[0]), USERS.map((u) => u[1]), await hashPassword(BENCH_PASSWORD)],
    );
    await q(
      `insert into picklist_items (tenant_id, list, name, custom_fields)
       select c.id, p.list, p.name, p.custom_fields
         from companies c
         cross join rows from (jsonb_to_recordset($1::jsonb) as (list text, name text, custom_fields jsonb)) with ordinality as p(list, name, custom_fields, n)
        order by c.id, p.n`,
      [JSON.stringify(DEFAULT_PICKLISTS.map((p) => ({ list: p.list, name: p.name, custom_fields: p.customFields ?? [] })))],
    );
    await q(
      `insert into picklist_items (tenant_id, list, name)
       select c.id, 'manufacturers', m.name from companies c cross join unnest($1::text[]) with ordinality as m(name, n) order by c.id, m.n`,
      [MANUFACTURERS],
    );
    step('companies, roles, departments, users, picklists');

    // The location tree, one level at a time: each row is inserted with its parent's path plus '*',
    // then '*' becomes its own id, as insertLocation() writes it ('/site/building/floor/room/').
    const levels = [
      ['Site', 0],
      ['Building', 1],
      ['Floor', 2],
      ['Room', 3],
    ] as const;
    for (const [name, depth] of levels) {
      const fanout = `case when c.id = 1 then ${largeTree[depth]} else ${smallTree[depth]} end`;
      if (depth === 0) {
        await q(
          `insert into locations (tenant_id, name, parent_id, path)
           select c.id, 'Site ' || s, null, '/*' from companies c cross join lateral generate_series(1, ${fanout}) s order by c.id, s`,
        );
      } else {
        await q(
          `insert into locations (tenant_id, name, parent_id, path)
           select p.tenant_id, '${name} ' || s, p.id, p.path || '*'
             from locations p join companies c on c.id = p.tenant_id
             cross join lateral generate_series(1, ${fanout}) s
            where array_length(string_to_array(trim(both '/' from p.path), '/'), 1) = ${depth}
            order by p.tenant_id, p.id, s`,
        );
      }
      await q(`update locations set path = replace(path, '*', id || '/') where path like '%*'`);
    }
    await q(
      `create temp table places as
       select c.id tenant_id,
              (select array_agg(id order by path) from locations l where l.tenant_id = c.id and array_length(string_to_array(trim(both '/' from l.path), '/'), 1) = 4) rooms,
              (select array_agg(path order by path) from locations l where l.tenant_id = c.id and array_length(string_to_array(trim(both '/' from l.path), '/'), 1) = 4) room_paths,
              (select array_agg(id order by path) from locations l where l.tenant_id = c.id and array_length(string_to_array(trim(both '/' from l.path), '/'), 1) = 3) floors,
              (select array_agg(path order by path) from locations l where l.tenant_id = c.id and array_length(string_to_array(trim(both '/' from l.path), '/'), 1) = 3) floor_paths,
              (select array_agg(id order by id) from picklist_items p where p.tenant_id = c.id and p.list = 'categories') cats,
              (select array_agg(id order by id) from picklist_items p where p.tenant_id = c.id and p.list = 'manufacturers') mans,
              (select array_agg(id order by id) from picklist_items p where p.tenant_id = c.id and p.list = 'conditions') conds,
              (select array_agg(id order by id) from users u where u.tenant_id = c.id) users,
              (select array_agg(id order by id) from departments d where d.tenant_id = c.id) depts
         from companies c`,
    );
    await q('analyze places');
    step('location trees');

    // Assets: company 1 gets every (total/large)-th one, the others share the rest in turn, so each
    // company's rows are spread over the table as after years of use. A company's k-th asset takes
    // its room, category, user… from k, so every room gets its share. 90 % sit in a room, 7 % on a
    // floor, 3 % nowhere; 60 % in use (half of those checked out to a user), 20 % in stock, 8 % in
    // repair, 8 % retired, 4 % disposed.
    const every = Math.max(2, Math.round(total / large));
    await q(
      `with src as (
         select g, case when g % $2::int = 0 then 1 else 2 + (g % ($1::int - 1)) end tenant_id,
                now() - interval '5 years' * (1 - g::float8 / $3::int) created_at, random() rs, random() rl, random() ra
           from generate_series(1, $3::int) g),
       a as (select src.*, row_number() over (partition by tenant_id order by g) k from src)
       insert into assets (tenant_id, tag, name, category_id, manufacturer_id, model, serial, status, condition_id,
                           location_id, location_path, department_id, purchase_date, purchase_cost, warranty_end,
                           custom_fields, assigned_to_id, checked_out_at, public_token, created_at, updated_at)
       select a.tenant_id, 'AST-' || lpad(a.k::text, 5, '0'),
              ($4::text[])[1 + a.k % 8] || ' ' || a.k,
              p.cats[1 + a.k % 8], p.mans[1 + (a.k / 8) % 10], ($5::text[])[1 + a.k % 8],
              'SN' || upper(substr(md5(a.g::text), 1, 10)),
              st.status, p.conds[1 + (a.k / 3) % 4],
              case when a.rl < 0.90 then p.rooms[1 + (a.k * 7919) % array_length(p.rooms, 1)]
                   when a.rl < 0.97 then p.floors[1 + (a.k * 7919) % array_length(p.floors, 1)] end,
              case when a.rl < 0.90 then p.room_paths[1 + (a.k * 7919) % array_length(p.rooms, 1)]
                   when a.rl < 0.97 then p.floor_paths[1 + (a.k * 7919) % array_length(p.floors, 1)] end,
              p.depts[1 + a.k % 4],
              (a.created_at - interval '20 days')::date, (50 + (a.g * 37) % 2500) + 0.99,
              (a.created_at + interval '3 years')::date,
              case when a.k % 8 = 0 then jsonb_build_object('ram_gb', 8 * (1 + a.k % 4), 'os', 'Windows') else '{}'::jsonb end,
              case when st.status = 'in_use' and a.ra < 0.5 then p.users[1 + a.k % 20] end,
              case when st.status = 'in_use' and a.ra < 0.5 then a.created_at + interval '1 day' end,
              md5(a.g::text || '-steward-bench-asset'), a.created_at, a.created_at
         from a join places p on p.tenant_id = a.tenant_id,
              lateral (select case when a.rs < 0.60 then 'in_use' when a.rs < 0.80 then 'in_stock' when a.rs < 0.88 then 'in_repair'
                                   when a.rs < 0.96 then 'retired' else 'disposed' end status) st
        order by a.g`,
      [companies, every, total, DEFAULT_PICKLISTS.filter((p) => p.list === 'categories').map((p) => p.name), MODELS],
    );
    step(`${total} assets`);
    await q(`insert into counters (tenant_id, name, last) select tenant_id, 'asset_tag', count(*) from assets group by tenant_id`);
    await q(
      `insert into asset_history (tenant_id, asset_id, actor_name, at, event)
       select tenant_id, id, 'Bench', created_at, 'created' from assets order by id`,
    );
    step('history');
    await finishLoad();
    const { rows } = await q(
      `select (select count(*) from companies) companies, (select count(*) from users) users, (select count(*) from locations) locations,
              (select count(*) from assets) assets, (select count(*) from assets where tenant_id = 1) company1,
              (select count(*) from assets where tenant_id = 2) company2, (select count(*) from asset_history) history,
              pg_size_pretty(pg_database_size(current_database())) size`,
    );
    process.stderr.write(`${JSON.stringify(rows[0])}\n`);
    process.stderr.write(`generated in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  generate(process.env.BENCH_DATABASE_URL || DEFAULT_ASSETS_URL).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
