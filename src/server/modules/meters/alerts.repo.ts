// Thresholds, meter alerts and the offline state (all SQL of alerts.service.ts and triggers.ts):
// thresholds per meter with their excursion state, alerts keyset by id, the sweeps' scans across
// companies (owner reads) and their claims (FOR UPDATE SKIP LOCKED, still due).
import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { assets, devices, meterAlerts, meters, meterThresholds, roles, tickets, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type ThresholdRow = typeof meterThresholds.$inferSelect;
export type NewThreshold = typeof meterThresholds.$inferInsert;
export type AlertRow = typeof meterAlerts.$inferSelect;
export type NewAlert = typeof meterAlerts.$inferInsert;

// Thresholds --------------------------------------------------------------------------------------

export function thresholdsOfMeter(tx: Tx, tenantId: number, meterId: number): Promise<ThresholdRow[]> {
  return tx
    .select()
    .from(meterThresholds)
    .where(and(eq(meterThresholds.tenantId, tenantId), eq(meterThresholds.meterId, meterId)))
    .orderBy(asc(meterThresholds.id))
    .limit(500);
}

export async function countThresholds(tx: Tx, tenantId: number, meterId: number): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(meterThresholds)
    .where(and(eq(meterThresholds.tenantId, tenantId), eq(meterThresholds.meterId, meterId)));
  return Number(row?.n ?? 0);
}

export async function findThreshold(tx: Tx, tenantId: number, id: number, lock = false): Promise<ThresholdRow | null> {
  const q = tx
    .select()
    .from(meterThresholds)
    .where(and(eq(meterThresholds.tenantId, tenantId), eq(meterThresholds.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

export async function insertThreshold(tx: Tx, values: NewThreshold): Promise<ThresholdRow> {
  const [row] = await tx.insert(meterThresholds).values(values).returning();
  return row;
}

export async function deleteThreshold(tx: Tx, tenantId: number, id: number): Promise<void> {
  await tx.delete(meterThresholds).where(and(eq(meterThresholds.tenantId, tenantId), eq(meterThresholds.id, id)));
}

export async function updateThreshold(tx: Tx, tenantId: number, id: number, set: Partial<NewThreshold>): Promise<void> {
  await tx
    .update(meterThresholds)
    .set({ ...set, updatedAt: sql`now()` })
    .where(and(eq(meterThresholds.tenantId, tenantId), eq(meterThresholds.id, id)));
}

/** What the ingest hook needs of a meter: its device, key, asset (the meter's, else the device's) and name. */
export interface MeterInfo {
  id: number;
  deviceId: number;
  key: string;
  name: string;
  unit: string;
  assetId: number | null;
  lastValue: number | null;
}

const meterInfo = {
  id: meters.id,
  deviceId: meters.deviceId,
  key: meters.key,
  name: meters.name,
  unit: meters.unit,
  assetId: sql<number | null>`coalesce(${meters.assetId}, ${devices.assetId})`.mapWith((v) => (v === null ? null : Number(v))),
  lastValue: meters.lastValue,
};

/** The thresholds of these devices' meters, locked in id order (two workers never deadlock), with their meters. */
export function thresholdsOfDevices(tx: Tx, tenantId: number, deviceIds: number[]) {
  return tx
    .select({ t: meterThresholds, m: meterInfo })
    .from(meterThresholds)
    .innerJoin(meters, and(eq(meters.tenantId, meterThresholds.tenantId), eq(meters.id, meterThresholds.meterId)))
    .innerJoin(devices, and(eq(devices.tenantId, meters.tenantId), eq(devices.id, meters.deviceId)))
    .where(and(eq(meterThresholds.tenantId, tenantId), sql`${meters.deviceId} = any(${`{${deviceIds.join(',')}}`}::bigint[])`))
    .orderBy(asc(meterThresholds.id))
    .for('update', { of: meterThresholds });
}

export async function meterById(tx: Tx, tenantId: number, meterId: number): Promise<MeterInfo | null> {
  const [row] = await tx
    .select(meterInfo)
    .from(meters)
    .innerJoin(devices, and(eq(devices.tenantId, meters.tenantId), eq(devices.id, meters.deviceId)))
    .where(and(eq(meters.tenantId, tenantId), eq(meters.id, meterId)));
  return row ?? null;
}

/** A threshold whose excursion is due to fire, locked, if no other worker holds it. */
export async function claimDueThreshold(tx: Tx, tenantId: number, id: number, now: Date) {
  const [row] = await tx
    .select({ t: meterThresholds, m: meterInfo })
    .from(meterThresholds)
    .innerJoin(meters, and(eq(meters.tenantId, meterThresholds.tenantId), eq(meters.id, meterThresholds.meterId)))
    .innerJoin(devices, and(eq(devices.tenantId, meters.tenantId), eq(devices.id, meters.deviceId)))
    .where(
      and(
        eq(meterThresholds.tenantId, tenantId),
        eq(meterThresholds.id, id),
        eq(meterThresholds.fired, false),
        lte(meterThresholds.fireAt, now),
      ),
    )
    .for('update', { of: meterThresholds, skipLocked: true });
  return row ?? null;
}

// Alerts ------------------------------------------------------------------------------------------

export async function insertAlert(tx: Tx, values: NewAlert): Promise<AlertRow> {
  const [row] = await tx.insert(meterAlerts).values(values).returning();
  return row;
}

export async function setAlertTicket(tx: Tx, tenantId: number, id: number, ticketId: number): Promise<void> {
  await tx
    .update(meterAlerts)
    .set({ ticketId })
    .where(and(eq(meterAlerts.tenantId, tenantId), eq(meterAlerts.id, id)));
}

/** Closes an open alert; answers it (null when it was closed already). */
export async function closeAlert(tx: Tx, tenantId: number, id: number, at: Date, value: number | null): Promise<AlertRow | null> {
  const [row] = await tx
    .update(meterAlerts)
    .set({ closedAt: at, closedValue: value })
    .where(and(eq(meterAlerts.tenantId, tenantId), eq(meterAlerts.id, id), isNull(meterAlerts.closedAt)))
    .returning();
  return row ?? null;
}

export interface AlertWithNames {
  a: AlertRow;
  deviceName: string;
  meterName: string | null;
  unit: string | null;
  ticketNumber: number | null;
  /** Who the alert's asset (the meter's, else the device's) is assigned to: told of it, may acknowledge it. */
  assigneeId: number | null;
}
const alertWithNames = {
  a: meterAlerts,
  deviceName: devices.name,
  meterName: meters.name,
  unit: meters.unit,
  ticketNumber: tickets.number,
  assigneeId: assets.assignedToId,
};

/** Alerts with their device, meter, work order and asset assignee, as the list and the acknowledgement answer them. */
function alertsWithNames(tx: Tx, where: SQL | undefined) {
  return tx
    .select(alertWithNames)
    .from(meterAlerts)
    .innerJoin(devices, and(eq(devices.tenantId, meterAlerts.tenantId), eq(devices.id, meterAlerts.deviceId)))
    .leftJoin(meters, and(eq(meters.tenantId, meterAlerts.tenantId), eq(meters.id, meterAlerts.meterId)))
    .leftJoin(tickets, and(eq(tickets.tenantId, meterAlerts.tenantId), eq(tickets.id, meterAlerts.ticketId)))
    .leftJoin(assets, and(eq(assets.tenantId, meterAlerts.tenantId), eq(assets.id, sql`coalesce(${meters.assetId}, ${devices.assetId})`)))
    .where(where);
}

export function alertsPage(
  tx: Tx,
  tenantId: number,
  f: { status?: 'open' | 'closed'; meterId?: number; deviceId?: number; kind?: 'offline' | 'threshold'; acknowledged?: boolean },
  beforeId: number | null,
  take: number,
): Promise<AlertWithNames[]> {
  const where: Array<SQL | undefined> = [eq(meterAlerts.tenantId, tenantId)];
  if (f.status === 'open') where.push(isNull(meterAlerts.closedAt));
  if (f.status === 'closed') where.push(isNotNull(meterAlerts.closedAt));
  if (f.meterId) where.push(eq(meterAlerts.meterId, f.meterId));
  if (f.deviceId) where.push(eq(meterAlerts.deviceId, f.deviceId));
  if (f.kind) where.push(eq(meterAlerts.kind, f.kind));
  if (f.acknowledged === true) where.push(isNotNull(meterAlerts.acknowledgedAt));
  if (f.acknowledged === false) where.push(isNull(meterAlerts.acknowledgedAt));
  if (beforeId) where.push(sql`${meterAlerts.id} < ${beforeId}`);
  return alertsWithNames(tx, and(...where))
    .orderBy(desc(meterAlerts.id))
    .limit(take);
}

/** Open alerts, and those of them nobody acknowledged (one scan of the open-alerts index). */
export async function openAlertCounts(tx: Tx, tenantId: number): Promise<{ open: number; unacknowledged: number }> {
  const [row] = await tx
    .select({
      open: sql<number>`count(*)::int`,
      unacknowledged: sql<number>`(count(*) filter (where ${meterAlerts.acknowledgedAt} is null))::int`,
    })
    .from(meterAlerts)
    .where(and(eq(meterAlerts.tenantId, tenantId), isNull(meterAlerts.closedAt)));
  return { open: Number(row?.open ?? 0), unacknowledged: Number(row?.unacknowledged ?? 0) };
}

/** An alert with its names (the acknowledge answer). */
export async function findAlert(tx: Tx, tenantId: number, id: number): Promise<AlertWithNames | null> {
  const [row] = await alertsWithNames(tx, and(eq(meterAlerts.tenantId, tenantId), eq(meterAlerts.id, id)));
  return row ?? null;
}

/** Marks an alert acknowledged unless someone already did (the first acknowledgement stays). */
export async function acknowledgeAlert(
  tx: Tx,
  tenantId: number,
  id: number,
  by: { id: number; name: string },
  note: string | null,
): Promise<boolean> {
  const rows = await tx
    .update(meterAlerts)
    .set({ acknowledgedAt: sql`now()`, acknowledgedById: by.id, acknowledgedByName: by.name, acknowledgeNote: note })
    .where(and(eq(meterAlerts.tenantId, tenantId), eq(meterAlerts.id, id), isNull(meterAlerts.acknowledgedAt)))
    .returning({ id: meterAlerts.id });
  return rows.length > 0;
}

/** Who hears of a meter alert: active holders of meters.manage, and the person the asset is assigned to. */
export async function alertRecipients(tx: Tx, tenantId: number, assetId: number | null): Promise<number[]> {
  const managers = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'), sql`'meters.manage' = any(${roles.permissions})`));
  const ids = managers.map((r) => r.id);
  if (assetId) {
    const [a] = await tx
      .select({ assignedToId: assets.assignedToId })
      .from(assets)
      .where(and(eq(assets.tenantId, tenantId), eq(assets.id, assetId)));
    if (a?.assignedToId) ids.push(a.assignedToId);
  }
  return [...new Set(ids)];
}

// Offline -----------------------------------------------------------------------------------------

/** A device past its offline time and not flagged, locked, if no other worker holds it. */
export async function claimOfflineDevice(tx: Tx, tenantId: number, id: number, now: Date) {
  const [row] = await tx
    .select()
    .from(devices)
    .where(and(eq(devices.tenantId, tenantId), eq(devices.id, id), isNull(devices.offlineAlertId), lte(devices.offlineAt, now)))
    .for('update', { skipLocked: true });
  return row ?? null;
}

export interface OfflineRaised {
  alert: AlertRow;
  device: { name: string; deviceKey: string; assetId: number | null; lastSeenAt: Date | null; offlineAfterSeconds: number };
}

/**
 * The sweep's claim, set-based, one statement per company: the devices among `ids` past their
 * offline time and not flagged yet are locked (id order, so two workers never deadlock; those
 * another worker holds are skipped), each gets its offline alert, and its flag points at it.
 */
export async function raiseOffline(tx: Tx, tenantId: number, ids: number[], now: Date): Promise<OfflineRaised[]> {
  const rows = await tx.execute<Record<string, string | null>>(sql`
    with c as (
      select id, name, device_key, asset_id, last_seen_at, offline_at, offline_after_seconds from devices
       where tenant_id = ${tenantId} and id = any(${`{${ids.join(',')}}`}::bigint[])
         and offline_alert_id is null and offline_at <= ${now.toISOString()}::timestamptz
       order by id for update skip locked),
    a as (
      insert into meter_alerts (tenant_id, kind, device_id, message, opened_at)
      select ${tenantId}, 'offline', c.id, c.name || ' is offline (no reading for ' || c.offline_after_seconds || ' s)', c.offline_at
        from c order by c.id
      returning id, device_id, message, opened_at),
    f as (update devices d set offline_alert_id = a.id from a where d.tenant_id = ${tenantId} and d.id = a.device_id)
    select a.id, a.device_id, a.message, a.opened_at, d.name, d.device_key, d.asset_id, d.last_seen_at, d.offline_after_seconds
      from a join devices d on d.tenant_id = ${tenantId} and d.id = a.device_id order by a.device_id`);
  const date = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));
  return (rows as unknown as { rows: Array<Record<string, unknown>> }).rows.map((r) => ({
    alert: {
      tenantId,
      id: Number(r.id),
      kind: 'offline',
      deviceId: Number(r.device_id),
      meterId: null,
      thresholdId: null,
      message: String(r.message),
      value: null,
      ticketId: null,
      openedAt: date(r.opened_at) as Date,
      closedAt: null,
      closedValue: null,
      acknowledgedAt: null,
      acknowledgedById: null,
      acknowledgedByName: null,
      acknowledgeNote: null,
      remindedAt: null,
    },
    device: {
      name: String(r.name),
      deviceKey: String(r.device_key),
      assetId: r.asset_id === null ? null : Number(r.asset_id),
      lastSeenAt: date(r.last_seen_at),
      offlineAfterSeconds: Number(r.offline_after_seconds),
    },
  }));
}

/** Active holders of meters.manage (who hears of every meter alert of the company). */
export async function meterManagers(tx: Tx, tenantId: number): Promise<number[]> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.status, 'active'), sql`'meters.manage' = any(${roles.permissions})`));
  return rows.map((r) => r.id);
}

/** Who each of these assets is assigned to (assets without an assignee are left out). */
export async function assetAssignees(tx: Tx, tenantId: number, assetIds: number[]): Promise<Map<number, number>> {
  if (assetIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: assets.id, assignedToId: assets.assignedToId })
    .from(assets)
    .where(and(eq(assets.tenantId, tenantId), inArray(assets.id, assetIds)));
  return new Map(rows.filter((r) => r.assignedToId !== null).map((r) => [r.id, r.assignedToId as number]));
}

export async function flagOffline(tx: Tx, tenantId: number, id: number, alertId: number): Promise<void> {
  await tx
    .update(devices)
    .set({ offlineAlertId: alertId })
    .where(and(eq(devices.tenantId, tenantId), eq(devices.id, id)));
}

/** These devices published: their offline flags are cleared; answers the alerts to close. */
export async function clearOffline(tx: Tx, tenantId: number, deviceIds: number[]): Promise<number[]> {
  const rows = await tx.execute<{ alert_id: string }>(sql`
    update devices d set offline_alert_id = null
      from (select id, offline_alert_id from devices
             where tenant_id = ${tenantId} and id = any(${`{${deviceIds.join(',')}}`}::bigint[]) and offline_alert_id is not null
             order by id for update) old
     where d.tenant_id = ${tenantId} and d.id = old.id
    returning old.offline_alert_id as alert_id`);
  return (rows as unknown as { rows: Array<{ alert_id: string }> }).rows.map((r) => Number(r.alert_id));
}

// The sweep ---------------------------------------------------------------------------------------

export type DueKind = 'offline' | 'threshold' | 'plan';
export interface DueItem {
  kind: DueKind;
  tenantId: number;
  id: number;
}

/**
 * Everything due at `now` across companies (an owner read, each by its partial index): devices
 * past their offline time not flagged yet, threshold excursions and threshold plans due to fire.
 */
export async function dueItems(tx: Tx, now: Date, take: number, takeOffline = take): Promise<DueItem[]> {
  const at = now.toISOString();
  const rows = await tx.execute<{ kind: DueKind; tenant_id: string; id: string }>(sql`
    (select 'offline' as kind, tenant_id, id from devices
      where offline_alert_id is null and offline_at is not null and offline_at <= ${at}::timestamptz
      order by offline_at limit ${takeOffline})
    union all
    (select 'threshold', tenant_id, id from meter_thresholds
      where fire_at is not null and fire_at <= ${at}::timestamptz
      order by fire_at limit ${take})
    union all
    (select 'plan', tenant_id, id from maintenance_plans
      where active and fire_at is not null and fire_at <= ${at}::timestamptz
      order by fire_at limit ${take})`);
  return (rows as unknown as { rows: Array<{ kind: DueKind; tenant_id: string; id: string }> }).rows.map((r) => ({
    kind: r.kind,
    tenantId: Number(r.tenant_id),
    id: Number(r.id),
  }));
}

/** These devices' meters, and whether an active maintenance plan watches each (the ingest hook's routing). */
/** The meters of these devices that an active maintenance plan counts on (by the plans' meter index). */
export async function plannedMetersOfDevices(tx: Tx, tenantId: number, deviceIds: number[]) {
  const rows = await tx.execute<{ id: string; device_id: string; key: string }>(sql`
    select m.id, m.device_id, m.key
      from meters m
     where m.tenant_id = ${tenantId} and m.device_id = any(${`{${deviceIds.join(',')}}`}::bigint[])
       and exists (select 1 from maintenance_plans p where p.tenant_id = m.tenant_id and p.meter_id = m.id and p.active)`);
  return (rows as unknown as { rows: Array<{ id: string; device_id: string; key: string }> }).rows.map((r) => ({
    id: Number(r.id),
    deviceId: Number(r.device_id),
    key: r.key,
  }));
}

/** Ticket numbers by id (the work orders thresholds opened). */
export async function ticketNumbers(tx: Tx, tenantId: number, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: tickets.id, number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.id, ids)));
  return new Map(rows.map((r) => [r.id, r.number]));
}

export interface ThresholdState {
  id: number;
  excursionStartedAt: Date | null;
  fireAt: Date | null;
  fired: boolean;
  alertId: number | null;
  workOrderId: number | null;
  evaluatedAt: Date | null;
}

/** The thresholds' new states after a batch, in one statement (a batch may touch thousands). */
export async function saveThresholdStates(tx: Tx, tenantId: number, states: ThresholdState[]): Promise<void> {
  if (states.length === 0) return;
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  const json = JSON.stringify(
    states.map((s) => ({
      id: s.id,
      es: iso(s.excursionStartedAt),
      fa: iso(s.fireAt),
      f: s.fired,
      a: s.alertId,
      w: s.workOrderId,
      e: iso(s.evaluatedAt),
    })),
  );
  await tx.execute(sql`
    update meter_thresholds t
       set excursion_started_at = x.es, fire_at = x.fa, fired = x.f, alert_id = x.a, work_order_id = x.w,
           evaluated_at = x.e, last_error = null
      from jsonb_to_recordset(${json}::jsonb) as x(id bigint, es timestamptz, fa timestamptz, f boolean, a bigint, w bigint, e timestamptz)
     where t.tenant_id = ${tenantId} and t.id = x.id`);
}

// Reminders ---------------------------------------------------------------------------------------

/** Companies that remind of open alerts nobody acknowledged (meterAlertReminderHours > 0), with the hours. */
export async function companiesWithReminders(tx: Tx): Promise<Array<{ tenantId: number; hours: number }>> {
  const rows = await tx.execute<{ id: string; hours: string }>(sql`
    select id, floor((settings->>'meterAlertReminderHours')::numeric)::int as hours from companies
     where jsonb_typeof(settings->'meterAlertReminderHours') = 'number'
       and (settings->>'meterAlertReminderHours')::numeric between 1 and 168
       and not suspended
     order by id`);
  return (rows as unknown as { rows: Array<{ id: string; hours: string }> }).rows.map((r) => ({
    tenantId: Number(r.id),
    hours: Number(r.hours),
  }));
}

export interface ReminderDue {
  id: number;
  message: string;
  openedAt: Date;
  /** The meter's asset, else the device's. */
  assetId: number | null;
}

/**
 * Claims the open, unacknowledged alerts of a company whose last notice (opening or reminder) is at
 * least `hours` old, and stamps them reminded now: a second worker skips them (SKIP LOCKED), and the
 * next reminder is `hours` later.
 */
export async function claimReminders(tx: Tx, tenantId: number, hours: number, now: Date, take: number): Promise<ReminderDue[]> {
  const at = now.toISOString();
  const rows = await tx.execute(sql`
    with c as (
      select id from meter_alerts
       where tenant_id = ${tenantId} and closed_at is null and acknowledged_at is null
         and coalesce(reminded_at, opened_at) <= ${at}::timestamptz - make_interval(hours => ${hours}::int)
       order by id limit ${take} for update skip locked),
    u as (
      update meter_alerts a set reminded_at = ${at}::timestamptz from c
       where a.tenant_id = ${tenantId} and a.id = c.id
      returning a.id, a.message, a.opened_at, a.device_id, a.meter_id)
    select u.id, u.message, u.opened_at, coalesce(m.asset_id, d.asset_id) as asset_id
      from u join devices d on d.tenant_id = ${tenantId} and d.id = u.device_id
      left join meters m on m.tenant_id = ${tenantId} and m.id = u.meter_id
     order by u.id`);
  return (rows as unknown as { rows: Array<Record<string, unknown>> }).rows.map((r) => ({
    id: Number(r.id),
    message: String(r.message),
    openedAt: r.opened_at instanceof Date ? r.opened_at : new Date(String(r.opened_at)),
    assetId: r.asset_id === null || r.asset_id === undefined ? null : Number(r.asset_id),
  }));
}
