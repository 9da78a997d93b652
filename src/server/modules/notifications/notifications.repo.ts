// In-app notifications of a user and the preferences stored on the user row.
import { and, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { notifications, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type NotificationRow = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;
interface Owner {
  tenantId: number;
  userId: number;
}

/** Active users among these ids, with what a notice needs of them. */
export function activeRecipients(tx: Tx, tenantId: number, ids: number[]) {
  return tx
    .select({ id: users.id, email: users.email, preferences: users.preferences })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids), eq(users.status, 'active')));
}

export function insertNotifications(tx: Tx, rows: NewNotification[]): Promise<NotificationRow[]> {
  return tx.insert(notifications).values(rows).returning();
}

const ownedBy = (o: Owner) => and(eq(notifications.tenantId, o.tenantId), eq(notifications.userId, o.userId));

/** Newest first, keyset-paged by id. */
export function listNotifications(tx: Tx, o: Owner, f: { unread?: boolean; beforeId?: number; limit: number }): Promise<NotificationRow[]> {
  return tx
    .select()
    .from(notifications)
    .where(and(ownedBy(o), f.unread ? isNull(notifications.readAt) : undefined, f.beforeId ? lt(notifications.id, f.beforeId) : undefined))
    .orderBy(desc(notifications.id))
    .limit(f.limit);
}

export async function unreadCount(tx: Tx, o: Owner): Promise<number> {
  const [{ unread }] = await tx
    .select({ unread: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(ownedBy(o), isNull(notifications.readAt)));
  return unread;
}

/** Marks unread notifications read: all of them, or those of `ids`; answers how many changed. */
export async function markRead(tx: Tx, o: Owner, ids: number[] | 'all'): Promise<number> {
  const unread = and(ownedBy(o), isNull(notifications.readAt));
  const which = ids === 'all' ? unread : and(unread, inArray(notifications.id, ids));
  const updated = await tx.update(notifications).set({ readAt: sql`now()` }).where(which).returning({ id: notifications.id });
  return updated.length;
}

/** Merges `patch` into the user's preferences JSON, keeping the keys it does not name. */
export async function mergePreferences(tx: Tx, o: Owner, patch: Record<string, unknown>) {
  await tx
    .update(users)
    .set({ preferences: sql`${users.preferences} || ${JSON.stringify(patch)}::jsonb` })
    .where(and(eq(users.tenantId, o.tenantId), eq(users.id, o.userId)));
}
