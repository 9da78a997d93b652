// SQL of instance backups: the instance tables (operators) and emptiness checks before a restore.
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db.js';

const rowsOf = async <R>(tx: Tx, query: SQL): Promise<R[]> => ((await tx.execute(query)) as unknown as { rows: R[] }).rows;

export async function schemaVersion(tx: Tx): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return row?.n ?? 0;
}

export function companies(tx: Tx): Promise<Array<{ id: number; slug: string }>> {
  return rowsOf(tx, sql`select id::int as id, slug from companies order by id`);
}

export async function superAdminRows(tx: Tx): Promise<string[]> {
  return (await rowsOf<{ j: string }>(tx, sql`select row_to_json(s)::text as j from super_admins s order by id`)).map((r) => r.j);
}

export async function insertSuperAdmins(tx: Tx, rows: string[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.execute(
    sql`insert into super_admins overriding system value select * from json_populate_recordset(null::super_admins, ${`[${rows.join(',')}]`}::json)`,
  );
  await tx.execute(sql`select setval(pg_get_serial_sequence('public.super_admins', 'id'), (select max(id) from super_admins))`);
}

/** No table in the public schema (a database pg_restore may fill). */
export async function isEmpty(tx: Tx): Promise<boolean> {
  const [row] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from pg_tables where schemaname = 'public'`);
  return (row?.n ?? 0) === 0;
}

export async function hasNoCompanies(tx: Tx): Promise<boolean> {
  const [row] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from companies`);
  return (row?.n ?? 0) === 0;
}
