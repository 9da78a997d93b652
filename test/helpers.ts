// Small helpers the HTTP and service suites share: raw row snapshots (owner connection, no RLS),
// the outbox, links out of mails, and the list of every table that carries a tenant_id.
import type { Harness } from './harness.js';

/** Tables with a tenant_id column, found in the catalogue so new tables are covered automatically. */
export async function tenantTables(h: Harness): Promise<string[]> {
  const { rows } = await h.deps.database.query<{ table_name: string }>(
    `select c.table_name from information_schema.columns c
       join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
      order by c.table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Every row of one company in every tenant table (and its companies row), as comparable JSON. */
export async function snapshot(h: Harness, tenantId: number, opts: { skip?: string[] } = {}): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const skip = new Set(opts.skip ?? []);
  for (const table of await tenantTables(h)) {
    if (skip.has(table)) continue;
    const { rows } = await h.deps.database.query<{ x: unknown }>(
      `select to_jsonb(t) as x from "${table}" t where tenant_id = $1 order by to_jsonb(t)::text`,
      [tenantId],
    );
    out[table] = rows.map((r) => r.x);
  }
  const { rows } = await h.deps.database.query<{ x: unknown }>('select to_jsonb(c) as x from companies c where id = $1', [tenantId]);
  out.companies = rows.map((r) => r.x);
  return out;
}

export interface OutboxRow {
  id: number;
  tenant_id: number | null;
  to: string;
  subject: string;
  text: string;
  template: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

export async function outbox(h: Harness, filter: { to?: string; tenantId?: number } = {}): Promise<OutboxRow[]> {
  const { rows } = await h.deps.database.query<OutboxRow>(
    `select id::int, tenant_id::int, "to", subject, text, template, status, attempts, last_error from mail_outbox
      where ($1::text is null or lower("to") = lower($1)) and ($2::bigint is null or tenant_id = $2) order by id`,
    [filter.to ?? null, filter.tenantId ?? null],
  );
  return rows;
}

/** The token of the first link with this path in a mail text, e.g. linkToken(text, '/invitation'). */
export function linkToken(text: string, pathName: string): string {
  const m = new RegExp(`${pathName.replace(/[/]/g, '\\/')}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no ${pathName} link in: ${text}`);
  return m[1];
}

export async function count(h: Harness, sqlText: string, values: unknown[] = []): Promise<number> {
  const { rows } = await h.deps.database.query<Record<string, number | string>>(sqlText, values);
  if (rows.length !== 1) throw new Error(`count: expected one row from ${sqlText}`);
  return Number(Object.values(rows[0])[0]);
}

/** Fills :params of a route with values; throws when one is missing. */
export function fillPath(url: string, values: Record<string, string | number>): string {
  return url.replace(/:([A-Za-z_]+)/g, (_m, name: string) => {
    if (values[name] === undefined) throw new Error(`no value for :${name} in ${url}`);
    return encodeURIComponent(String(values[name]));
  });
}

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn returns a truthy value or the time is up. */
export async function eventually<T>(fn: () => Promise<T>, timeoutMs = 10_000, stepMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await fn();
  while (!last && Date.now() < end) {
    await sleep(stepMs);
    last = await fn();
  }
  return last;
}

/** Every (method, path) in Fastify's printRoutes tree, HEAD twins left out: a cross-check of the collected list. */
export function printedRoutes(h: Harness): Array<{ method: string; url: string }> {
  const out: Array<{ method: string; url: string }> = [];
  const stack: string[] = [];
  for (const line of h.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    if (!m[3]) continue;
    for (const method of m[3].split(', ')) if (method !== 'HEAD') out.push({ method, url: stack.join('') });
  }
  return out;
}
