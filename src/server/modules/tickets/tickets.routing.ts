// Approval chains: a category's ordered steps, each approved by a role, a named user, or the
// requester's department head. Steps nobody can take (no head) are skipped and recorded.
import type { ApprovalStep } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import * as repo from './tickets.repo.js';

export interface PendingApprover {
  step: number;
  pendingRoleId: number | null;
  pendingUserId: number | null;
}

/** What routing needs to know about people: the requester's department head and which named approvers are active. */
export interface RouteFacts {
  departmentHead: number | null;
  activeUserIds: ReadonlySet<number>;
}

export interface SkippedStep {
  step: number;
  comment: string;
}

/** The first step from `from` on that someone can take, and the steps skipped on the way; no I/O. */
export function planRoute(
  steps: readonly ApprovalStep[],
  from: number,
  facts: RouteFacts,
): { pending: PendingApprover | null; skipped: SkippedStep[] } {
  const skipped: SkippedStep[] = [];
  for (let i = from; i < steps.length; i++) {
    const step = steps[i];
    if (step.type === 'role') return { pending: { step: i, pendingRoleId: Number(step.roleId), pendingUserId: null }, skipped };
    if (step.type === 'user') {
      const id = Number(step.userId);
      if (facts.activeUserIds.has(id)) return { pending: { step: i, pendingRoleId: null, pendingUserId: id }, skipped };
      skipped.push({ step: i, comment: 'The named approver is not active' });
      continue;
    }
    if (facts.departmentHead) return { pending: { step: i, pendingRoleId: null, pendingUserId: facts.departmentHead }, skipped };
    skipped.push({ step: i, comment: 'The requester has no department head' });
  }
  return { pending: null, skipped };
}

/** The named approvers of a chain (to look up whether they are active). */
export const namedApprovers = (steps: readonly ApprovalStep[]) => steps.flatMap((s) => (s.type === 'user' ? [Number(s.userId)] : []));

/** The first step from `from` on that someone can take, recording the skipped ones; null when none is left. */
export async function nextApprover(
  tx: Tx,
  tenantId: number,
  ticketId: number,
  steps: readonly ApprovalStep[],
  from: number,
  departmentId: number | null,
): Promise<PendingApprover | null> {
  const named = namedApprovers(steps.slice(from));
  const active = named.length ? await repo.activeUserIds(tx, tenantId, named) : [];
  const needsHead = steps.slice(from).some((s) => s.type === 'department_head');
  const head = needsHead && departmentId ? await repo.departmentHead(tx, tenantId, departmentId) : null;
  const { pending, skipped } = planRoute(steps, from, { departmentHead: head, activeUserIds: new Set(active) });
  if (skipped.length) await repo.insertApprovals(tx, skipped.map((s) => ({ tenantId, ticketId, step: s.step, decision: 'skipped' as const, comment: s.comment })));
  return pending;
}

/** The people who may decide the step now waiting: the named user, or the role's active holders. */
export { approverIds } from './tickets.repo.js';
