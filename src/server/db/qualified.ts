// Drizzle renders a column without its table name in the select list of a one-table query, so a
// correlated subquery written as `u.department_id = ${departments.id}` compares with `u.id`.
// Columns of the outer query inside raw subqueries go through `qualified` (scripts/check-sql.mjs
// refuses the bare form).
import { type AnyColumn, getTableName, type SQL, sql } from 'drizzle-orm';

/** `"table"."column"`, wherever the SQL ends up (select list, returning, where). */
export function qualified(column: AnyColumn): SQL {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
