// Mailboxes: the administrator's list and edits, the webhook's secret URL, the connectors' status reports.
import { and, eq, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import { categories, inboundMessages, mailboxes } from '../../db/schema/index.js';
import type { Database, Tx } from '../../platform/db.js';

export type MailboxRow = typeof mailboxes.$inferSelect;
export type MailboxWithCategory = { m: MailboxRow; category: { id: number; name: string } | null; refused: number };

const refusedCount = sql<number>`(select count(*)::int from ${inboundMessages} i where i.tenant_id = ${qualified(mailboxes.tenantId)} and i.mailbox_id = ${qualified(mailboxes.id)} and i.result = 'ignored' and i.reason in ('too_large', 'unparseable'))`;

function selectMailboxes(tx: Tx) {
  return tx
    .select({ m: mailboxes, categoryId: categories.id, categoryName: categories.name, refused: refusedCount })
    .from(mailboxes)
    .leftJoin(categories, and(eq(categories.tenantId, mailboxes.tenantId), eq(categories.id, mailboxes.categoryId)));
}
type Selected = { m: MailboxRow; categoryId: number | null; categoryName: string | null; refused: number };
const withCategory = (r: Selected): MailboxWithCategory => ({
  m: r.m,
  category: r.categoryId ? { id: r.categoryId, name: r.categoryName ?? '' } : null,
  refused: Number(r.refused),
});

export async function listMailboxes(tx: Tx, tenantId: number, after: NameCursor | null, limit: number): Promise<MailboxWithCategory[]> {
  const rows = await selectMailboxes(tx)
    .where(and(eq(mailboxes.tenantId, tenantId), afterName(mailboxes.name, mailboxes.id, after)))
    .orderBy(...byName(mailboxes.name, mailboxes.id))
    .limit(limit);
  return rows.map(withCategory);
}

export async function findMailbox(tx: Tx, tenantId: number, id: number): Promise<MailboxWithCategory | null> {
  const [row] = await selectMailboxes(tx).where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)));
  return row ? withCategory(row) : null;
}

export async function insertMailbox(tx: Tx, values: typeof mailboxes.$inferInsert): Promise<MailboxRow> {
  const [row] = await tx.insert(mailboxes).values(values).returning();
  return row;
}

export async function updateMailbox(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof mailboxes.$inferInsert>,
): Promise<MailboxRow | null> {
  const [row] = await tx
    .update(mailboxes)
    .set({ ...set, version: sql`${mailboxes.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)))
    .returning();
  return row ?? null;
}

export async function deleteMailbox(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const rows = await tx
    .delete(mailboxes)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)))
    .returning({ id: mailboxes.id });
  return rows.length > 0;
}

/** The webhook mailbox of a secret URL (owner transaction: the company is not known yet). */
/**
 * The webhook mailbox of a token hash, instance-wide (the company is not known yet): one statement
 * on the owner connection, without a transaction of its own (a single read needs none).
 */
export async function mailboxByTokenHash(
  database: Pick<Database, 'query'>,
  hash: string,
): Promise<{ tenantId: number; id: number; active: boolean } | null> {
  const { rows } = await database.query<{ tenant_id: string | number; id: string | number; active: boolean }>(
    `select tenant_id, id, active from mailboxes where webhook_token_hash = $1 and type = 'webhook'`,
    [hash],
  );
  const row = rows[0];
  return row ? { tenantId: Number(row.tenant_id), id: Number(row.id), active: row.active } : null;
}

export async function categoryExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
  return Boolean(row);
}

/** A connector's status report (no version bump: the admin's edit of the same mailbox is not disturbed). */
export async function setMailboxStatus(tx: Tx, tenantId: number, id: number, set: Partial<typeof mailboxes.$inferInsert>): Promise<void> {
  await tx
    .update(mailboxes)
    .set(set)
    .where(and(eq(mailboxes.tenantId, tenantId), eq(mailboxes.id, id)));
}
