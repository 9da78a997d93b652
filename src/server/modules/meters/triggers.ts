// What readings trigger, after their batch has committed: offline alerts closed (the device
// publishes again), thresholds' excursions (alert, work order, once per excursion; closed when the
// value returns), meter and threshold maintenance plans. And the sweep, a timer in every worker
// (every SWEEP_MS): devices silent past their offline time, excursions that lasted forSeconds
// without a new reading. All state lives in the rows (offline_at / offline_alert_id, fire_at /
// fired / alert_id), each change is claimed under a row lock with its condition re-checked, so a
// restart, a retry or several workers never raise an alert or open a work order twice.
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { claimDueThresholdPlanIn, evaluatePlans, fireDuePlan, plansOfMetersIn } from '../maintenance/meter-plans.service.js';
import { notify } from '../notifications/notifications.service.js';
import { openFromTemplate } from '../recurring/recurring.service.js';
import { emitWebhookEvent, emitWebhookEvents } from '../webhooks/webhooks.service.js';
import * as repo from './alerts.repo.js';
import { type ExcursionState, evaluateExcursion, fireDue, type Reading } from '../../../shared/excursion.js';
import type { ReadingIn } from './meters.repo.js';

/**
 * How often a worker sweeps for due offline alerts and excursions. The budget is 10 % of the
 * smallest offlineAfterSeconds (10 s: 1 s) for the wait until the next sweep plus the sweep itself,
 * which after an outage handles thousands of devices (~0.5 s for 5,000 on PostgreSQL): 250 ms
 * leaves the larger part to the sweep; an idle sweep costs ~2 ms (docs/PERFORMANCE.md).
 */
export const SWEEP_MS = 250;
const SWEEP_BATCH = 500;
/** Offline devices claimed per sweep (a whole outage's worth: they are handled set-based per company). */
const SWEEP_OFFLINE_BATCH = 10_000;
/** A recipient told of more offline devices than this in one sweep gets one summary notice instead. */
export const OFFLINE_DIGEST = 10;

// The hook point ------------------------------------------------------------------------------------

export interface MeterAlertEvent {
  state: 'opened' | 'closed';
  alert: repo.AlertRow;
}
export type MeterAlertListener = (scope: Scope, event: MeterAlertEvent) => Promise<void>;
const listeners: MeterAlertListener[] = [];

/**
 * Registers a listener called inside the transaction that opens or closes a meter alert (e.g. the
 * `meter.alert` webhook: write its outbox row there, send after commit).
 */
export function onMeterAlert(listener: MeterAlertListener): void {
  listeners.push(listener);
}

async function emit(scope: Scope, event: MeterAlertEvent) {
  for (const l of listeners) await l(scope, event);
}

// Opening and closing alerts ------------------------------------------------------------------------

const fmt = (v: number | null, unit: string) =>
  v === null || Number.isNaN(v) ? '' : `${Number(v.toPrecision(6))}${unit ? ` ${unit}` : ''}`;

const alertDto = (alert: repo.AlertRow, assetId: number | null) => ({
  alert: {
    id: String(alert.id),
    kind: alert.kind,
    deviceId: String(alert.deviceId),
    meterId: alert.meterId === null ? null : String(alert.meterId),
    thresholdId: alert.thresholdId === null ? null : String(alert.thresholdId),
    assetId: assetId === null ? null : String(assetId),
    message: alert.message,
    value: alert.value,
    openedAt: alert.openedAt.toISOString(),
  },
});

/** Records an alert, notifies who looks after the meter, tells the listeners. Inside the caller's transaction. */
export async function openAlert(
  scope: Scope,
  deps: Deps,
  values: repo.NewAlert,
  notice: { title: string; body: string; assetId: number | null },
): Promise<repo.AlertRow> {
  const alert = await repo.insertAlert(scope.tx, values);
  await notify(scope, deps, values.tenantId, {
    event: 'meter.alert',
    recipients: await repo.alertRecipients(scope.tx, values.tenantId, notice.assetId),
    actorId: null,
    ticketNumber: null,
    title: notice.title,
    body: notice.body,
  });
  await emit(scope, { state: 'opened', alert });
  // The company's integrations hear of it too (meter.alert, API.md), after commit from the durable queue.
  await emitWebhookEvent(scope, 'meter.alert', () => Promise.resolve(alertDto(alert, notice.assetId)));
  return alert;
}

async function closeAlertIn(scope: Scope, tenantId: number, id: number, at: Date, value: number | null) {
  const alert = await repo.closeAlert(scope.tx, tenantId, id, at, value);
  if (alert) await emit(scope, { state: 'closed', alert });
}

// Thresholds -----------------------------------------------------------------------------------------

const stateOf = (t: repo.ThresholdRow): ExcursionState => ({
  excursionStartedAt: t.excursionStartedAt,
  fireAt: t.fireAt,
  fired: t.fired,
  evaluatedAt: t.evaluatedAt,
});

const opWord = (op: string) => (op === '>' ? 'above' : 'below');

async function fireThreshold(scope: Scope, deps: Deps, t: repo.ThresholdRow, m: repo.MeterInfo, at: Date, v: number | null) {
  const title = `${m.name}: ${opWord(t.op)} ${fmt(t.value, m.unit)}${t.forSeconds ? ` for ${t.forSeconds} s` : ''}`;
  let ticketId: number | null = null;
  let ticketNumber: number | null = null;
  if (t.action === 'work_order' && t.template) {
    const ticket = await openFromTemplate(scope, deps, t.tenantId, {
      kind: 'work_order',
      title: t.template.title,
      description: `_Opened by the threshold of meter "${m.name}": ${opWord(t.op)} ${fmt(t.value, m.unit)} for ${t.forSeconds} s (reading ${fmt(v, m.unit)} at ${at.toISOString()})._`,
      priority: t.template.priority,
      assigneeId: t.template.assigneeId ? Number(t.template.assigneeId) : null,
      teamId: t.template.teamId ? Number(t.template.teamId) : null,
      assetIds: m.assetId ? [m.assetId] : [],
      tasks: t.template.tasks ?? [],
    });
    ticketId = ticket.id;
    ticketNumber = ticket.number;
  }
  const alert = await openAlert(
    scope,
    deps,
    {
      tenantId: t.tenantId,
      kind: 'threshold',
      deviceId: m.deviceId,
      meterId: m.id,
      thresholdId: t.id,
      message: title,
      value: v,
      ticketId,
      openedAt: at,
    },
    {
      title: `Meter alert: ${title}`,
      body: `${m.name} reads ${fmt(v, m.unit)}, ${opWord(t.op)} its threshold of ${fmt(t.value, m.unit)}${t.forSeconds ? ` for ${t.forSeconds} s` : ''}.${ticketNumber ? ` Work order #${ticketNumber} opened.` : ''}`,
      assetId: m.assetId,
    },
  );
  return { alertId: alert.id, workOrderId: ticketId };
}

/** New readings of one meter's threshold (locked by the caller): fires and closes; answers the new state to save. */
async function evaluateThreshold(
  scope: Scope,
  deps: Deps,
  t: repo.ThresholdRow,
  m: repo.MeterInfo,
  list: Reading[],
): Promise<repo.ThresholdState> {
  const { state, events } = evaluateExcursion(t, stateOf(t), list);
  let alertId = t.alertId;
  let workOrderId = t.workOrderId;
  for (const e of events) {
    if (e.type === 'fire') {
      const fired = await fireThreshold(scope, deps, t, m, e.at, e.v);
      alertId = fired.alertId;
      workOrderId = fired.workOrderId ?? workOrderId;
    } else if (alertId) {
      await closeAlertIn(scope, t.tenantId, alertId, e.at, e.v);
      alertId = null;
    }
  }
  return { id: t.id, ...state, alertId, workOrderId };
}

// The ingest hook -------------------------------------------------------------------------------------

/**
 * After a batch committed: one company's readings (as the ingest received them; duplicates are
 * harmless, the rules are idempotent per reading). One transaction; three indexed statements when
 * nothing is configured.
 */
export async function afterReadings(deps: Deps, tenantId: number, readings: ReadingIn[], now = new Date()): Promise<void> {
  if (readings.length === 0) return;
  const deviceIds = [...new Set(readings.map((r) => r.deviceId))];
  await deps.database.withTenant(tenantId, async (scope) => {
    const at = now;
    for (const alertId of await repo.clearOffline(scope.tx, tenantId, deviceIds)) await closeAlertIn(scope, tenantId, alertId, at, null);
    const thresholds = await repo.thresholdsOfDevices(scope.tx, tenantId, deviceIds);
    const planned = await repo.plannedMetersOfDevices(scope.tx, tenantId, deviceIds);
    // Most batches carry thousands of readings of meters nothing watches: only the readings of the
    // meters with a threshold or a plan are gathered (in their batch order).
    if (thresholds.length === 0 && planned.length === 0) return;
    const watched = new Set<string>();
    for (const { m } of thresholds) watched.add(`${m.deviceId}/${m.key}`);
    for (const m of planned) watched.add(`${m.deviceId}/${m.key}`);
    const byTopic = new Map<string, Reading[]>();
    for (const r of readings) {
      const key = `${r.deviceId}/${r.key}`;
      if (!watched.has(key)) continue;
      const list = byTopic.get(key);
      if (list) list.push({ at: new Date(r.ts), v: r.v });
      else byTopic.set(key, [{ at: new Date(r.ts), v: r.v }]);
    }
    const meterIds = new Map<number, Reading[]>();
    const states: repo.ThresholdState[] = [];
    for (const { t, m } of thresholds) {
      const list = byTopic.get(`${m.deviceId}/${m.key}`);
      if (!list) continue;
      meterIds.set(m.id, list);
      states.push(await evaluateThreshold(scope, deps, t, m, list));
    }
    await repo.saveThresholdStates(scope.tx, tenantId, states);
    const withPlan: number[] = [];
    for (const m of planned) {
      const list = byTopic.get(`${m.deviceId}/${m.key}`);
      if (!list) continue;
      meterIds.set(m.id, list);
      withPlan.push(m.id);
    }
    if (withPlan.length === 0) return;
    const plans = await plansOfMetersIn(scope, tenantId, withPlan);
    if (plans.length > 0) await evaluatePlans(scope, deps, plans, meterIds, now);
  });
}

/**
 * Runs the hook after each stored batch without holding the ingest: one run at a time per
 * ingest, the readings arriving meanwhile merged into the next run (per company).
 */
export class TriggerQueue {
  private waiting = new Map<number, ReadingIn[]>();
  private running: Promise<void> | null = null;

  constructor(private readonly deps: Deps) {}

  push(tenantId: number, readings: ReadingIn[]): void {
    const list = this.waiting.get(tenantId);
    if (list) list.push(...readings);
    else this.waiting.set(tenantId, [...readings]);
    if (!this.running) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    while (this.waiting.size > 0) {
      const batch = this.waiting;
      this.waiting = new Map();
      for (const [tenantId, readings] of batch) {
        await afterReadings(this.deps, tenantId, readings).catch((err) =>
          this.deps.log.error({ err, tenantId, readings: readings.length }, 'meter triggers failed'),
        );
      }
    }
    this.running = null;
  }

  /** Resolves once everything pushed so far was evaluated. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}

// The sweep -------------------------------------------------------------------------------------------

export interface SweepResult {
  offline: number;
  thresholds: number;
  plans: number;
  failed: number;
}

async function offlineOne(scope: Scope, deps: Deps, tenantId: number, id: number, now: Date): Promise<boolean> {
  const d = await repo.claimOfflineDevice(scope.tx, tenantId, id, now);
  if (!d || !d.offlineAt) return false;
  const silent = d.lastSeenAt ? Math.round((now.getTime() - d.lastSeenAt.getTime()) / 1000) : d.offlineAfterSeconds;
  const alert = await openAlert(
    scope,
    deps,
    {
      tenantId,
      kind: 'offline',
      deviceId: d.id,
      message: `${d.name} is offline (no reading for ${d.offlineAfterSeconds} s)`,
      openedAt: d.offlineAt,
    },
    {
      title: `Device offline: ${d.name}`,
      body: `${d.name} (${d.deviceKey}) has sent no reading for ${silent} s (last seen ${d.lastSeenAt?.toISOString() ?? 'never'}).`,
      assetId: d.assetId,
    },
  );
  await repo.flagOffline(scope.tx, tenantId, d.id, alert.id);
  return true;
}

async function thresholdOne(scope: Scope, deps: Deps, tenantId: number, id: number, now: Date): Promise<boolean> {
  const row = await repo.claimDueThreshold(scope.tx, tenantId, id, now);
  if (!row) return false;
  const due = fireDue(stateOf(row.t), now);
  if (!due) return false;
  const fired = await fireThreshold(scope, deps, row.t, row.m, due.at, row.m.lastValue);
  await repo.updateThreshold(scope.tx, tenantId, id, {
    ...due.state,
    alertId: fired.alertId,
    workOrderId: fired.workOrderId ?? row.t.workOrderId,
    lastError: null,
  });
  return true;
}

async function planOne(scope: Scope, deps: Deps, tenantId: number, id: number, now: Date): Promise<boolean> {
  const plan = await claimDueThresholdPlanIn(scope, tenantId, id, now);
  return plan ? fireDuePlan(scope, deps, plan, now) : false;
}

/**
 * Who hears of each of these alerts (holders of meters.manage, and the assignee of the item's asset),
 * grouped per recipient: two reads for any number of items.
 */
export async function groupByRecipient<T extends { assetId: number | null }>(
  scope: Scope,
  tenantId: number,
  items: T[],
): Promise<Map<number, T[]>> {
  const managers = await repo.meterManagers(scope.tx, tenantId);
  const assignees = await repo.assetAssignees(scope.tx, tenantId, [
    ...new Set(items.map((x) => x.assetId).filter((a): a is number => a !== null)),
  ]);
  const byRecipient = new Map<number, T[]>();
  for (const item of items) {
    const assignee = item.assetId !== null ? assignees.get(item.assetId) : undefined;
    for (const userId of new Set([...managers, ...(assignee !== undefined ? [assignee] : [])])) {
      const list = byRecipient.get(userId);
      if (list) list.push(item);
      else byRecipient.set(userId, [item]);
    }
  }
  return byRecipient;
}

/**
 * A company's devices gone offline, set-based (after an outage thousands fall due in the same
 * sweep): one statement claims the devices, inserts their alerts and flags them; one notify (a recipient told of more than
 * OFFLINE_DIGEST devices gets one summary instead of a flood), and one webhook insert.
 */
async function offlineMany(scope: Scope, deps: Deps, tenantId: number, ids: number[], now: Date): Promise<number> {
  const raised = await repo.raiseOffline(scope.tx, tenantId, ids, now);
  if (raised.length === 0) return 0;
  const claimed = raised.map((r) => r.device);
  const alerts = raised.map((r) => r.alert);
  // Per recipient: the devices they hear of (as indexes into claimed).
  const byRecipient = await groupByRecipient(
    scope,
    tenantId,
    claimed.map((d, i) => ({ i, assetId: d.assetId })),
  ).then((m) => new Map([...m].map(([userId, items]) => [userId, items.map((x) => x.i)])));
  const single = new Map<number, number[]>();
  const notices: Parameters<typeof notify>[3] & unknown[] = [];
  for (const [userId, list] of byRecipient) {
    if (list.length <= OFFLINE_DIGEST) {
      for (const i of list) single.set(i, [...(single.get(i) ?? []), userId]);
      continue;
    }
    const names = list.slice(0, 20).map((i) => claimed[i].name);
    notices.push({
      event: 'meter.alert',
      recipients: [userId],
      actorId: null,
      ticketNumber: null,
      title: `${list.length} devices offline`,
      body: `${list.length} devices have sent no reading for their offline time: ${names.join(', ')}${list.length > names.length ? `, and ${list.length - names.length} more` : ''}. Each has its open alert on the Alerts page.`,
    });
  }
  for (const [i, recipients] of single) {
    const d = claimed[i];
    const silent = d.lastSeenAt ? Math.round((now.getTime() - d.lastSeenAt.getTime()) / 1000) : d.offlineAfterSeconds;
    notices.push({
      event: 'meter.alert',
      recipients,
      actorId: null,
      ticketNumber: null,
      title: `Device offline: ${d.name}`,
      body: `${d.name} (${d.deviceKey}) has sent no reading for ${silent} s (last seen ${d.lastSeenAt?.toISOString() ?? 'never'}).`,
    });
  }
  await notify(scope, deps, tenantId, notices);
  for (const alert of alerts) await emit(scope, { state: 'opened', alert });
  await emitWebhookEvents(
    scope,
    'meter.alert',
    alerts.map((a, i) => alertDto(a, claimed[i].assetId)),
  );
  return claimed.length;
}

/** One sweep at `now` (injected in tests): offline devices set-based per company, the rest one by one. */
export async function sweepMeters(deps: Deps, now: Date = new Date()): Promise<SweepResult> {
  const result: SweepResult = { offline: 0, thresholds: 0, plans: 0, failed: 0 };
  const due = await deps.database.system(({ tx }) => repo.dueItems(tx, now, SWEEP_BATCH, SWEEP_OFFLINE_BATCH));
  const offline = new Map<number, number[]>();
  for (const item of due) if (item.kind === 'offline') offline.set(item.tenantId, [...(offline.get(item.tenantId) ?? []), item.id]);
  const oneByOne: repo.DueItem[] = due.filter((item) => item.kind !== 'offline');
  for (const [tenantId, ids] of offline) {
    try {
      result.offline += await deps.database.withTenant(tenantId, (scope) => offlineMany(scope, deps, tenantId, ids, now));
    } catch (err) {
      // One bad row must not hold the company's other alerts: retry these one by one.
      deps.log.warn({ err, tenantId, devices: ids.length }, 'meter offline sweep failed; one by one');
      oneByOne.push(...ids.map((id) => ({ kind: 'offline' as const, tenantId, id })));
    }
  }
  for (const item of oneByOne) {
    try {
      const done = await deps.database.withTenant(item.tenantId, (scope) =>
        item.kind === 'offline'
          ? offlineOne(scope, deps, item.tenantId, item.id, now)
          : item.kind === 'threshold'
            ? thresholdOne(scope, deps, item.tenantId, item.id, now)
            : planOne(scope, deps, item.tenantId, item.id, now),
      );
      if (done) result[item.kind === 'offline' ? 'offline' : item.kind === 'threshold' ? 'thresholds' : 'plans']++;
    } catch (err) {
      result.failed++;
      deps.log.warn({ err, ...item }, 'meter sweep item failed');
      if (item.kind === 'threshold')
        await deps.database
          .withTenant(item.tenantId, (scope) =>
            repo.updateThreshold(scope.tx, item.tenantId, item.id, { lastError: (err as Error).message.slice(0, 500) }),
          )
          .catch(() => undefined);
    }
  }
  return result;
}

/** The worker's timer: sweeps every SWEEP_MS, one sweep at a time. */
export function startMeterSweep(deps: Deps, everyMs = SWEEP_MS): { stop(): Promise<void> } {
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    current = sweepMeters(deps)
      .then((r) => {
        if (r.offline + r.thresholds + r.plans + r.failed > 0) deps.log.info(r, 'meter sweep');
      })
      .catch((err) => deps.log.warn({ err }, 'meter sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, everyMs);
      });
  };
  timer = setTimeout(tick, everyMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
