// The maintenance-plan scheduler: like recurring tickets', a pass scans the plans whose work order
// is due to open (next_open_at <= now) across companies, then per plan in its company's
// transaction claims it (FOR UPDATE SKIP LOCKED, still due) and opens the work order with the run
// row keyed by (plan, due date): a crash, a retry or a second worker never opens one twice. Only
// interval plans have a next_open_at; meter and threshold plans wait for the meters issue.
import type { Deps } from '../../platform/context.js';
import * as repo from './maintenance.repo.js';
import { openWorkOrderIn, reconcileWorkOrderIn } from './maintenance.service.js';

const SCAN_BATCH = 500;
/** Missed grid slots one plan catches up per pass (schedule mode after a long downtime). */
const CATCH_UP = 20;

/** For tests only: called after the decision, before commit (throwing here is a crash). */
export const planSchedulerTestHooks: { beforeCommit: ((what: { tenantId: number; planId: number }) => void) | null } = {
  beforeCommit: null,
};

export interface PlanPassResult {
  plans: number;
  workOrders: number;
  failed: number;
}

async function fireOne(deps: Deps, due: repo.DueCursor, now: Date, result: PlanPassResult): Promise<void> {
  for (let i = 0; i < CATCH_UP; i++) {
    try {
      const opened = await deps.database.withTenant(due.tenantId, async (scope) => {
        const plan = await repo.claimDuePlan(scope.tx, due.tenantId, due.id, now);
        if (!plan || !plan.nextDueAt) return null;
        const ticket = await openWorkOrderIn(scope, deps, plan, plan.nextDueAt, now, false);
        planSchedulerTestHooks.beforeCommit?.({ tenantId: due.tenantId, planId: due.id });
        return { ticket };
      });
      if (!opened) return;
      result.plans++;
      if (opened.ticket) result.workOrders++;
    } catch (error) {
      result.failed++;
      deps.log.warn({ err: error, tenantId: due.tenantId, planId: due.id }, 'maintenance work order could not open');
      await deps.database
        .withTenant(due.tenantId, (scope) => repo.setLastError(scope.tx, due.tenantId, due.id, (error as Error).message.slice(0, 500)))
        .catch(() => undefined);
      return;
    }
  }
}

/** One pass at `now` (injected in tests): first the plans whose work order was finished outside the hook, then the due ones. */
export async function runMaintenancePlans(deps: Deps, now: Date = new Date()): Promise<PlanPassResult> {
  const result: PlanPassResult = { plans: 0, workOrders: 0, failed: 0 };
  const stranded = await deps.database.system(({ tx }) => repo.strandedPlans(tx, SCAN_BATCH));
  for (const s of stranded) {
    await deps.database
      .withTenant(s.tenantId, (scope) => reconcileWorkOrderIn(scope, s.tenantId, s.id, now))
      .catch((err) => deps.log.warn({ err, tenantId: s.tenantId, planId: s.id }, 'could not complete a maintenance plan'));
  }
  let after: repo.DueCursor | null = null;
  for (;;) {
    const cursor: repo.DueCursor | null = after;
    const due: repo.DueCursor[] = await deps.database.system(({ tx }) => repo.duePlans(tx, now, cursor, SCAN_BATCH));
    for (const d of due) await fireOne(deps, d, now, result);
    if (due.length < SCAN_BATCH) return result;
    after = due[due.length - 1];
  }
}
