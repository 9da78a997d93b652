// Generates the ticket benchmark's data set on PostgreSQL: 1,000 companies with their default roles
// and departments, 20 users, 3 teams and 8 categories each, and 1,000,000 tickets with varied
// titles and descriptions, statuses, priorities, assignees, one history row each and a comment on
// every other ticket. Everything is set-based SQL (insert … select … from generate_series).
//
//   node --import tsx bench/tickets-generate.ts
//
// Environment (all optional):
//   BENCH_DATABASE_URL          database to DROP and recreate (loopback hosts only)
//                               (default postgres://postgres@127.0.0.1:5432/steward_bench_tickets)
//   BENCH_COMPANIES             companies (default 1000)
//   BENCH_TICKETS_PER_COMPANY   average tickets per company (default 1000); total = companies × this
//   BENCH_LARGE_COMPANY_TICKETS tickets of company 1, taken out of the total (default 5 % of it,
//                               0 = every company gets the same share)
//   BENCH_COMMENT_EVERY         one comment on every n-th ticket (default 2)
//
// Company 1 is the "large" company, company 2 a typical one. In every company the users are
// admin@company-N.test, manager@…, head@…, tech1…tech6@…, user1…user11@…, all with the password
// bench-password-1234 (one argon2id hash computed here and shared by every user).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { hashPassword } from '../src/server/platform/crypto.js';
import { bulkLoad, insertCompanies, intEnv, recreateWithMigrations } from './load.js';

export const BENCH_PASSWORD = 'bench-password-1234';
export const DEFAULT_TICKETS_URL = 'postgres://postgres@127.0.0.1:5432/steward_bench_tickets';

/** Service-desk vocabulary, most frequent first: words are drawn with a skewed distribution. */
const WORDS = `printer laptop email password network wifi access account screen monitor login error vpn
 outlook phone keyboard mouse update install software license server slow broken cannot request new
 replace reset share folder drive backup office meeting room projector camera headset badge door light
 heating cooling air conditioning leak water toilet kitchen coffee machine fridge desk chair cable power
 socket battery charger dock adapter usb printer-toner paper jam scanner fax teams zoom calendar invite
 permission group mailbox distribution list spam phishing virus antivirus firewall port dns dhcp ip
 address certificate expired renewal invoice purchase order quote supplier delivery parcel stock shelf
 forklift pallet warehouse truck van fuel tyre brake service maintenance inspection safety fire alarm
 extinguisher sprinkler elevator lift stairs parking gate barrier key lock cabinet locker window blind
 carpet floor ceiling tile paint wall crack noise smell pest cleaning waste bin recycling garden lawn
 snow ice salt roof gutter drain pipe boiler radiator thermostat sensor meter electricity generator ups
 rack switch router access-point patch panel fibre copper outage degraded intermittent timeout latency
 database report dashboard export import spreadsheet excel word pdf sign signature approval budget cost
 center payroll holiday leave onboarding offboarding contractor visitor guest laptop-bag tablet mobile
 sim roaming voicemail extension hunt queue ticket follow-up urgent asap tomorrow monday friday morning
 afternoon evening weekend floor-two floor-three basement reception lobby canteen gym shower bike rack
 accounting legal marketing sales support engineering production quality lab clean-room compressor
 conveyor motor bearing belt pump valve hydraulic pneumatic welding crane hoist ladder scaffold helmet
 gloves goggles uniform boots first-aid kit defibrillator evacuation drill audit compliance gdpr policy
 training course manual procedure checklist`
  .split(/\s+/)
  .filter(Boolean);

/** Words that appear in about one ticket in 2,000 each: the "selective" searches. */
const RARE_WORDS = `zeolite quixotic marzipan obsidian kumquat xylophone yodel wombat zircon
 quagga narwhal ocelot platypus quetzal saffron tamarind umami vermilion walrus xenon yarrow zinnia
 axolotl bismuth cobalt dulcimer euphonium fennec gazpacho halibut`
  .split(/\s+/)
  .filter(Boolean);

const NAMES = [
  'Ada',
  'Ben',
  'Chloe',
  'Dan',
  'Eve',
  'Finn',
  'Grace',
  'Hugo',
  'Iris',
  'Jon',
  'Kim',
  'Leo',
  'Mia',
  'Nils',
  'Olga',
  'Paul',
  'Quinn',
  'Rosa',
  'Sam',
  'Tara',
];
const SURNAMES = ['Smith', 'Jones', 'Meyer', 'Rossi', 'Dubois', 'Novak', 'Berg', 'Silva', 'Kowalski', 'Olsen'];
/** Users of each company, in id order: [email local part, role name]. */
export const COMPANY_USERS: Array<[string, string]> = [
  ['admin', 'Admin'],
  ['manager', 'Manager'],
  ['head', 'Department Head'],
  ...Array.from({ length: 6 }, (_, i): [string, string] => [`tech${i + 1}`, 'Technician']),
  ...Array.from({ length: 11 }, (_, i): [string, string] => [`user${i + 1}`, 'Requester']),
];
const CATEGORIES = ['Hardware', 'Software', 'Network', 'Accounts', 'Facilities', 'Cleaning', 'Purchasing', 'Safety'];
const TEAMS = ['Service Desk', 'Field Service', 'Facilities Crew'];

export async function generate(url: string): Promise<void> {
  const companies = intEnv('BENCH_COMPANIES', 1000, 2, 100_000);
  const perCompany = intEnv('BENCH_TICKETS_PER_COMPANY', 1000, 1, 1_000_000);
  const total = companies * perCompany;
  const large = intEnv('BENCH_LARGE_COMPANY_TICKETS', Math.floor(total / 20), 0, total - (companies - 1));
  const commentEvery = intEnv('BENCH_COMMENT_EVERY', 2, 1, 1_000_000);
  const t0 = Date.now();
  const step = (what: string) => process.stderr.write(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${what}\n`);

  process.stderr.write(`generating ${companies} companies, ${total} tickets (company 1: ${large || 'an even share'}) into ${url}\n`);
  await recreateWithMigrations(url);
  step('migrated');

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  try {
    const finishLoad = await bulkLoad(q, ['tickets', 'ticket_comments', 'ticket_history'], step);
    await insertCompanies(q, companies);
    const hash = await hashPassword(BENCH_PASSWORD);
    // Users: every 4th one has no department; names from two short lists.
    await q(
      `insert into users (tenant_id, name, email, password_hash, role_id, department_id)
       select c.id, ($3::text[])[1 + (c.id * 7 + u.n) % 20] || ' ' || ($4::text[])[1 + (c.id + u.n * 3) % 10],
              u.local || '@company-' || c.id || '.test', $5,
              (select r.id from roles r where r.tenant_id = c.id and r.name = u.role),
              case when u.n % 4 = 0 then null
                   else (select d.id from departments d where d.tenant_id = c.id order by d.id offset (u.n % 4) limit 1) end
         from companies c cross join unnest($1::text[], $2::text[]) with ordinality as u(local, role, n)
        order by c.id, u.n`,
      [COMPANY_USERS.map((u) => u[0]), COMPANY_USERS.map((u) => u[1]), NAMES, SURNAMES, hash],
    );
    await q(
      `insert into teams (tenant_id, name) select c.id, t.name from companies c cross join unnest($1::text[]) with ordinality as t(name, n) order by c.id, t.n`,
      [TEAMS],
    );
    // Technicians 1–6 in teams 1, 2, 3, 1, 2, 3.
    await q(
      `with tech as (select tenant_id, id, row_number() over (partition by tenant_id order by id) n from users where email like 'tech%'),
            tm as (select tenant_id, id, row_number() over (partition by tenant_id order by id) n from teams)
       insert into team_members (tenant_id, team_id, user_id)
       select tech.tenant_id, tm.id, tech.id from tech join tm on tm.tenant_id = tech.tenant_id and tm.n = 1 + (tech.n - 1) % 3`,
    );
    await q(
      `with tm as (select tenant_id, id, row_number() over (partition by tenant_id order by id) n from teams)
       insert into categories (tenant_id, name, description, default_team_id)
       select c.tenant_id, c.name, c.name || ' problems and requests', tm.id
         from (select co.id tenant_id, x.name, x.n from companies co cross join unnest($1::text[]) with ordinality as x(name, n)) c
         join tm on tm.tenant_id = c.tenant_id and tm.n = case when c.n in (5, 6, 8) then 3 when c.n = 3 then 2 else 1 end
        order by c.tenant_id, c.n`,
      [CATEGORIES],
    );
    step('companies, roles, departments, users, teams, categories');

    // Per-company id arrays, so a ticket picks real ids by position.
    await q(
      `create temp table ids as
       select c.id tenant_id,
              (select array_agg(id order by id) from users u where u.tenant_id = c.id) users,
              (select array_agg(department_id order by id) from users u where u.tenant_id = c.id) user_departments,
              (select array_agg(id order by id) from teams t where t.tenant_id = c.id) teams,
              (select array_agg(id order by id) from categories k where k.tenant_id = c.id) cats
         from companies c`,
    );
    // Pools of 20,000 titles and descriptions built from the skewed word list (a word's rank r is
    // drawn as n·u^2.5, so the first words are common and the last ones rare).
    await q(
      `create temp table title_pool as
       select g i, initcap(w.a) || ' ' || w.b title from generate_series(1, 20000) g,
        lateral (select ($1::text[])[1 + floor(pow(random(), 2.5) * array_length($1::text[], 1))::int] a,
                        (select string_agg(($1::text[])[1 + floor(pow(random(), 2.5) * array_length($1::text[], 1))::int], ' ')
                           from generate_series(1, 2 + g % 5)) b) w`,
      [WORDS],
    );
    await q(
      `create temp table description_pool as
       select g i, (select string_agg(($1::text[])[1 + floor(pow(random(), 2.5) * array_length($1::text[], 1))::int], ' ')
                      from generate_series(1, 8 + g % 30)) || '.' description
         from generate_series(1, 20000) g`,
      [WORDS],
    );
    await q(`create unique index on title_pool (i)`);
    await q(`create unique index on description_pool (i)`);
    await q(`analyze title_pool; analyze description_pool; analyze ids`);
    step('word pools');

    // The tickets: company 1 gets every (total/large)-th ticket, the others share the rest in turn,
    // so each company's rows are spread over the table as they would be after years of use.
    const every = large > 0 ? Math.max(2, Math.round(total / large)) : 0;
    await q(
      `with src as (
         select g,
                case when $2::int > 0 and g % $2::int = 0 then 1
                     else 1 + ($2::int > 0)::int + (g % ($1::int - ($2::int > 0)::int)) end tenant_id,
                now() - interval '3 years' * (1 - g::float8 / $3::int) created_at,
                random() rs, random() rp, random() ra, random() rk, random() rr
           from generate_series(1, $3::int) g),
       t as (
         select src.*, row_number() over (partition by tenant_id order by g) number,
                case when rs < 0.55 then 'closed' when rs < 0.70 then 'resolved' when rs < 0.82 then 'open'
                     when rs < 0.90 then 'in_progress' when rs < 0.94 then 'on_hold' when rs < 0.95 then 'new'
                     when rs < 0.98 then 'pending_approval' else 'rejected' end status
           from src)
       insert into tickets (tenant_id, number, kind, title, description, category_id, priority, status, requester_id,
                            created_by_id, assignee_id, team_id, department_id, source, created_at, updated_at,
                            resolved_at, closed_at)
       select t.tenant_id, t.number,
              case when rk < 0.5 then 'incident' when rk < 0.85 then 'request' when rk < 0.95 then 'work_order' else 'supply' end,
              tp.title,
              dp.description || case when (t.g::bigint * 7919) % 100 < 5 then ' ' || ($4::text[])[1 + (t.g / 100) % array_length($4::text[], 1)] else '' end,
              ids.cats[1 + t.g % 8],
              case when rp < 0.25 then 'low' when rp < 0.70 then 'medium' when rp < 0.92 then 'high' else 'urgent' end,
              t.status,
              ids.users[10 + t.g % 11], ids.users[10 + t.g % 11],
              case when t.status in ('new', 'pending_approval') or ra < 0.15 then null else ids.users[4 + (t.g / 7) % 6] end,
              ids.teams[1 + (t.g / 3) % 3],
              ids.user_departments[10 + t.g % 11],
              case when rk < 0.7 then 'web' when rk < 0.9 then 'email' else 'portal' end,
              t.created_at, t.created_at + interval '2 days',
              case when t.status in ('resolved', 'closed') then t.created_at + interval '1 day' end,
              case when t.status = 'closed' then t.created_at + interval '2 days' end
         from t
         join ids on ids.tenant_id = t.tenant_id
         join title_pool tp on tp.i = 1 + (t.g::bigint * 2654435761) % 20000
         join description_pool dp on dp.i = 1 + (t.g::bigint * 40503 + 17) % 20000
        order by t.g`,
      [companies, every, total, RARE_WORDS],
    );
    step(`${total} tickets`);
    await q(`insert into ticket_counters (tenant_id, last) select tenant_id, max(number) from tickets group by tenant_id`);
    await q(
      `insert into ticket_history (tenant_id, ticket_id, actor_id, actor_name, at, event)
       select tenant_id, id, created_by_id, 'Bench', created_at, 'created' from tickets order by id`,
    );
    step('history');
    await q(
      `insert into ticket_comments (tenant_id, ticket_id, author_id, author_name, body, internal, created_at)
       select t.tenant_id, t.id, t.assignee_id, 'Bench', dp.description, t.id % 10 = 0, t.created_at + interval '3 hours'
         from tickets t join description_pool dp on dp.i = 1 + (t.id * 7 + 3) % 20000
        where t.id % $1::int = 0 order by t.id`,
      [commentEvery],
    );
    step('comments');
    await finishLoad();
    const { rows } = await q(
      `select (select count(*) from companies) companies, (select count(*) from users) users,
              (select count(*) from tickets) tickets, (select count(*) from tickets where tenant_id = 1) company1,
              (select count(*) from tickets where tenant_id = 2) company2, (select count(*) from ticket_comments) comments,
              (select count(*) from ticket_history) history, pg_size_pretty(pg_database_size(current_database())) size`,
    );
    process.stderr.write(`${JSON.stringify(rows[0])}\n`);
    process.stderr.write(`generated in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  } finally {
    await client.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  generate(process.env.BENCH_DATABASE_URL || DEFAULT_TICKETS_URL).then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
