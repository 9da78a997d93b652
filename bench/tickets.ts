// Ticket list, full-text search and creation at 1,000,000 tickets on PostgreSQL, each beside the
// raw SQL doing the same work through `pg` directly.
//
//   node --import tsx bench/tickets-generate.ts   # once: the data set (a few minutes)
//   node --import tsx bench/tickets.ts            # the measurements (about 10 minutes)
//
// This process runs Steward in-process with start(config) on 127.0.0.1 and port 0. The HTTP load
// comes from a child process (bench/load.ts with `--load`, shared with the asset benchmark): a closed loop per connection over
// keep-alive sockets that times every request, so p50/p95/p99 are exact, not histogram buckets.
// The raw-SQL passes run here with a pg pool of the same size, while Steward is idle; each does
// what one request does in one transaction that sets app.tenant_id and the role steward_app, as
// withTenant() does. The statements Steward sends for the list and the searches are captured once
// and run again under EXPLAIN (ANALYZE, BUFFERS) in a tenant transaction; the plans go to
// BENCH_PLANS and their key lines to stderr. Each row also reports the CPU time per request of this
// process and of the database's backends (/proc), which a busy machine distorts far less than latency.
// "proposal" rows measure, as raw SQL, the fixes suggested in docs/PERFORMANCE.md: a fixed join order
// (join_collapse_limit = 1) and a SECURITY DEFINER text-match function, created in the bench database.
//
// Environment (all optional):
//   BENCH_DATABASE_URL        the generated database (default postgres://postgres@127.0.0.1:5432/steward_bench_tickets)
//   BENCH_DURATION            seconds per read scenario (default 10)
//   BENCH_CREATE_DURATION     seconds per create scenario (default 10)
//   BENCH_WARMUP              seconds of discarded load before each scenario (default 2)
//   BENCH_CONNECTIONS         comma list of connection counts for reads; each read scenario runs
//                             at each (default 1,4)
//   BENCH_CREATE_CONNECTIONS  connections for creates (default 8)
//   BENCH_PLANS               file for the EXPLAIN output (default /tmp/steward-ticket-plans.txt)
//   BENCH_JSON                also write the raw results to this file
//   BENCH_PROPOSAL            0 = skip the proposal rows
//   BENCH_ONLY                comma list of scenario ids to run (default all)
//   BENCH_RAW                 0 skips the raw-SQL rows (to profile Steward alone)
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  assertLoopback,
  capture,
  closedLoop,
  cpuPerRequest,
  cpuSnapshot,
  ENTER_TENANT as ENTER_TENANT_FIXED_JOIN_ORDER,
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
import { BENCH_PASSWORD, DEFAULT_TICKETS_URL } from './tickets-generate.js';

// ---------------------------------------------------------------------------------------------
// Raw SQL: what one request does, through pg, in a tenant transaction like withTenant().

/** The planner's own join order; withTenant() fixes the written order (ENTER_TENANT_FIXED_JOIN_ORDER, the "proposal" rows). */
const ENTER_TENANT = `select set_config('app.tenant_id', $1, true), set_config('role', 'steward_app', true)`;

/** The list's select: the ticket and the names shown beside its ids (tickets.repo selectTickets). */
const LIST_SELECT = `select t.*, rq.id, rq.name, a.id, a.name, a.color, cr.id, cr.name, c.id, c.name, tm.id, tm.name, p.id, p.name, d.id, d.name
  from tickets t
  left join users rq on rq.tenant_id = t.tenant_id and rq.id = t.requester_id
  left join users a on a.tenant_id = t.tenant_id and a.id = t.assignee_id
  left join users cr on cr.tenant_id = t.tenant_id and cr.id = t.created_by_id
  left join categories c on c.tenant_id = t.tenant_id and c.id = t.category_id
  left join teams tm on tm.tenant_id = t.tenant_id and tm.id = t.team_id
  left join projects p on p.tenant_id = t.tenant_id and p.id = t.project_id
  left join departments d on d.tenant_id = t.tenant_id and d.id = t.department_id`;

export const RAW_LIST = `${LIST_SELECT}
 where t.tenant_id = $1 and t.status = any($2::text[]) and t.priority = any($3::text[]) and t.archived_at is null
 order by t.id desc limit 51`;

export const RAW_SEARCH = `${LIST_SELECT}
 where t.tenant_id = $1 and t.archived_at is null
   and (t.search @@ websearch_to_tsquery('simple', $2) or t.title ilike $3
        or exists (select 1 from ticket_comments x where x.tenant_id = t.tenant_id and x.ticket_id = t.id
                   and x.search @@ websearch_to_tsquery('simple', $2)))
 order by t.id desc limit 51`;

/**
 * A proposal, not Steward's code: the text match done by a SECURITY DEFINER function (owned by the
 * schema owner, so row-level security does not stop `@@` and `ilike` from using the GIN indexes),
 * for the company of app.tenant_id only, newest first, each of the three matches with its own
 * limit so the planner picks an index walk for a common word and a bitmap for a rare one.
 * BENCH_PROPOSAL=0 skips it; otherwise it is created in the bench database.
 */
export const PROPOSED_MATCH_FUNCTION = `
create or replace function bench_ticket_match(q text, with_internal boolean, before_id bigint, n int) returns setof bigint
language plpgsql stable security definer rows 51 set search_path = public as $f$
declare
  tenant bigint := nullif(current_setting('app.tenant_id', true), '')::bigint;
  like_q text := '%' || replace(replace(replace(q, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%';
begin
  if tenant is null then return; end if;
  return query execute $q$
    select id from (
      (select t.id from tickets t where t.tenant_id = $1 and t.id < $4 and t.search @@ websearch_to_tsquery('simple', $2) order by t.id desc limit $5)
      union
      (select t.id from tickets t where t.tenant_id = $1 and t.id < $4 and t.title ilike $3 order by t.id desc limit $5)
      union
      (select c.ticket_id from ticket_comments c where c.tenant_id = $1 and c.ticket_id < $4 and c.search @@ websearch_to_tsquery('simple', $2)
          and ($6 or not c.internal) order by c.ticket_id desc limit $5)
    ) u order by id desc limit $5 $q$
  using tenant, q, like_q, before_id, n, with_internal;
end $f$;
grant execute on function bench_ticket_match(text, boolean, bigint, int) to steward_app;`;

export const RAW_SEARCH_PROPOSED = `${LIST_SELECT}
 where t.tenant_id = $1 and t.archived_at is null and t.id = any(array(select bench_ticket_match($2, true, 9223372036854775807, 51)))
 order by t.id desc limit 51`;

interface Company {
  id: number;
  managerId: number;
  managerName: string;
  categoryId: number;
  teamId: number;
  assigneeId: number;
  cookie: string;
  csrf: string;
}

/** One ticket as POST /api/v1/tickets makes it for a manager, in the fewest statements that write the
 * same rows: the category, team and recipients read; number, ticket (routed), two history rows; the
 * notifications with their e-mails; commit; then the live pushes (NOTIFY after commit). */
async function rawCreate(client: pg.PoolClient, co: Company, title: string, description: string, enter = ENTER_TENANT): Promise<void> {
  const t = co.id;
  const pushes = await inTenant(
    client,
    t,
    async () => {
      const [facts] = (
        await client.query(
          `select c.default_team_id as team_id,
                  (select json_agg(json_build_object('id', u.id, 'email', u.email)) from users u
                    where u.tenant_id = $1 and u.status = 'active' and u.id <> $3
                      and (u.id = $4 or u.id in (select m.user_id from team_members m where m.tenant_id = $1 and m.team_id = c.default_team_id))) as people
             from categories c where c.tenant_id = $1 and c.id = $2 and c.active`,
          [t, co.categoryId, co.managerId, co.assigneeId],
        )
      ).rows;
      const [ticket] = (
        await client.query(
          `with n as (
             insert into ticket_counters (tenant_id, last) values ($1, 1) on conflict (tenant_id) do update set last = ticket_counters.last + 1 returning last),
           t as (
             insert into tickets (tenant_id, number, kind, title, description, category_id, priority, status, requester_id, created_by_id, assignee_id, team_id, department_id, source)
             select $1, n.last, 'incident', $2, $3, $4, 'high', 'open', $5, $5, $6, $7, u.department_id, 'web' from n, users u where u.tenant_id = $1 and u.id = $5
             returning *),
           h as (
             insert into ticket_history (tenant_id, ticket_id, actor_id, actor_name, event, field, before, after)
             select t.tenant_id, t.id, $5, $8, e.event, e.field, e.before, e.after
             from t, (values ('created', null, null::jsonb, null::jsonb), ('status_changed', 'status', '"new"'::jsonb, '"open"'::jsonb)) as e (event, field, before, after))
           select to_jsonb(t) - 'search' as t from t`,
          [t, title, description, co.categoryId, co.managerId, co.assigneeId, facts.team_id, co.managerName],
        )
      ).rows;
      const number = ticket.t.number as number;
      // ticket.created to the assignee and the team, ticket.assigned to the assignee; never to the actor.
      const people = (facts.people ?? []) as Array<{ id: number; email: string }>;
      const notes = [
        ...people.map((p) => ({ user_id: p.id, email: p.email, event: 'ticket.created', title: `#${number} created: ${title}` })),
        ...people.filter((p) => p.id === co.assigneeId).map((p) => ({ user_id: p.id, email: p.email, event: 'ticket.assigned', title: `#${number} assigned to you: ${title}` })),
      ];
      const { rows } = await client.query(
        `insert into notifications (tenant_id, user_id, event, ticket_number, title, body)
         select $1, x.user_id, x.event, $2, x.title, x.title from json_to_recordset($3::json) as x (user_id bigint, event text, title text) returning *`,
        [t, number, JSON.stringify(notes)],
      );
      await client.query(
        `insert into mail_outbox (tenant_id, "to", subject, text, html, template, status)
         select $1, x.email, x.title, x.title, x.title, x.event, 'kept' from json_to_recordset($2::json) as x (email text, event text, title text)`,
        [t, JSON.stringify(notes)],
      );
      return [...rows.map((r) => JSON.stringify(r)), JSON.stringify(ticket.t)];
    },
    enter,
  );
  await client.query(`select pg_notify('steward_bench', e.value) from json_array_elements_text($1::json) as e`, [JSON.stringify(pushes)]);
}

// ---------------------------------------------------------------------------------------------

interface Row {
  id: string;
  scenario: string;
  company: string;
  path: 'Steward HTTP' | 'raw SQL (pg)' | 'proposal (raw SQL)';
  connections: number;
  stats: Stats;
  /** CPU milliseconds per request: this process (Steward, or the pg driver for raw SQL) and the database's backends. */
  cpu: { node: number; pg: number | null };
}

function table(rows: Row[]): string {
  const lines = [
    '| Scenario | Company | Path | Conn. | req/s | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | n | CPU ms/req: Node | PostgreSQL |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const s = r.stats;
    lines.push(
      `| ${r.scenario} | ${r.company} | ${r.path} | ${r.connections} | ${s.rate.toFixed(0)} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} | ${s.count} | ${r.cpu.node.toFixed(2)} | ${r.cpu.pg === null ? '–' : r.cpu.pg.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_TICKETS_URL;
  assertLoopback(url);
  const DURATION = intEnv('BENCH_DURATION', 10, 1, 120);
  const CREATE_DURATION = intEnv('BENCH_CREATE_DURATION', 10, 1, 120);
  const WARMUP = intEnv('BENCH_WARMUP', 2, 0, 30);
  const CONNECTION_LIST = (process.env.BENCH_CONNECTIONS || '1,4').split(',').map((x) => Number(x.trim()));
  if (CONNECTION_LIST.some((n) => !Number.isInteger(n) || n < 1 || n > 64))
    throw new Error('BENCH_CONNECTIONS must be a comma list of integers from 1 to 64');
  const CONNECTIONS = Math.max(...CONNECTION_LIST);
  const CREATE_CONNECTIONS = intEnv('BENCH_CREATE_CONNECTIONS', 8, 1, 64);
  const PLANS = process.env.BENCH_PLANS || path.join(os.tmpdir(), 'steward-ticket-plans.txt');
  const PROPOSAL = process.env.BENCH_PROPOSAL !== '0';
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
  const started = Date.now();
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;

  // Two more than the loops hold, for the CPU snapshots and the checks taken while they run.
  const pool = new pg.Pool({ connectionString: url, max: Math.max(CONNECTIONS, CREATE_CONNECTIONS) + 2 });
  const { rows: info } = await pool.query(
    `select version() v, (select count(*) from tickets)::int tickets, (select count(*) from companies)::int companies,
            (select count(*) from ticket_comments)::int comments, pg_size_pretty(pg_database_size(current_database())) size,
            current_setting('shared_buffers') shared_buffers`,
  );
  if (PROPOSAL) await pool.query(PROPOSED_MATCH_FUNCTION);
  const dbInfo = `${String(info[0].v).split(' on ')[0]}, shared_buffers ${info[0].shared_buffers}; ${info[0].companies} companies, ${info[0].tickets} tickets, ${info[0].comments} comments, ${info[0].size}`;
  process.stderr.write(`${machine}\n${dbInfo}\n`);

  // Companies: 1 is the large one, 2 a typical one; 2..9 are used for the spread create run.
  const companies: Company[] = [];
  const { rows: cos } = await pool.query(
    `select c.id, m.id manager_id, m.name manager_name, k.id category_id, k.default_team_id team_id, tech.id assignee_id
       from companies c
       join users m on m.tenant_id = c.id and m.email = 'manager@company-' || c.id || '.test'
       join lateral (select id, default_team_id from categories where tenant_id = c.id order by id limit 1) k on true
       join lateral (select u.id from team_members tm join users u on u.tenant_id = tm.tenant_id and u.id = tm.user_id
                      where tm.tenant_id = c.id and tm.team_id = k.default_team_id order by u.id limit 1) tech on true
      where c.id <= $1 order by c.id`,
    [Math.max(2, CREATE_CONNECTIONS + 1)],
  );
  const countsByTenant = new Map<number, number>(
    (await pool.query(`select tenant_id, count(*)::int n from tickets where tenant_id <= 2 group by tenant_id`)).rows.map((r) => [
      Number(r.tenant_id),
      r.n,
    ]),
  );
  const label = (id: number) => `${id === 1 ? 'large' : 'typical'} (${countsByTenant.get(id) ?? '?'} tickets)`;

  let steward: Awaited<ReturnType<typeof startSteward>> | null = null;
  const rows: Row[] = [];
  const plans: string[] = [];
  const want = (id: string) => !only || only.has(id) || only.has(id.split(':')[0]);
  const push = (row: Row) => {
    rows.push(row);
    reportRow(row, 22);
  };
  try {
    steward = await startSteward(url);
    const base = steward.base;
    for (const co of cos) {
      companies.push({
        id: Number(co.id),
        managerId: Number(co.manager_id),
        managerName: co.manager_name,
        categoryId: Number(co.category_id),
        teamId: Number(co.team_id),
        assigneeId: Number(co.assignee_id),
        ...(await login(base, `manager@company-${co.id}.test`, BENCH_PASSWORD)),
      });
    }
    const techCookie = (await login(base, 'tech1@company-1.test', BENCH_PASSWORD)).cookie;
    const get = (cookie: string, p: string): Target => ({ path: p, method: 'GET', headers: { cookie } });
    const http1 = async (
      id: string,
      scenario: string,
      company: number,
      targets: Target[],
      connections: number | number[] = CONNECTION_LIST,
      duration = DURATION,
    ) => {
      for (const c of Array.isArray(connections) ? connections : [connections]) {
        const before = await cpuSnapshot(pool);
        const stats = await httpLoad({ base, connections: c, warmup: WARMUP, duration, targets });
        const cpu = cpuPerRequest(before, await cpuSnapshot(pool), stats.total);
        push({ id, scenario, company: label(company), path: 'Steward HTTP', connections: c, stats, cpu });
      }
    };
    const raw = async (
      id: string,
      scenario: string,
      company: number,
      one: (client: pg.PoolClient, conn: number) => Promise<void>,
      connections: number | number[] = CONNECTION_LIST,
      duration = DURATION,
    ) => {
      if (process.env.BENCH_RAW === '0') return;
      for (const n of Array.isArray(connections) ? connections : [connections]) {
        const clients = await Promise.all(Array.from({ length: n }, () => pool.connect()));
        try {
          const before = await cpuSnapshot(pool);
          const stats = await closedLoop(n, WARMUP, duration, async (conn) => {
            await one(clients[conn], conn);
            return null;
          });
          const cpu = cpuPerRequest(before, await cpuSnapshot(pool), stats.total);
          push({ id, scenario, company: label(company), path: 'raw SQL (pg)', connections: n, stats, cpu });
        } finally {
          for (const c of clients) c.release();
        }
      }
    };
    /** The statement Steward runs for a GET, captured, checked and explained. */
    const planOf = async (id: string, tenantId: number, cookie: string, p: string) => {
      const seen = await capture(async () => {
        const res = await fetch(`${base}${p}`, { headers: { cookie }, signal: AbortSignal.timeout(15_000) });
        if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${await res.text()}`);
        const body = (await res.json()) as { items: unknown[] };
        process.stderr.write(`  ${id}: ${p} → ${body.items.length} items\n`);
      });
      const stmt = seen.find((s) => /from "tickets"/.test(s.text) && /limit/i.test(s.text));
      if (!stmt) {
        // A search whose candidate function found nothing never runs the list statement.
        plans.push(`### ${id}: GET ${p} (company ${tenantId})\n\n(no list statement: no candidates)\n`);
        return;
      }
      const plan = await explain(pool, tenantId, stmt.text, stmt.values);
      plans.push(`### ${id}: GET ${p} (company ${tenantId})\n\n${stmt.text}\n-- values: ${JSON.stringify(stmt.values)}\n\n${plan}\n`);
      process.stderr.write(`${keyLines(plan)}\n`);
    };

    const LIST = '/api/v1/tickets?status=open,in_progress&priority=high&limit=50';
    const WORDS = { selective: 'zeolite', common: 'printer' };

    // (1) The filtered list.
    for (const co of [1, 2]) {
      const id = `list:${co}`;
      if (!want(id)) continue;
      const c = companies.find((x) => x.id === co) as Company;
      await planOf(`${id} manager`, co, c.cookie, LIST);
      await http1(id, 'list: open/in progress, high, 50 rows (manager)', co, [get(c.cookie, LIST)]);
      await raw(id, 'list: open/in progress, high, 50 rows (manager)', co, async (client) => {
        await inTenant(client, co, () => client.query(RAW_LIST, [co, ['open', 'in_progress'], ['high']]));
      });
      if (PROPOSAL) {
        plans.push(
          `### ${id} proposed: join_collapse_limit = 1 (raw SQL, company ${co})\n\n${await explain(pool, co, `/* join_collapse_limit = 1 */ ${RAW_LIST}`, [co, ['open', 'in_progress'], ['high']], ENTER_TENANT_FIXED_JOIN_ORDER)}\n`,
        );
        await raw(id, 'list: open/in progress, high, 50 rows (manager)', co, async (client) => {
          await inTenant(client, co, () => client.query(RAW_LIST, [co, ['open', 'in_progress'], ['high']]), ENTER_TENANT_FIXED_JOIN_ORDER);
        });
        for (const r of rows.filter((x) => x.id === id && x.path === 'raw SQL (pg)').slice(-CONNECTION_LIST.length))
          r.path = 'proposal (raw SQL)';
      }
    }
    if (want('list-tech:1')) {
      await planOf('list-tech:1 technician', 1, techCookie, LIST);
      await http1('list-tech:1', 'list: same filters, as a technician (assigned + team visibility)', 1, [get(techCookie, LIST)]);
    }
    if (want('list-page2:1')) {
      // The next page: keyset cursor from the first one.
      const c = companies[0];
      const first = (await (await fetch(`${base}${LIST}`, { headers: { cookie: c.cookie } })).json()) as { nextCursor: string | null };
      if (first.nextCursor) {
        const p = `${LIST}&cursor=${encodeURIComponent(first.nextCursor)}`;
        await planOf('list-page2:1 manager', 1, c.cookie, p);
        await http1('list-page2:1', 'list: second page (keyset cursor)', 1, [get(c.cookie, p)]);
      }
    }

    // (2) Full-text search.
    for (const [kind, word] of Object.entries(WORDS)) {
      for (const co of [1, 2]) {
        const id = `search-${kind}:${co}`;
        if (!want(id)) continue;
        const c = companies.find((x) => x.id === co) as Company;
        const p = `/api/v1/tickets?q=${word}&limit=50`;
        await planOf(`${id} manager`, co, c.cookie, p);
        await http1(id, `search: ${kind} word "${word}"`, co, [get(c.cookie, p)]);
        await raw(id, `search: ${kind} word "${word}"`, co, async (client) => {
          await inTenant(client, co, () => client.query(RAW_SEARCH, [co, word, `%${word}%`]));
        });
        if (PROPOSAL) {
          // Same rows as Steward's answer, checked before it is timed.
          const check = await pool.connect();
          try {
            const ids = (text: string, values: unknown[]) =>
              inTenant(check, co, async () =>
                (await check.query({ text, values, rowMode: 'array' })).rows.map((r) => String(r[1])).join(','),
              );
            const [current, proposed] = [await ids(RAW_SEARCH, [co, word, `%${word}%`]), await ids(RAW_SEARCH_PROPOSED, [co, word])];
            if (current !== proposed) throw new Error(`the proposed search returns other rows for "${word}" in company ${co}`);
            plans.push(
              `### ${id} proposed (raw SQL, company ${co})\n\n${await explain(pool, co, RAW_SEARCH_PROPOSED, [co, word], ENTER_TENANT_FIXED_JOIN_ORDER)}\n`,
            );
          } finally {
            check.release();
          }
          await raw(id, `search: ${kind} word "${word}"`, co, async (client) => {
            await inTenant(client, co, () => client.query(RAW_SEARCH_PROPOSED, [co, word]), ENTER_TENANT_FIXED_JOIN_ORDER);
          }).then(() => {
            for (const r of rows.filter((x) => x.id === id && x.path === 'raw SQL (pg)').slice(-CONNECTION_LIST.length))
              r.path = 'proposal (raw SQL)';
          });
        }
      }
    }

    // (3) Creation, with its history, notifications, mails and live pushes.
    const body = (co: Company, n: string) =>
      JSON.stringify({
        kind: 'incident',
        title: `Bench ${n}: printer on floor two keeps jamming`,
        description: 'The printer jams after a few pages; the paper tray was replaced last week. Please check the rollers.',
        categoryId: String(co.categoryId),
        priority: 'high',
        assigneeId: String(co.assigneeId),
      });
    const post = (co: Company, n: string): Target => ({
      path: '/api/v1/tickets',
      method: 'POST',
      headers: { cookie: co.cookie, 'x-csrf-token': co.csrf, 'content-type': 'application/json' },
      body: body(co, n),
    });
    if (want('create')) {
      // Round trips of one create, for the record.
      const c2 = companies.find((x) => x.id === 2) as Company;
      const seen = await capture(async () => {
        const res = await fetch(`${base}/api/v1/tickets`, {
          method: 'POST',
          headers: post(c2, 'probe').headers,
          body: post(c2, 'probe').body,
          signal: AbortSignal.timeout(15_000),
        });
        if (res.status !== 201) throw new Error(`POST /api/v1/tickets answered ${res.status}: ${await res.text()}`);
      });
      process.stderr.write(`  one POST /api/v1/tickets sends ${seen.length} statements (begin/commit included)\n`);
      plans.push(
        `### create: the ${seen.length} statements of one POST /api/v1/tickets\n\n${seen.map((s) => s.text.replace(/\s+/g, ' ').slice(0, 200)).join('\n')}\n`,
      );
      const spread = companies.filter((x) => x.id >= 2).slice(0, CREATE_CONNECTIONS);
      let n = 0;
      const title = () => `Bench raw ${++n}: printer on floor two keeps jamming`;
      const desc = 'The printer jams after a few pages; the paper tray was replaced last week. Please check the rollers.';
      await http1(
        'create:spread',
        `create: ${spread.length} companies, one connection each`,
        2,
        spread.map((co) => post(co, 'spread')),
        CREATE_CONNECTIONS,
        CREATE_DURATION,
      );
      rows[rows.length - 1].company = `${spread.length} typical companies`;
      await raw(
        'create:spread',
        `create: ${spread.length} companies, one connection each`,
        2,
        (client, conn) => rawCreate(client, spread[conn % spread.length], title(), desc),
        CREATE_CONNECTIONS,
        CREATE_DURATION,
      );
      rows[rows.length - 1].company = `${spread.length} typical companies`;
      if (PROPOSAL) {
        await raw(
          'create:spread',
          `create: ${spread.length} companies, one connection each`,
          2,
          (client, conn) => rawCreate(client, spread[conn % spread.length], title(), desc, ENTER_TENANT_FIXED_JOIN_ORDER),
          CREATE_CONNECTIONS,
          CREATE_DURATION,
        );
        rows[rows.length - 1].company = `${spread.length} typical companies`;
        rows[rows.length - 1].path = 'proposal (raw SQL)';
      }
      await http1('create:one', 'create: all connections in one company', 2, [post(c2, 'one')], CREATE_CONNECTIONS, CREATE_DURATION);
      await raw(
        'create:one',
        'create: all connections in one company',
        2,
        (client) => rawCreate(client, c2, title(), desc),
        CREATE_CONNECTIONS,
        CREATE_DURATION,
      );
    }
  } finally {
    await steward?.stop();
    await pool.end();
    writeFileSync(PLANS, plans.join('\n'));
  }
  console.log(
    `Machine: ${machine}\nDatabase: ${dbInfo}\nSettings: reads ${CONNECTION_LIST.join(' and ')} connections × ${DURATION} s, creates ${CREATE_CONNECTIONS} connections × ${CREATE_DURATION} s, after ${WARMUP} s warm-up each\n\n${table(rows)}\n`,
  );
  const bar = (id: string, ok: (s: Stats) => boolean, text: (s: Stats) => string) => {
    const r = rows.filter((x) => x.id.startsWith(id) && x.path === 'Steward HTTP');
    for (const x of r)
      console.log(`- ${x.scenario}, ${x.company}, ${x.connections} conn.: ${text(x.stats)} — ${ok(x.stats) ? 'met' : 'NOT met'}`);
  };
  bar(
    'list:',
    (s) => s.p99 < 50,
    (s) => `p99 ${fmt(s.p99)} ms (bar < 50 ms)`,
  );
  bar(
    'search-',
    (s) => s.p95 < 100,
    (s) => `p95 ${fmt(s.p95)} ms (bar < 100 ms)`,
  );
  bar(
    'create',
    (s) => s.rate >= 1000,
    (s) => `${s.rate.toFixed(0)} tickets/s (bar ≥ 1,000/s)`,
  );
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
