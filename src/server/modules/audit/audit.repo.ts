// Reads of the audit log (written by platform/audit.ts inside each change's transaction).
import { and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import { auditLog } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type AuditRow = typeof auditLog.$inferSelect;

export interface AuditFilter {
  /** null: every company (the operator's instance-wide view, on the owner connection). */
  tenantId: number | null;
  /** An exact action, or a prefix ending in "." ("auth."). */
  action?: string;
  actorId?: number;
  from?: Date;
  to?: Date;
  beforeId?: number;
  limit: number;
}

/** Newest first, keyset-paged by id. */
export function listEntries(tx: Tx, f: AuditFilter): Promise<AuditRow[]> {
  return tx
    .select()
    .from(auditLog)
    .where(
      and(
        f.tenantId !== null ? eq(auditLog.tenantId, f.tenantId) : undefined,
        f.action ? (f.action.endsWith('.') ? sql`${auditLog.action} like ${`${f.action}%`}` : eq(auditLog.action, f.action)) : undefined,
        f.actorId ? eq(auditLog.actorUserId, f.actorId) : undefined,
        f.from ? gte(auditLog.at, f.from) : undefined,
        f.to ? lte(auditLog.at, f.to) : undefined,
        f.beforeId ? lt(auditLog.id, f.beforeId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(f.limit);
}
