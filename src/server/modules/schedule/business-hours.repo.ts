// Business-hours calendar queries (Drizzle only).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { afterName, byName, type NameCursor } from '../../db/keyset.js';
import { qualified } from '../../db/qualified.js';
import { businessHours, slaPolicies } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type BusinessHoursRow = typeof businessHours.$inferSelect;

/** How many SLA policies count on each calendar (a used calendar cannot be deleted). */
const policyCount = sql<number>`(select count(*)::int from ${slaPolicies} p where p.tenant_id = ${qualified(businessHours.tenantId)} and p.business_hours_id = ${qualified(businessHours.id)})`;

export function listCalendars(tx: Tx, tenantId: number, f: { after: NameCursor | null; limit: number }) {
  return tx
    .select({ row: businessHours, policyCount })
    .from(businessHours)
    .where(and(eq(businessHours.tenantId, tenantId), afterName(businessHours.name, businessHours.id, f.after)))
    .orderBy(...byName(businessHours.name, businessHours.id))
    .limit(f.limit + 1);
}

export async function findCalendar(tx: Tx, tenantId: number, id: number, lock = false) {
  const q = tx
    .select({ row: businessHours, policyCount })
    .from(businessHours)
    .where(and(eq(businessHours.tenantId, tenantId), eq(businessHours.id, id)));
  const [found] = lock ? await q.for('update') : await q;
  return found ?? null;
}

export async function nameTaken(tx: Tx, tenantId: number, name: string, exceptId?: number): Promise<boolean> {
  const rows = await tx
    .select({ id: businessHours.id })
    .from(businessHours)
    .where(
      and(
        eq(businessHours.tenantId, tenantId),
        sql`lower(${businessHours.name}) = lower(${name})`,
        exceptId ? sql`${businessHours.id} <> ${exceptId}` : undefined,
      ),
    );
  return rows.length > 0;
}

export async function insertCalendar(tx: Tx, values: typeof businessHours.$inferInsert): Promise<BusinessHoursRow> {
  const [row] = await tx.insert(businessHours).values(values).returning();
  return row;
}

export async function updateCalendar(
  tx: Tx,
  tenantId: number,
  id: number,
  set: Partial<typeof businessHours.$inferInsert>,
): Promise<BusinessHoursRow> {
  const [row] = await tx
    .update(businessHours)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(businessHours.tenantId, tenantId), eq(businessHours.id, id)))
    .returning();
  return row;
}

export async function deleteCalendar(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(businessHours).where(and(eq(businessHours.tenantId, tenantId), eq(businessHours.id, id)));
}

/** Several calendars by id (the SLA clock reads the ones its tickets use). */
export function calendarsByIds(tx: Tx, tenantId: number, ids: number[]) {
  return tx
    .select()
    .from(businessHours)
    .where(and(eq(businessHours.tenantId, tenantId), inArray(businessHours.id, ids)));
}
