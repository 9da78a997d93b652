// Meter and threshold maintenance plans (issue 16). A meter plan ({meterId, everyUnits}) opens its
// work order when the meter's counter reaches the next mark (marks every everyUnits from 0: 500,
// 1000, 1500 … running hours), once per mark; the next mark is the mark plus everyUnits (past the
// reading when the counter jumped over several). A threshold plan opens one work order per
// excursion (the rule of src/shared/excursion.ts; the run is keyed by the excursion's start, so a
// retry or a second worker never opens it twice). Called by the meters ingest hook and sweep
// inside their transaction, with the plans locked.
import type { PlanTrigger } from '../../db/schema/index.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { type ExcursionState, evaluateExcursion, fireDue, type Reading } from '../../../shared/excursion.js';
import * as repo from './maintenance.repo.js';
import { openWorkOrderIn } from './maintenance.service.js';

type MeterTrigger = Extract<PlanTrigger, { type: 'meter' }>;
type ThresholdTrigger = Extract<PlanTrigger, { type: 'threshold' }>;

/** The first mark above a counter value: marks are the multiples of everyUnits. */
export function nextMark(value: number, everyUnits: number): number {
  return (Math.floor(value / everyUnits) + 1) * everyUnits;
}

/** The stored clock of a new or re-triggered meter/threshold plan. */
export async function meterPlanClock(scope: Scope, tenantId: number, trigger: PlanTrigger) {
  const empty = { excursionStartedAt: null, fireAt: null, fired: false, evaluatedAt: null };
  if (trigger.type === 'interval') return { meterId: null, nextDueValue: null, ...empty };
  const meter = await repo.meterLastValue(scope.tx, tenantId, Number(trigger.meterId));
  const nextDueValue =
    trigger.type === 'meter' && meter?.lastValue !== null && meter?.lastValue !== undefined
      ? String(nextMark(meter.lastValue, trigger.everyUnits))
      : null;
  return { meterId: Number(trigger.meterId), nextDueValue, ...empty };
}

export const meterExists = async (scope: Scope, tenantId: number, meterId: number) =>
  !!(await repo.meterLastValue(scope.tx, tenantId, meterId));

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
  tenantId: number,
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
    await repo.updatePlan(scope.tx, plan.tenantId, plan.id, { nextDueValue: String(nextMark(top.v, t.everyUnits)), evaluatedAt: top.at }, false);
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
  const ticket = await openWorkOrderIn(scope, deps, plan, plan.excursionStartedAt, now, false, excursionText(plan.trigger, last?.lastValue ?? Number.NaN));
  await repo.updatePlan(scope.tx, plan.tenantId, plan.id, due.state, false);
  return !!ticket;
}

/** Active meter and threshold plans of these meters, locked (the meters ingest hook). */
export const plansOfMetersIn = (scope: Scope, tenantId: number, meterIds: number[]) => repo.plansOfMeters(scope.tx, tenantId, meterIds);

/** A threshold plan due to fire, locked, if no other worker holds it (the meters sweep). */
export const claimDueThresholdPlanIn = (scope: Scope, tenantId: number, id: number, now: Date) =>
  repo.claimDueThresholdPlan(scope.tx, tenantId, id, now);
