// The lines of supply requests: which parts a `supply` ticket asks for and how much was issued.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { parts, supplyLines } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import { totalStock } from '../inventory/inventory.repo.js';

export type SupplyLineRow = typeof supplyLines.$inferSelect;

export function partNames(tx: Tx, tenantId: number, ids: number[]) {
  return tx
    .select({ id: parts.id, name: parts.name })
    .from(parts)
    .where(and(eq(parts.tenantId, tenantId), inArray(parts.id, ids)));
}

export async function insertLines(tx: Tx, tenantId: number, ticketId: number, lines: Array<{ partId: number; quantity: string }>) {
  await tx.insert(supplyLines).values(lines.map((l) => ({ tenantId, ticketId, partId: l.partId, quantity: l.quantity })));
}

/** A request's lines with their parts and the stock on hand over all locations. */
export function linesWithParts(tx: Tx, tenantId: number, ticketId: number) {
  return tx
    .select({ line: supplyLines, part: parts, total: totalStock })
    .from(supplyLines)
    .innerJoin(parts, and(eq(parts.tenantId, supplyLines.tenantId), eq(parts.id, supplyLines.partId)))
    .where(and(eq(supplyLines.tenantId, tenantId), eq(supplyLines.ticketId, ticketId)))
    .orderBy(asc(supplyLines.id));
}

/** Lines not fully issued yet, sorted by part so that two fulfilments lock parts in the same order. */
export function outstandingLines(tx: Tx, tenantId: number, ticketId: number): Promise<SupplyLineRow[]> {
  return tx
    .select()
    .from(supplyLines)
    .where(and(eq(supplyLines.tenantId, tenantId), eq(supplyLines.ticketId, ticketId), sql`${supplyLines.issuedQuantity} < ${supplyLines.quantity}`))
    .orderBy(asc(supplyLines.partId), asc(supplyLines.id));
}

export async function markIssued(tx: Tx, tenantId: number, line: SupplyLineRow) {
  await tx
    .update(supplyLines)
    .set({ issuedQuantity: line.quantity })
    .where(and(eq(supplyLines.tenantId, tenantId), eq(supplyLines.id, line.id)));
}
