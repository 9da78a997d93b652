// Document queries (Drizzle only): the rows with their category and author names, their links, and
// the keyset list (newest first) with search on title and file name (trigram indexes leading with
// tenant_id) and the category, asset and ticket filters.
import { and, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { nameContains } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import { assets, documentAssets, documents, documentTickets, picklistItems, tickets, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type DocumentRow = typeof documents.$inferSelect;
export type NewDocument = typeof documents.$inferInsert;

const selectRows = (tx: Tx) =>
  tx
    .select({ d: documents, categoryName: picklistItems.name, authorName: users.name })
    .from(documents)
    .leftJoin(picklistItems, and(eq(picklistItems.tenantId, documents.tenantId), eq(picklistItems.id, documents.categoryId)))
    .leftJoin(users, and(eq(users.tenantId, documents.tenantId), eq(users.id, documents.createdById)));
export type DocumentWithNames = Awaited<ReturnType<ReturnType<typeof selectRows>['where']>>[number];

export interface DocumentFilter {
  q?: string;
  categoryId?: number;
  assetId?: number;
  ticketId?: number;
  before: number | null;
  take: number;
}

export async function listDocuments(tx: Tx, tenantId: number, f: DocumentFilter): Promise<DocumentWithNames[]> {
  const c: (SQL | undefined)[] = [eq(documents.tenantId, tenantId)];
  if (f.q && !f.assetId && !f.ticketId) {
    // The search's ids come from document_match (migration 0030), which can use the trigram indexes
    // that row-level security hides from `ilike`; it applies the category filter too, so its ids are
    // the page. With an asset or ticket filter the candidates are that record's few links: plain ilike.
    const result = (await tx.execute(
      sql`select document_match(${f.q}, ${f.categoryId ?? null}, ${f.before ?? Number.MAX_SAFE_INTEGER}, ${f.take}) as id`,
    )) as unknown as { rows: Array<{ id: string | number }> };
    const ids = result.rows.map((r) => Number(r.id));
    if (ids.length === 0) return [];
    c.push(sql`${documents.id} = any(${`{${ids.join(',')}}`}::bigint[])`);
  } else if (f.q) {
    c.push(or(nameContains(documents.title, f.q), nameContains(documents.fileName, f.q)));
  }
  if (f.categoryId) c.push(eq(documents.categoryId, f.categoryId));
  if (f.assetId) {
    c.push(
      sql`exists (select 1 from ${documentAssets} where ${documentAssets.tenantId} = ${qualified(documents.tenantId)} and ${documentAssets.documentId} = ${qualified(documents.id)} and ${documentAssets.assetId} = ${f.assetId})`,
    );
  }
  if (f.ticketId) {
    c.push(
      sql`exists (select 1 from ${documentTickets} where ${documentTickets.tenantId} = ${qualified(documents.tenantId)} and ${documentTickets.documentId} = ${qualified(documents.id)} and ${documentTickets.ticketId} = ${f.ticketId})`,
    );
  }
  if (f.before) c.push(sql`${documents.id} < ${f.before}`);
  return selectRows(tx)
    .where(and(...c))
    .orderBy(desc(documents.id))
    .limit(f.take);
}

export async function findDocument(tx: Tx, tenantId: number, id: number, lock = false): Promise<DocumentWithNames | undefined> {
  const q = selectRows(tx).where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)));
  const [row] = lock ? await q.for('update', { of: documents }) : await q;
  return row;
}

/** The assets linked to these documents. */
export function assetLinks(tx: Tx, tenantId: number, documentIds: number[]) {
  if (!documentIds.length) return Promise.resolve([]);
  return tx
    .select({ documentId: documentAssets.documentId, id: assets.id, name: assets.name, tag: assets.tag })
    .from(documentAssets)
    .innerJoin(assets, and(eq(assets.tenantId, documentAssets.tenantId), eq(assets.id, documentAssets.assetId)))
    .where(and(eq(documentAssets.tenantId, tenantId), inArray(documentAssets.documentId, documentIds)))
    .orderBy(assets.name, assets.id);
}

/** The tickets linked to these documents, each with whether `visible` (the caller's ticket condition) holds. */
export function ticketLinks(tx: Tx, tenantId: number, documentIds: number[], visible: SQL) {
  if (!documentIds.length) return Promise.resolve([]);
  return tx
    .select({
      documentId: documentTickets.documentId,
      id: tickets.id,
      number: tickets.number,
      title: tickets.title,
      visible: sql<boolean>`(${visible})`,
    })
    .from(documentTickets)
    .innerJoin(tickets, and(eq(tickets.tenantId, documentTickets.tenantId), eq(tickets.id, documentTickets.ticketId)))
    .where(and(eq(documentTickets.tenantId, tenantId), inArray(documentTickets.documentId, documentIds)))
    .orderBy(tickets.number);
}

/** The company's assets among these ids. */
export async function existingAssets(tx: Tx, tenantId: number, ids: number[]): Promise<number[]> {
  if (!ids.length) return [];
  const rows = await tx
    .select({ id: assets.id })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), inArray(assets.id, ids)));
  return rows.map((r) => r.id);
}

/** Tickets by number that satisfy the caller's ticket condition. */
export async function visibleTicketsByNumber(
  tx: Tx,
  tenantId: number,
  numbers: number[],
  visible: SQL,
): Promise<Array<{ id: number; number: number }>> {
  if (!numbers.length) return [];
  return tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.number, numbers), visible));
}

export async function categoryExists(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: picklistItems.id })
    .from(picklistItems)
    .where(and(eq(picklistItems.tenantId, tenantId), eq(picklistItems.id, id), eq(picklistItems.list, 'document_categories')));
  return Boolean(row);
}

export async function insertDocument(tx: Tx, values: NewDocument): Promise<DocumentRow> {
  const [row] = await tx.insert(documents).values(values).returning();
  return row;
}

export async function updateDocument(tx: Tx, tenantId: number, id: number, set: Partial<NewDocument>) {
  await tx
    .update(documents)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)));
}

export async function deleteDocument(tx: Tx, tenantId: number, id: number) {
  await tx.delete(documents).where(and(eq(documents.tenantId, tenantId), eq(documents.id, id)));
}

export async function setAssetLinks(tx: Tx, tenantId: number, documentId: number, assetIds: number[]) {
  await tx.delete(documentAssets).where(and(eq(documentAssets.tenantId, tenantId), eq(documentAssets.documentId, documentId)));
  if (assetIds.length) await tx.insert(documentAssets).values(assetIds.map((assetId) => ({ tenantId, documentId, assetId })));
}

export async function setTicketLinks(tx: Tx, tenantId: number, documentId: number, ticketIds: number[]) {
  await tx.delete(documentTickets).where(and(eq(documentTickets.tenantId, tenantId), eq(documentTickets.documentId, documentId)));
  if (ticketIds.length) await tx.insert(documentTickets).values(ticketIds.map((ticketId) => ({ tenantId, documentId, ticketId })));
}
