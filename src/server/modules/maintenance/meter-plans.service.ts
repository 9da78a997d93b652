// Meter and threshold plans: new readings of a plan's meter open its work order when the counter
// passes the next mark (every N units) or when the value stays beyond the threshold for the duration,
// once per excursion. Called by the meters ingest hook and sweep (meters/triggers.ts) with the plans
// locked by the caller.
import { evaluateExcursion, type ExcursionState, fireDue, type Reading } from '../../../shared/excursion.js';
import type { PlanTrigger } from '../../db/schema/index.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import * as repo from './maintenance.repo.js';
import { nextMark, openWorkOrderIn } from './maintenance.service.js';

type MeterTrigger = Extract<PlanTrigger, { type: 'meter' }>;
type ThresholdTrigger = Extract<PlanTrigger, { type: 'threshold' }>;

const stateOf = (p: repo.PlanRow): ExcursionState => ({
  excursionStartedAt: p.excursionStartedAt,
  fireAt: p.fireAt,
  fired: p.fired,
  evaluatedAt: p.evaluatedAt,
});

export interface PlanOutcome {
  workOrders: number;
}

/** New readings of the plans' meters (plans locked by the caller): opens what is due. */
export async function evaluatePlans(
  scope: Scope,
  deps: Deps,
  plans: repo.PlanRow[],
  readings: Map<number, Reading[]>,
  now: Date,
): Promise<PlanOutcome> {
  const out: PlanOutcome = { workOrders: 0 };
  for (const plan of plans) {
    const list = plan.meterId ? readings.get(plan.meterId) : undefined;
    if (!list || list.length === 0) continue;
    if (plan.trigger.type === 'meter') out.workOrders += await meterPlan(scope, deps, plan, plan.trigger, list, now);
    else if (plan.trigger.type === 'threshold') out.workOrders += await thresholdPlan(scope, deps, plan, plan.trigger, list, now);
  }
  return out;
}

async function meterPlan(scope: Scope, deps: Deps, plan: repo.PlanRow, t: MeterTrigger, list: Reading[], now: Date) {
  const top = list.reduce((a, b) => (b.v > a.v ? b : a));
  if (plan.nextDueValue === null) {
    // The meter had no reading when the plan was made: the marks start from its first one.
    await repo.updatePlan(
      scope.tx,
      plan.tenantId,
      plan.id,
      { nextDueValue: String(nextMark(top.v, t.everyUnits)), evaluatedAt: top.at },
      false,
    );
    return 0;
  }
  const mark = Number(plan.nextDueValue);
  if (top.v < mark) return 0;
  let next = mark + t.everyUnits;
  while (next <= top.v) next += t.everyUnits;
  // The reading that reached the mark (the earliest at or past it) is the due time: the run's key.
  const reached = [...list].filter((r) => r.v >= mark).sort((a, b) => a.at.getTime() - b.at.getTime())[0] ?? top;
  const ticket = await openWorkOrderIn(scope, deps, plan, reached.at, now, false, `the meter reached ${mark} (reading ${reached.v})`);
  await repo.updatePlan(scope.tx, plan.tenantId, plan.id, { nextDueValue: String(next), evaluatedAt: top.at }, false);
  return ticket ? 1 : 0;
}

async function thresholdPlan(scope: Scope, deps: Deps, plan: repo.PlanRow, t: ThresholdTrigger, list: Reading[], now: Date) {
  const { state, events } = evaluateExcursion(t, stateOf(plan), list);
  let opened = 0;
  for (const e of events) {
    if (e.type !== 'fire') continue;
    const ticket = await openWorkOrderIn(scope, deps, plan, e.startedAt, now, false, excursionText(t, e.v));
    if (ticket) opened++;
  }
  await repo.updatePlan(scope.tx, plan.tenantId, plan.id, state, false);
  return opened;
}

const excursionText = (t: ThresholdTrigger, v: number) =>
  `the meter stayed ${t.op === '>' ? 'above' : 'below'} ${t.value} for ${t.forSeconds} s (reading ${v})`;

/** The sweep: a threshold plan whose excursion lasted forSeconds without a new reading (claimed by the caller). */
export async function fireDuePlan(scope: Scope, deps: Deps, plan: repo.PlanRow, now: Date): Promise<boolean> {
  if (plan.trigger.type !== 'threshold') {
    await repo.updatePlan(scope.tx, plan.tenantId, plan.id, { fireAt: null }, false);
    return false;
  }
  const due = fireDue(stateOf(plan), now);
  if (!due || !plan.excursionStartedAt) return false;
  const last = plan.meterId ? await repo.meterLastValue(scope.tx, plan.tenantId, plan.meterId) : null;
  const ticket = await openWorkOrderIn(
    scope,
    deps,
    plan,
    plan.excursionStartedAt,
    now,
    false,
    excursionText(plan.trigger, last?.lastValue ?? Number.NaN),
  );
  await repo.updatePlan(scope.tx, plan.tenantId, plan.id, due.state, false);
  return !!ticket;
}

/** Active meter and threshold plans of these meters, locked (the meters ingest hook). */
export const plansOfMetersIn = (scope: Scope, tenantId: number, meterIds: number[]) => repo.plansOfMeters(scope.tx, tenantId, meterIds);

/** A threshold plan due to fire, locked, if no other worker holds it (the meters sweep). */
export const claimDueThresholdPlanIn = (scope: Scope, tenantId: number, id: number, now: Date) =>
  repo.claimDueThresholdPlan(scope.tx, tenantId, id, now);
