// All SQL of company backups and restores. Tables are named by the catalogue (never by a caller), and
// rows travel as JSON made and read by PostgreSQL itself (row_to_json / json_populate_recordset), so
// every type (numeric, bytea, arrays, ranges, timestamps to the microsecond) round-trips exactly.
import { type SQL, sql } from 'drizzle-orm';
import { APP_ROLE, type Tx } from '../../platform/db.js';

type Rows<R> = { rows: R[] };
const rowsOf = async <R>(tx: Tx, query: SQL): Promise<R[]> => ((await tx.execute(query)) as unknown as Rows<R>).rows;
const id = (name: string) => sql.identifier(name);

export interface ColumnInfo {
  name: string;
  type: string;
  generated: boolean;
  identity: boolean;
  nullable: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  /** Primary key columns in order (empty when there is none). */
  pk: string[];
  /** Single-column unique indexes that do not start with tenant_id (unique across the instance). */
  globalUnique: string[];
  /** Single-column foreign keys to tables keyed by id alone: column → referenced table. */
  globalRefs: Record<string, string>;
}

/** Every table of the public schema that holds company rows (tenant_id), plus companies; partitions left out. */
export async function companyTables(tx: Tx): Promise<TableInfo[]> {
  const cols = await rowsOf<{ t: string; c: string; type: string; gen: boolean; ident: boolean; nullable: boolean }>(
    tx,
    sql`select c.relname as t, a.attname as c, format_type(a.atttypid, a.atttypmod) as type, a.attgenerated <> '' as gen,
          a.attidentity <> '' as ident, not a.attnotnull as nullable
        from pg_class c join pg_namespace n on n.oid = c.relnamespace join pg_attribute a on a.attrelid = c.oid
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped
          and (c.relname = 'companies' or exists (select 1 from pg_attribute t where t.attrelid = c.oid and t.attname = 'tenant_id' and not t.attisdropped))
        order by c.relname, a.attnum`,
  );
  const keys = await rowsOf<{ t: string; cols: string[]; primary: boolean }>(
    tx,
    sql`select c.relname as t, x.indisprimary as primary,
          array(select a.attname::text from unnest(x.indkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.o) as cols
        from pg_index x join pg_class c on c.oid = x.indrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and x.indisunique and not c.relispartition and x.indexprs is null and x.indpred is null`,
  );
  const refs = await rowsOf<{ t: string; c: string; r: string }>(
    tx,
    sql`select c.relname as t, a.attname as c, r.relname as r
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.conkey[1]
        where k.contype = 'f' and k.connamespace = 'public'::regnamespace and cardinality(k.conkey) = 1 and k.conparentid = 0`,
  );
  const tables = new Map<string, TableInfo>();
  for (const c of cols) {
    let t = tables.get(c.t);
    if (!t) tables.set(c.t, (t = { name: c.t, columns: [], pk: [], globalUnique: [], globalRefs: {} }));
    t.columns.push({ name: c.c, type: c.type, generated: c.gen, identity: c.ident, nullable: c.nullable });
  }
  for (const k of keys) {
    const t = tables.get(k.t);
    if (!t) continue;
    if (k.primary) t.pk = k.cols;
    else if (k.cols.length === 1 && k.cols[0] !== 'tenant_id') t.globalUnique.push(k.cols[0] as string);
  }
  const idOnly = new Set([...tables.values()].filter((t) => t.pk.length === 1 && t.pk[0] === 'id' && t.name !== 'companies').map((t) => t.name));
  for (const r of refs) {
    const t = tables.get(r.t);
    if (t && idOnly.has(r.r)) t.globalRefs[r.c] = r.r;
  }
  return [...tables.values()];
}

/** The schema version: how many migrations this database has applied. */
export async function appliedMigrations(tx: Tx): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return row?.n ?? 0;
}

/** One consistent, read-only view of the data for the whole backup; then the company's row-level security. */
export async function beginSnapshot(tx: Tx): Promise<void> {
  await tx.execute(sql.raw('set transaction isolation level repeatable read, read only'));
}

export async function enterCompanyReadOnly(tx: Tx, tenantId: number): Promise<void> {
  await tx.execute(sql`select set_config('app.tenant_id', ${String(tenantId)}, true), set_config('role', ${APP_ROLE}, true)`);
}

export async function companyRow(tx: Tx, tenantId: number): Promise<{ id: number; slug: string; name: string } | undefined> {
  const [row] = await rowsOf<{ id: number; slug: string; name: string }>(tx, sql`select id::int as id, slug, name from companies where id = ${tenantId}`);
  return row;
}

export async function companyBySlug(tx: Tx, slug: string): Promise<{ id: number; slug: string; name: string } | undefined> {
  const [row] = await rowsOf<{ id: number; slug: string; name: string }>(tx, sql`select id::int as id, slug, name from companies where slug = ${slug}`);
  return row;
}

export async function companyById(tx: Tx, id: number): Promise<{ id: number; slug: string; name: string } | undefined> {
  const [row] = await rowsOf<{ id: number; slug: string; name: string }>(tx, sql`select id::int as id, slug, name from companies where id = ${id}`);
  return row;
}

/** A cursor over a table's rows of the company as JSON text, in primary-key order. */
export async function openRows(tx: Tx, cursor: string, table: TableInfo, tenantId: number): Promise<void> {
  const where = table.name === 'companies' ? sql`id = ${tenantId}` : sql`tenant_id = ${tenantId}`;
  const order = table.pk.length > 0 ? sql` order by ${sql.join(table.pk.map((c) => sql`t.${id(c)}`), sql`, `)}` : sql``;
  // Generated columns (search vectors, ranges) are left out: the restoring database computes them.
  const columns = sql.join(
    table.columns.filter((c) => !c.generated).map((c) => sql`t.${id(c.name)}`),
    sql`, `,
  );
  await tx.execute(
    sql`declare ${id(cursor)} no scroll cursor for select row_to_json(r)::text as j from (select ${columns} from ${id(table.name)} t where ${where}${order}) r`,
  );
}

export async function fetchRows(tx: Tx, cursor: string, n: number): Promise<string[]> {
  const rows = await rowsOf<{ j: string }>(tx, sql`fetch forward ${sql.raw(String(Math.trunc(n)))} from ${id(cursor)}`);
  return rows.map((r) => r.j);
}

export async function closeRows(tx: Tx, cursor: string): Promise<void> {
  await tx.execute(sql`close ${id(cursor)}`);
}

export async function idRange(tx: Tx, table: string, tenantId: number): Promise<{ min: number | null; max: number | null }> {
  const [row] = await rowsOf<{ min: string | null; max: string | null }>(
    tx,
    sql`select min(id)::text as min, max(id)::text as max from ${id(table)} where tenant_id = ${tenantId}`,
  );
  return { min: row?.min == null ? null : Number(row.min), max: row?.max == null ? null : Number(row.max) };
}

export async function fileKeys(tx: Tx, table: string, column: string, tenantId: number): Promise<string[]> {
  const rows = await rowsOf<{ k: string }>(
    tx,
    sql`select distinct ${id(column)} as k from ${id(table)} where tenant_id = ${tenantId} and ${id(column)} is not null order by 1`,
  );
  return rows.map((r) => r.k);
}

/** Foreign keys become DEFERRABLE (INITIALLY IMMEDIATE: nothing changes for other transactions), so a restore may insert in any order. */
export async function nonDeferrableForeignKeys(tx: Tx): Promise<Array<{ t: string; c: string }>> {
  return rowsOf<{ t: string; c: string }>(
    tx,
    sql`select c.relname as t, k.conname as c from pg_constraint k join pg_class c on c.oid = k.conrelid
        where k.contype = 'f' and not k.condeferrable and k.connamespace = 'public'::regnamespace and k.conparentid = 0`,
  );
}

export async function makeDeferrable(tx: Tx, table: string, constraint: string): Promise<void> {
  await tx.execute(sql`alter table ${id(table)} alter constraint ${id(constraint)} deferrable initially immediate`);
}

export async function deferConstraints(tx: Tx): Promise<void> {
  await tx.execute(sql.raw('set constraints all deferred'));
}

export async function deleteCompanyRows(tx: Tx, table: string, tenantId: number): Promise<void> {
  await tx.execute(sql`delete from ${id(table)} where tenant_id = ${tenantId}`);
}

export async function clashingUsers(tx: Tx, emails: string[], usernames: string[]): Promise<{ emails: string[]; usernames: string[] }> {
  const e = JSON.stringify(emails);
  const u = JSON.stringify(usernames);
  const rows = await rowsOf<{ email: string | null; username: string | null }>(
    tx,
    sql`select case when lower(email) in (select jsonb_array_elements_text(${e}::jsonb)) then email end as email,
               case when lower(username) in (select jsonb_array_elements_text(${u}::jsonb)) then username end as username
        from users
        where lower(email) in (select jsonb_array_elements_text(${e}::jsonb)) or lower(username) in (select jsonb_array_elements_text(${u}::jsonb))`,
  );
  return {
    emails: rows.flatMap((r) => (r.email ? [r.email] : [])),
    usernames: rows.flatMap((r) => (r.username ? [r.username] : [])),
  };
}

export async function companyIdFree(tx: Tx, companyId: number): Promise<boolean> {
  const rows = await rowsOf<{ x: number }>(tx, sql`select 1 as x from companies where id = ${companyId}`);
  return rows.length === 0;
}

export async function nextCompanyId(tx: Tx): Promise<number> {
  const [row] = await rowsOf<{ id: string }>(tx, sql`select nextval(pg_get_serial_sequence('companies', 'id'))::text as id`);
  return Number(row?.id);
}

/** Whether rows of other companies use ids in [min, max] of a table keyed by id alone; the offset that avoids them. */
export async function idOffset(tx: Tx, table: string, min: number, max: number): Promise<number> {
  const [row] = await rowsOf<{ clash: boolean; top: string | null }>(
    tx,
    sql`select exists (select 1 from ${id(table)} where id between ${min} and ${max}) as clash, max(id)::text as top from ${id(table)}`,
  );
  return row?.clash ? Number(row.top) + 1 - min : 0;
}

export interface InsertPlan {
  table: string;
  columns: string[];
  /** Per column: how its value is made from the archive's row `r` ($tenant is the restored company's id). */
  expr: Record<string, 'row' | 'tenant' | { offset: number } | { offsetEach: number } | { prefix: string } | 'renew-on-clash'>;
}

/** Inserts archive rows (a JSON array of row objects) with the ids they had. */
export async function insertRows(tx: Tx, plan: InsertPlan, json: string, tenantId: number): Promise<void> {
  const t = id(plan.table);
  const values = plan.columns.map((c) => {
    const e = plan.expr[c] ?? 'row';
    const col = sql`r.${id(c)}`;
    if (e === 'row') return col;
    if (e === 'tenant') return sql`${tenantId}::bigint`;
    if (e === 'renew-on-clash') {
      return sql`case when exists (select 1 from ${t} x where x.${id(c)} = ${col}) then encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex') else ${col} end`;
    }
    if ('offset' in e) return e.offset === 0 ? col : sql`${col} + ${e.offset}::bigint`;
    if ('offsetEach' in e) {
      return sql`case when ${col} is null then null else array(select x + ${e.offsetEach}::bigint from unnest(${col}) with ordinality u(x, o) order by o) end`;
    }
    return sql`${e.prefix}::text || ${col}`;
  });
  await tx.execute(
    sql`insert into ${t} (${sql.join(plan.columns.map(id), sql`, `)}) overriding system value
        select ${sql.join(values, sql`, `)} from json_populate_recordset(null::${t}, ${json}::json) r`,
  );
}

/** The company row of a `replace`: the archive's values, but the instance's id, slug, seats and suspension. */
export async function updateCompanyFrom(tx: Tx, columns: string[], json: string, tenantId: number): Promise<void> {
  if (columns.length === 0) return;
  await tx.execute(
    sql`update companies c set ${sql.join(columns.map((c) => sql`${id(c)} = r.${id(c)}`), sql`, `)}
        from json_populate_record(null::companies, ${json}::json) r where c.id = ${tenantId}`,
  );
}

/** The identity sequence of a table moves past the ids a restore inserted (never backwards). */
export async function advanceSequence(tx: Tx, table: string): Promise<void> {
  const qualified = `public.${table}`;
  await tx.execute(
    sql`select setval(s.seq, greatest(coalesce((select max(id) from ${id(table)}), 1), coalesce(p.last_value, 1)))
        from (select pg_get_serial_sequence(${qualified}, 'id')::regclass as seq) s
        left join pg_sequences p on (quote_ident(p.schemaname) || '.' || quote_ident(p.sequencename))::regclass = s.seq
        where s.seq is not null`,
  );
}

/**
 * Whether this connection may skip the per-row foreign-key triggers for its transaction
 * (`session_replication_role = replica`: a superuser, as an embedded PGlite always is). The restore
 * then checks every foreign key of the company at once with `verifyForeignKey` before it commits.
 */
export async function canSkipRowTriggers(tx: Tx): Promise<boolean> {
  const [row] = await rowsOf<{ ok: boolean }>(tx, sql`select coalesce((select rolsuper from pg_roles where rolname = current_user), false) as ok`);
  return row?.ok === true;
}

export async function skipRowTriggers(tx: Tx): Promise<void> {
  await tx.execute(sql.raw('set local session_replication_role = replica'));
}

export interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  references: string;
  refColumns: string[];
}

export async function foreignKeys(tx: Tx): Promise<ForeignKey[]> {
  return rowsOf<ForeignKey>(
    tx,
    sql`select k.conname as name, c.relname as table, r.relname as references,
          array(select a.attname::text from unnest(k.conkey) with ordinality u(n, o) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.o) as columns,
          array(select a.attname::text from unnest(k.confkey) with ordinality u(n, o) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.o) as "refColumns"
        from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class r on r.oid = k.confrelid
        where k.contype = 'f' and k.connamespace = 'public'::regnamespace and k.conparentid = 0 and not c.relispartition`,
  );
}

/**
 * Rows breaking a foreign key, in one anti-join (MATCH SIMPLE: a row with a null key column is not
 * checked). Keys led by tenant_id are checked for the company's rows; others across the table.
 */
export async function foreignKeyBroken(tx: Tx, fk: ForeignKey, tenantId: number): Promise<boolean> {
  const where = [
    ...(fk.columns[0] === 'tenant_id' ? [sql`c.tenant_id = ${tenantId}`] : []),
    ...fk.columns.map((c) => sql`c.${id(c)} is not null`),
    sql`not exists (select 1 from ${id(fk.references)} p where ${sql.join(
      fk.columns.map((c, i) => sql`p.${id(fk.refColumns[i] as string)} = c.${id(c)}`),
      sql` and `,
    )})`,
  ];
  const [row] = await rowsOf<{ broken: boolean }>(tx, sql`select exists (select 1 from ${id(fk.table)} c where ${sql.join(where, sql` and `)}) as broken`);
  return row?.broken === true;
}
