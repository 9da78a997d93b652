// Approval chains: a category's ordered steps, each approved by a role, a named user, or the
// requester's department head. Steps nobody can take (no head) are skipped and recorded.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { type ApprovalStep, departments, roles, ticketApprovals, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export interface PendingApprover {
  step: number;
  pendingRoleId: number | null;
  pendingUserId: number | null;
}

/** The first step from `from` on that someone can take, recording the skipped ones; null when none is left. */
export async function nextApprover(
  tx: Tx,
  tenantId: number,
  ticketId: number,
  steps: readonly ApprovalStep[],
  from: number,
  departmentId: number | null,
): Promise<PendingApprover | null> {
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    if (step.type === 'role') return { step: i, pendingRoleId: Number(step.roleId), pendingUserId: null };
    if (step.type === 'user') {
      const [u] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, Number(step.userId)), eq(users.status, 'active')));
      if (u) return { step: i, pendingRoleId: null, pendingUserId: u.id };
      await recordSkip(tx, tenantId, ticketId, i, 'The named approver is not active');
      continue;
    }
    const [d] = departmentId
      ? await tx
          .select({ head: departments.headUserId })
          .from(departments)
          .where(and(eq(departments.tenantId, tenantId), eq(departments.id, departmentId)))
      : [];
    if (d?.head) return { step: i, pendingRoleId: null, pendingUserId: d.head };
    await recordSkip(tx, tenantId, ticketId, i, 'The requester has no department head');
  }
  return null;
}

async function recordSkip(tx: Tx, tenantId: number, ticketId: number, step: number, comment: string) {
  await tx.insert(ticketApprovals).values({ tenantId, ticketId, step, decision: 'skipped', comment });
}

/** The people who may decide the step now waiting: the named user, or the role's active holders. */
export async function approverIds(tx: Tx, tenantId: number, pending: { pendingRoleId: number | null; pendingUserId: number | null }) {
  if (pending.pendingUserId) return [pending.pendingUserId];
  if (!pending.pendingRoleId) return [];
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(
      and(
        eq(users.tenantId, tenantId),
        inArray(users.roleId, [pending.pendingRoleId]),
        eq(users.status, 'active'),
        sql`'tickets.approve' = any(${roles.permissions})`,
      ),
    );
  return rows.map((r) => r.id);
}
