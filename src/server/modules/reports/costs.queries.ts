// The cost report's SQL. Every cost is a "fact" of one of three sources, read from the period's
// rows by indexes that lead with tenant_id and the date (time_entries_tenant_spent_idx,
// stock_movements_tenant_consumed_idx, purchase_order_receipts_tenant_at_idx,
// purchase_orders_tenant_finalized_idx):
//   labour    time entries: minutes / 60 × the entry's rate, charged to the ticket's department, cost
//             code, location, category and assets, and to the person who worked;
//   parts     consumption: −quantity × the movement's unit cost (else the part's), charged like the
//             ticket it was used on (parts used without a ticket: to the store's location);
//   purchases PO lines net of tax: received quantity (per receipt, dated by it) or ordered quantity
//             (dated by finalisation), charged to the line's department and cost code, a receipt's
//             location, and the assets a receipt registered.
// Each fact is rounded half-up to cents, then summed exactly in numeric; the grand total is the
// `()` grouping set of the same query, so rows always add up to it.
import { type SQL, sql } from 'drizzle-orm';
import type { CostGroup, CostSource } from '../../../shared/contracts/reports.js';
import { NONE_KEY } from '../../../shared/contracts/reports.js';
import type { Tx } from '../../platform/db.js';

/** Rows of a raw query, on node-postgres and PGlite alike. */
export async function rowsOf<T>(tx: Tx, query: SQL): Promise<T[]> {
  return ((await tx.execute(query)) as unknown as { rows: T[] }).rows;
}

/** A Postgres array literal of ids, sent as one parameter. */
export const idArray = (ids: number[]) => `{${ids.map((i) => Math.trunc(i)).join(',')}}`;

export interface CostScope {
  tenantId: number;
  start: Date;
  end: Date;
  zone: string;
  purchases: 'received' | 'ordered';
}

/**
 * A slice of one source for exports: its lines before a cursor, newest first, at most `limit` — put
 * inside that source's arm, where (date, id) < cursor and the order match its date index.
 */
export interface FactWindow {
  source: CostSource;
  before: [string, string] | null;
  limit: number;
}

/** The period's facts: one row per cost line with its dimensions. */
function facts(s: CostScope, window?: FactWindow): SQL {
  const t = s.tenantId;
  const received = s.purchases === 'received';
  const from = sql`${s.start.toISOString()}::timestamptz`;
  const to = sql`${s.end.toISOString()}::timestamptz`;
  const arms: Array<{ source: CostSource; on: boolean; at: SQL; id: SQL; body: SQL }> = [
    {
      source: 'labour',
      on: true,
      at: sql`te.spent_on`,
      id: sql`te.id`,
      body: sql`select 'labour'::text as source, te.id, te.spent_on as at,
           round(te.minutes::numeric * coalesce(te.rate, 0) / 60, 2) as amount,
           te.ticket_id, tk.number as ticket_number, tk.department_id, tk.cost_code, tk.location_id,
           te.user_id as person_id, tk.category_id, null::jsonb as asset_ids,
           coalesce(nullif(te.note, ''), 'Labour') as description, te.minutes::numeric as quantity, null::bigint as po_id
      from time_entries te
      join tickets tk on tk.tenant_id = te.tenant_id and tk.id = te.ticket_id
     where te.tenant_id = ${t} and te.spent_on >= ${from} and te.spent_on < ${to}`,
    },
    {
      source: 'parts',
      on: true,
      at: sql`m.at`,
      id: sql`m.id`,
      body: sql`select 'parts'::text as source, m.id, m.at, round(-m.quantity * coalesce(m.unit_cost, p.unit_cost), 2) as amount,
           m.ticket_id, tk.number as ticket_number, tk.department_id, tk.cost_code, coalesce(tk.location_id, m.location_id) as location_id,
           m.actor_id as person_id, tk.category_id, null::jsonb as asset_ids,
           p.sku || ' ' || p.name as description, -m.quantity as quantity, null::bigint as po_id
      from stock_movements m
      join parts p on p.tenant_id = m.tenant_id and p.id = m.part_id
      left join tickets tk on tk.tenant_id = m.tenant_id and tk.id = m.ticket_id
     where m.tenant_id = ${t} and m.type = 'consume' and m.at >= ${from} and m.at < ${to}`,
    },
    {
      source: 'purchases',
      on: received,
      at: sql`r.at`,
      id: sql`r.id`,
      body: sql`select 'purchases'::text as source, r.id, r.at, round(r.quantity * l.unit_price, 2) as amount,
           null::bigint as ticket_id, null::integer as ticket_number, l.department_id, l.cost_code, r.location_id,
           null::bigint as person_id, null::bigint as category_id, r.asset_ids,
           l.description, r.quantity, l.purchase_order_id as po_id
      from purchase_order_receipts r
      join purchase_order_lines l on l.tenant_id = r.tenant_id and l.id = r.line_id
     where r.tenant_id = ${t} and r.at >= ${from} and r.at < ${to}`,
    },
    {
      source: 'purchases',
      on: !received,
      at: sql`po.finalized_at`,
      id: sql`l.id`,
      body: sql`select 'purchases'::text as source, l.id, po.finalized_at as at, round(l.quantity * l.unit_price, 2) as amount,
           null::bigint as ticket_id, null::integer as ticket_number, l.department_id, l.cost_code, null::bigint as location_id,
           null::bigint as person_id, null::bigint as category_id, null::jsonb as asset_ids,
           l.description, l.quantity, po.id as po_id
      from purchase_orders po
      join purchase_order_lines l on l.tenant_id = po.tenant_id and l.purchase_order_id = po.id
     where po.tenant_id = ${t} and po.finalized_at >= ${from} and po.finalized_at < ${to}
       and po.status <> 'cancelled'`,
    },
  ];
  const used = arms.filter((a) => a.on && (!window || a.source === window.source));
  const parts = used.map((a) => {
    if (!window) return sql`${a.body}`;
    const before = window.before ? sql` and (${a.at}, ${a.id}) < (${window.before[0]}::timestamptz, ${window.before[1]}::bigint)` : sql``;
    return sql`(${a.body}${before} order by ${a.at} desc, ${a.id} desc limit ${window.limit})`;
  });
  return sql`(${sql.join(parts, sql` union all `)})`;
}

/**
 * Facts with the key of the grouping. For assets a fact is split evenly over the assets it is charged
 * to (the first asset takes the leftover cents), so the rows still add up to the total.
 */
function keyed(s: CostScope, groupBy: Exclude<CostGroup, 'location'>, window?: FactWindow): SQL {
  const none = NONE_KEY;
  if (groupBy === 'asset') {
    return sql`(
      select f.source, f.id, f.at, f.description, f.quantity, f.ticket_number, f.po_id, f.person_id,
             coalesce(a.asset_id::text, ${none}) as k,
             trunc(f.amount / count(*) over w, 2)
               + case when row_number() over wo = 1 then f.amount - trunc(f.amount / count(*) over w, 2) * count(*) over w else 0 end as amount
        from ${facts(s, window)} f
        left join lateral (
          select ta.asset_id from ticket_assets ta where ta.tenant_id = ${s.tenantId} and ta.ticket_id = f.ticket_id
          union all
          select e::bigint from jsonb_array_elements_text(coalesce(f.asset_ids, '[]'::jsonb)) e
        ) a on true
      window w as (partition by f.source, f.id), wo as (partition by f.source, f.id order by a.asset_id)
    )`;
  }
  const key: Record<typeof groupBy, SQL> = {
    department: sql`f.department_id::text`,
    costCode: sql`nullif(f.cost_code, '')`,
    technician: sql`f.person_id::text`,
    category: sql`f.category_id::text`,
    month: sql`to_char(f.at at time zone ${s.zone}, 'YYYY-MM')`,
  };
  return sql`(
    select f.source, f.id, f.at, f.description, f.quantity, f.ticket_number, f.po_id, f.person_id,
           coalesce(${key[groupBy]}, ${none}) as k, f.amount
      from ${facts(s, window)} f
  )`;
}

/**
 * Location roll-up: facts keyed by the child of `parent` (a top-level location when null) whose
 * subtree holds their location; facts at `parent` itself keep its key; at the top level, facts with
 * no location are "none". Below a parent only its subtree's facts are read.
 */
function keyedByLocation(s: CostScope, parent: { id: number; path: string } | null, window?: FactWindow): SQL {
  const t = s.tenantId;
  const none = NONE_KEY;
  const inScope = parent ? sql`fl.path like ${`${parent.path}%`}` : sql`true`;
  return sql`(
    select f.source, f.id, f.at, f.description, f.quantity, f.ticket_number, f.po_id, f.person_id, f.amount,
           coalesce(c.id::text, ${parent ? String(parent.id) : none}) as k
      from ${facts(s, window)} f
      left join locations fl on fl.tenant_id = ${t} and fl.id = f.location_id
      left join locations c on c.tenant_id = ${t} and fl.id is not null
            and ${parent ? sql`c.parent_id = ${parent.id}` : sql`c.parent_id is null`}
            and fl.path like c.path || '%'
     where ${parent ? inScope : sql`true`}
  )`;
}

function keyedFor(s: CostScope, groupBy: CostGroup, parent: { id: number; path: string } | null, window?: FactWindow): SQL {
  return groupBy === 'location' ? keyedByLocation(s, parent, window) : keyed(s, groupBy, window);
}

export interface CostSums {
  key: string | null;
  labour: string;
  parts: string;
  purchases: string;
  total: string;
}

/** The rows of a grouping and, as the row with a null key, their total. */
export async function costSums(tx: Tx, s: CostScope, groupBy: CostGroup, parent: { id: number; path: string } | null): Promise<CostSums[]> {
  return rowsOf<CostSums>(
    tx,
    sql`
    select case when grouping(k) = 1 then null else k end as key,
           coalesce(sum(amount) filter (where source = 'labour'), 0)::text as labour,
           coalesce(sum(amount) filter (where source = 'parts'), 0)::text as parts,
           coalesce(sum(amount) filter (where source = 'purchases'), 0)::text as purchases,
           coalesce(sum(amount), 0)::text as total
      from ${keyedFor(s, groupBy, parent)} x
     group by grouping sets ((k), ())`,
  );
}

/** The aggregate's dimension for each grouping (months are summed from any one dimension). */
const AGG_DIM: Record<CostGroup, string> = {
  department: 'department',
  costCode: 'costCode',
  location: 'location',
  technician: 'technician',
  category: 'category',
  asset: 'asset',
  month: 'department',
};

/**
 * costSums from cost_daily (the maintained aggregate, migrations 0035–0036, 0039): the period's days of one
 * dimension, a few thousand rows a year whatever the number of lines. Same rows and totals as the
 * line query, exactly (each line is rounded to cents before it is added, in both; by asset each share
 * truncated to cents and the leftover on the first asset, in both).
 */
export async function costSumsFromAggregate(
  tx: Tx,
  s: CostScope & { from: string; to: string },
  groupBy: CostGroup,
  parent: { id: number; path: string } | null,
): Promise<CostSums[]> {
  const t = s.tenantId;
  const none = NONE_KEY;
  const purchases = s.purchases === 'received' ? 'received' : 'ordered';
  const days = sql`select c.source, c.day, c.key, c.amount from cost_daily c
     where c.tenant_id = ${t} and c.dim = ${AGG_DIM[groupBy]} and c.day >= ${s.from}::date and c.day <= ${s.to}::date
       and c.source in ('labour', 'parts', ${purchases})`;
  let keyed: SQL;
  if (groupBy === 'month') {
    keyed = sql`select d.source, to_char(d.day, 'YYYY-MM') as k, d.amount from (${days}) d`;
  } else if (groupBy === 'location') {
    // The roll-up of keyedByLocation, over the aggregate's location keys instead of the lines: the
    // period's days summed per location first, so the tree is matched once per location, not per day.
    keyed = sql`select d.source, d.amount, coalesce(c.id::text, ${parent ? String(parent.id) : none}) as k
      from (select x.source, x.key, sum(x.amount) as amount from (${days}) x group by x.source, x.key) d
      left join locations fl on fl.tenant_id = ${t} and fl.id = nullif(d.key, '')::bigint
      left join locations c on c.tenant_id = ${t} and fl.id is not null
            and ${parent ? sql`c.parent_id = ${parent.id}` : sql`c.parent_id is null`}
            and fl.path like c.path || '%'
     where ${parent ? sql`fl.path like ${`${parent.path}%`}` : sql`true`}`;
  } else {
    keyed = sql`select d.source, case when d.key = '' then ${none} else d.key end as k, d.amount from (${days}) d`;
  }
  return rowsOf<CostSums>(
    tx,
    sql`
    select case when grouping(k) = 1 then null else k end as key,
           coalesce(sum(amount) filter (where source = 'labour'), 0)::text as labour,
           coalesce(sum(amount) filter (where source = 'parts'), 0)::text as parts,
           coalesce(sum(amount) filter (where source in ('received', 'ordered')), 0)::text as purchases,
           coalesce(sum(amount), 0)::text as total
      from (${keyed}) x
     group by grouping sets ((k), ())`,
  );
}

/** Rebuilds a company's cost aggregate from its lines (a zone change does it by trigger); the rows written. */
export async function rebuildCostAggregate(tx: Tx, tenantId: number): Promise<number> {
  const [r] = await rowsOf<{ n: number | string }>(tx, sql`select cost_daily_rebuild(${tenantId}) as n`);
  return Number(r?.n ?? 0);
}

/** Companies (one by slug, or all) whose cost aggregate a rebuild covers, by id. */
export async function companiesToRebuild(tx: Tx, slug: string | undefined): Promise<Array<{ id: number; slug: string }>> {
  const rows = await rowsOf<{ id: string | number; slug: string }>(
    tx,
    sql`select id, slug from companies where ${slug === undefined ? sql`true` : sql`slug = ${slug}`} order by id`,
  );
  return rows.map((r) => ({ id: Number(r.id), slug: r.slug }));
}

/** Turns the aggregate's triggers off for the rest of this transaction (a restore: it rebuilds at the end). */
export async function pauseCostAggregate(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('steward.cost_daily', 'off', true)`);
}

/** Turns them back on (before the rebuild of a restore, so later writes of the transaction count). */
export async function resumeCostAggregate(tx: Tx): Promise<void> {
  await tx.execute(sql`select set_config('steward.cost_daily', 'on', true)`);
}

export interface CostLineRow {
  source: CostSource;
  id: string;
  at: Date;
  amount: string;
  description: string;
  quantity: string | null;
  ticket_number: number | null;
  po_id: string | null;
  po_number: string | null;
  person: string | null;
}

/** The lines behind one row (or, with key undefined, every line), newest first, a page at a time. */
export async function costLines(
  tx: Tx,
  s: CostScope,
  groupBy: CostGroup,
  parent: { id: number; path: string } | null,
  key: string | undefined,
  limit: number,
  after: [string, string, string] | null,
  source?: CostSource,
): Promise<CostLineRow[]> {
  const t = s.tenantId;
  const conds: SQL[] = [sql`true`];
  if (key !== undefined) conds.push(sql`x.k = ${key}`);
  // Every line of one source (an export): the cursor and the limit go inside that source's arm of the
  // union, which reads its date index backwards from the cursor; one page costs its own rows only.
  // (A fact split over assets, or a key to filter by, is cut after the arm: the general query below.)
  const window: FactWindow | undefined =
    source && key === undefined && groupBy !== 'asset' ? { source, before: after ? [after[0], after[2]] : null, limit } : undefined;
  if (source) {
    conds.push(sql`x.source = ${source}`);
    if (after) conds.push(sql`(x.at < ${after[0]}::timestamptz or (x.at = ${after[0]}::timestamptz and x.id < ${after[2]}::bigint))`);
  } else if (after) {
    conds.push(sql`(x.at, x.source, x.id) < (${after[0]}::timestamptz, ${after[1]}, ${after[2]}::bigint)`);
  }
  const rows = await rowsOf<CostLineRow & { at: Date | string }>(
    tx,
    sql`
    select x.source, x.id::text as id, x.at, x.amount::text as amount, x.description, x.quantity::text as quantity,
           x.ticket_number, x.po_id::text as po_id, po.number as po_number, u.name as person
      from ${keyedFor(s, groupBy, parent, window)} x
      left join purchase_orders po on po.tenant_id = ${t} and po.id = x.po_id
      left join users u on u.tenant_id = ${t} and u.id = x.person_id
     where ${sql.join(conds, sql` and `)}
     order by x.at desc, ${source ? sql`` : sql`x.source desc,`} x.id desc
     limit ${limit}`,
  );
  return rows.map((r) => ({ ...r, at: new Date(r.at) }));
}

/** Names for a grouping's keys (one query). */
export async function labelsOf(
  tx: Tx,
  tenantId: number,
  groupBy: CostGroup | 'status' | 'priority' | 'week',
  ids: number[],
): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const table: Partial<Record<string, SQL>> = {
    department: sql`select id::text as k, name from departments where tenant_id = ${tenantId} and id = any(${idArray(ids)}::bigint[])`,
    technician: sql`select id::text as k, name from users where tenant_id = ${tenantId} and id = any(${idArray(ids)}::bigint[])`,
    category: sql`select id::text as k, name from categories where tenant_id = ${tenantId} and id = any(${idArray(ids)}::bigint[])`,
    location: sql`select id::text as k, name from locations where tenant_id = ${tenantId} and id = any(${idArray(ids)}::bigint[])`,
    asset: sql`select id::text as k, tag || ' ' || name as name from assets where tenant_id = ${tenantId} and id = any(${idArray(ids)}::bigint[])`,
  };
  const q = table[groupBy];
  if (!q) return new Map();
  const rows = await rowsOf<{ k: string; name: string }>(tx, q);
  return new Map(rows.map((r) => [r.k, r.name]));
}

/** A location and its place in the tree (for the roll-up's parent). */
export async function locationNode(
  tx: Tx,
  tenantId: number,
  id: number,
): Promise<{ id: number; name: string; path: string; parentId: number | null } | null> {
  const [r] = await rowsOf<{ id: string | number; name: string; path: string; parent_id: string | number | null }>(
    tx,
    sql`select id, name, path, parent_id from locations where tenant_id = ${tenantId} and id = ${id}`,
  );
  return r ? { id: Number(r.id), name: r.name, path: r.path, parentId: r.parent_id === null ? null : Number(r.parent_id) } : null;
}

/** Which of these locations have sub-locations. */
export async function locationsWithChildren(tx: Tx, tenantId: number, ids: number[]): Promise<Set<number>> {
  if (!ids.length) return new Set();
  const rows = await rowsOf<{ parent_id: string | number }>(
    tx,
    sql`select distinct parent_id from locations where tenant_id = ${tenantId} and parent_id = any(${idArray(ids)}::bigint[])`,
  );
  return new Set(rows.map((r) => Number(r.parent_id)));
}
