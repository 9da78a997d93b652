// The SQL of log retention: one bounded batch of expired rows of one kind for one company (deleted,
// or only counted for a dry run). Every statement names its table, its company and its cut-off; the
// batch is `id in (select id … limit N)` so a purge never holds a long lock or a huge transaction.
import { sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../platform/db.js';

export type RetentionKind = 'auditSensitive' | 'audit' | 'notifications' | 'mailSensitive' | 'mail' | 'webhookDeliveries';

/** The table and the condition of each kind's expired rows (`days` is the kind's period). */
function expired(kind: RetentionKind, days: number, sensitive: { auditActions: readonly string[]; mailTemplates: readonly string[] }) {
  const cutoff = (column: string) => sql`${sql.identifier(column)} < now() - make_interval(days => ${days})`;
  const list = (values: readonly string[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  const map: Record<RetentionKind, { table: string; where: SQL }> = {
    auditSensitive: { table: 'audit_log', where: sql`action in (${list(sensitive.auditActions)}) and ${cutoff('at')}` },
    audit: { table: 'audit_log', where: cutoff('at') },
    notifications: { table: 'notifications', where: cutoff('created_at') },
    // Sensitive mail (links that sign in or reset a password) goes whatever became of it, unless still to be sent.
    mailSensitive: {
      table: 'mail_outbox',
      where: sql`template in (${list(sensitive.mailTemplates)}) and status <> 'pending' and ${cutoff('created_at')}`,
    },
    mail: { table: 'mail_outbox', where: sql`status = 'sent' and ${cutoff('sent_at')}` },
    webhookDeliveries: { table: 'webhook_deliveries', where: sql`status in ('delivered', 'failed') and ${cutoff('created_at')}` },
  };
  return map[kind];
}

const tenantIs = (tenantId: number | null) => (tenantId === null ? sql`tenant_id is null` : sql`tenant_id = ${tenantId}`);

/** Deletes up to `limit` expired rows of one kind of one company (null: instance-level audit rows); returns how many. */
export async function purgeBatch(
  tx: Tx,
  tenantId: number | null,
  kind: RetentionKind,
  days: number,
  limit: number,
  sensitive: { auditActions: readonly string[]; mailTemplates: readonly string[] },
): Promise<number> {
  const { table, where } = expired(kind, days, sensitive);
  const t = sql.identifier(table);
  const result = (await tx.execute(sql`
    delete from ${t} where ${tenantIs(tenantId)} and id in (
      select id from ${t} where ${tenantIs(tenantId)} and ${where} limit ${limit}
    )`)) as unknown as { rowCount?: number | null; affectedRows?: number };
  return Number(result.rowCount ?? result.affectedRows ?? 0);
}

/** How many rows of one kind of one company are expired (a dry run). */
export async function countExpired(
  tx: Tx,
  tenantId: number | null,
  kind: RetentionKind,
  days: number,
  sensitive: { auditActions: readonly string[]; mailTemplates: readonly string[] },
): Promise<number> {
  const { table, where } = expired(kind, days, sensitive);
  const result = (await tx.execute(
    sql`select count(*)::int as n from ${sql.identifier(table)} where ${tenantIs(tenantId)} and ${where}`,
  )) as unknown as {
    rows: Array<{ n: number }>;
  };
  return Number(result.rows[0]?.n ?? 0);
}

/** A page of companies with their settings, by id (an owner read). */
export async function companiesPage(
  tx: Tx,
  after: number,
  limit: number,
): Promise<Array<{ id: number; settings: Record<string, unknown> }>> {
  const result = (await tx.execute(
    sql`select id::int as id, settings from companies where id > ${after} order by id limit ${limit}`,
  )) as unknown as { rows: Array<{ id: number; settings: Record<string, unknown> }> };
  return result.rows;
}
