// Writes audit events in the caller's transaction, so an event exists exactly when its change does.
import type { AuditAction } from '../../shared/audit.js';
import { auditLog } from '../db/schema/index.js';
import type { Actor } from './actor.js';
import type { Scope } from './db.js';

export interface AuditEvent {
  action: AuditAction;
  tenantId?: number | null;
  targetType?: string;
  targetId?: string | number;
  details?: Record<string, unknown>;
  /** The person acting when there is no Actor yet (logins, signups, accepted invitations). */
  as?: { userId?: number; superAdminId?: number; name: string };
}

export async function writeAudit(scope: Scope, actor: Actor | null, ip: string | null, event: AuditEvent): Promise<void> {
  await scope.tx.insert(auditLog).values({
    tenantId: event.tenantId !== undefined ? event.tenantId : actor?.kind === 'user' ? actor.tenantId : scope.tenantId,
    actorUserId: actor?.kind === 'user' ? actor.userId : (event.as?.userId ?? null),
    actorSuperAdminId: actor?.kind === 'superadmin' ? actor.superAdminId : (event.as?.superAdminId ?? null),
    actorName: actor?.name ?? event.as?.name ?? null,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId === undefined ? null : String(event.targetId),
    details: event.details ?? {},
    ip,
  });
}
