// Quick-link queries (Drizzle only).
import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { quickLinks, roles } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type QuickLinkRow = typeof quickLinks.$inferSelect;
export type QuickLinkValues = Pick<QuickLinkRow, 'title' | 'url' | 'description' | 'roleId' | 'position'>;

/** A company's links in dashboard order, with their role's name; only those for `roleId` (and everyone) when given. */
export function findLinks(tx: Tx, tenantId: number, filter: { forRoleId?: number; id?: number }) {
  return tx
    .select({ link: quickLinks, roleName: roles.name })
    .from(quickLinks)
    .leftJoin(roles, and(eq(roles.tenantId, quickLinks.tenantId), eq(roles.id, quickLinks.roleId)))
    .where(
      and(
        eq(quickLinks.tenantId, tenantId),
        filter.id ? eq(quickLinks.id, filter.id) : undefined,
        filter.forRoleId !== undefined ? or(isNull(quickLinks.roleId), eq(quickLinks.roleId, filter.forRoleId)) : undefined,
      ),
    )
    .orderBy(asc(quickLinks.position), asc(quickLinks.id));
}

export async function roleExists(tx: Tx, tenantId: number, roleId: number): Promise<boolean> {
  const rows = await tx.select({ id: roles.id }).from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.id, roleId)));
  return rows.length > 0;
}

export async function insertLink(tx: Tx, tenantId: number, values: QuickLinkValues): Promise<QuickLinkRow> {
  const [row] = await tx.insert(quickLinks).values({ tenantId, ...values }).returning();
  return row;
}

export async function updateLink(tx: Tx, tenantId: number, id: number, values: Partial<QuickLinkValues>): Promise<QuickLinkRow | undefined> {
  const [row] = await tx
    .update(quickLinks)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(quickLinks.tenantId, tenantId), eq(quickLinks.id, id)))
    .returning();
  return row;
}

export async function deleteLink(tx: Tx, tenantId: number, id: number): Promise<QuickLinkRow | undefined> {
  const [row] = await tx.delete(quickLinks).where(and(eq(quickLinks.tenantId, tenantId), eq(quickLinks.id, id))).returning();
  return row;
}
