// IoT meters (issue 16): devices with their own MQTT credentials, the meters they publish, the raw
// readings (partitioned by month: the partitioning itself is in the custom migration, drizzle-kit
// cannot emit it) and the minute/hour/day rollups the ingest keeps current.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';
import { users } from './users.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export const devices = pgTable(
  'devices',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    /** lower(name), stored: the list's keyset order (db/keyset.ts: an index on lower(name) is unusable for the cursor under RLS). */
    nameKey: text('name_key').generatedAlwaysAs(sql`lower(name)`),
    assetId: bigint('asset_id', { mode: 'number' }),
    /** The MQTT username and topic prefix: unique across the instance (the broker looks it up before it knows the company). */
    deviceKey: text('device_key').notNull(),
    /** sha256 of a 32-byte random secret (high entropy: a slow hash adds nothing and would slow every connect). */
    secretHash: text('secret_hash').notNull(),
    offlineAfterSeconds: integer('offline_after_seconds').notNull().default(300),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** last_seen_at + offline_after_seconds, kept by the ingest: the offline sweep's key (null: never seen). */
    offlineAt: timestamp('offline_at', { withTimezone: true }),
    /** The open offline alert (set by the sweep, cleared when the device publishes again). */
    offlineAlertId: bigint('offline_alert_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('devices_device_key_key').on(t.deviceKey),
    index('devices_tenant_name_idx').on(t.tenantId, t.nameKey, t.id),
    // The offline sweep across companies: devices past their offline time, not flagged yet.
    index('devices_offline_due_idx')
      .on(t.offlineAt)
      .where(sql`${t.offlineAlertId} is null and ${t.offlineAt} is not null`),
    tenantPolicy(),
  ],
);

export const meters = pgTable(
  'meters',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    deviceId: bigint('device_id', { mode: 'number' }).notNull(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    unit: text('unit').notNull().default(''),
    assetId: bigint('asset_id', { mode: 'number' }),
    lastValue: doublePrecision('last_value'),
    lastAt: timestamp('last_at', { withTimezone: true, precision: 6 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('meters_device_key_key').on(t.tenantId, t.deviceId, t.key),
    index('meters_tenant_asset_idx').on(t.tenantId, t.assetId),
    foreignKey({
      name: 'meters_device_fk',
      columns: [t.tenantId, t.deviceId],
      foreignColumns: [devices.tenantId, devices.id],
    }).onDelete('cascade'),
    tenantPolicy(),
  ],
);

/** Raw readings. PARTITIONED BY RANGE (ts) by month in the migration; unique by (meter, ts). */
export const meterReadings = pgTable(
  'meter_readings',
  {
    tenantId: tenantId(),
    meterId: bigint('meter_id', { mode: 'number' }).notNull(),
    ts: timestamp('ts', { withTimezone: true, precision: 6 }).notNull(),
    v: doublePrecision('v').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.meterId, t.ts] }),
    // No foreign key to meters: its check ran once per inserted reading (126 of 410 ms of a 10,000-
    // reading statement, docs/PERFORMANCE.md). The ingest locks each meter of its batch once (FOR KEY
    // SHARE, storeReadingsStatement) and deleteMeter / deleteDevice delete the readings themselves.
    tenantPolicy(),
  ],
);

const rollup = (name: string) =>
  pgTable(
    name,
    {
      tenantId: tenantId(),
      meterId: bigint('meter_id', { mode: 'number' }).notNull(),
      bucket: timestamp('bucket', { withTimezone: true }).notNull(),
      min: doublePrecision('min').notNull(),
      max: doublePrecision('max').notNull(),
      sum: doublePrecision('sum').notNull(),
      count: integer('count').notNull(),
    },
    (t) => [
      primaryKey({ columns: [t.tenantId, t.meterId, t.bucket] }),
      // No foreign key to meters, as for the readings: its check ran once per rollup row written (39 ms of
      // a 10,000-reading statement, docs/PERFORMANCE.md); deleteMeter / deleteDevice delete the rows.
      tenantPolicy(),
    ],
  );

export const meterRollups1m = rollup('meter_rollups_1m');
export const meterRollups1h = rollup('meter_rollups_1h');
export const meterRollups1d = rollup('meter_rollups_1d');

export const THRESHOLD_OPS = ['>', '<'] as const;
export type ThresholdOp = (typeof THRESHOLD_OPS)[number];
export const THRESHOLD_ACTIONS = ['alert', 'work_order'] as const;
export type ThresholdAction = (typeof THRESHOLD_ACTIONS)[number];
export interface ThresholdTemplate {
  title: string;
  priority: 'low' | 'medium' | 'high' | 'urgent';
  assigneeId?: string | null;
  teamId?: string | null;
  tasks?: Array<{ title: string }>;
}

/**
 * A meter's threshold with its excursion state: an excursion starts at the first reading past the
 * value, fires (alert, work order) once it has lasted for_seconds, and ends at the first reading back.
 */
export const meterThresholds = pgTable(
  'meter_thresholds',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    meterId: bigint('meter_id', { mode: 'number' }).notNull(),
    op: text('op').$type<ThresholdOp>().notNull(),
    value: doublePrecision('value').notNull(),
    forSeconds: integer('for_seconds').notNull().default(0),
    action: text('action').$type<ThresholdAction>().notNull().default('alert'),
    template: jsonb('template').$type<ThresholdTemplate>(),
    /** The first reading past the value of the current excursion (null: within limits). */
    excursionStartedAt: timestamp('excursion_started_at', { withTimezone: true, precision: 6 }),
    /** excursion_started_at + for_seconds while the excursion has not fired: the timer's key. */
    fireAt: timestamp('fire_at', { withTimezone: true, precision: 6 }),
    /** The current excursion fired (its alert is alert_id). */
    fired: boolean('fired').notNull().default(false),
    alertId: bigint('alert_id', { mode: 'number' }),
    /** The last work order it opened. */
    workOrderId: bigint('work_order_id', { mode: 'number' }),
    /** The newest reading evaluated (older ones arriving late are ignored). */
    evaluatedAt: timestamp('evaluated_at', { withTimezone: true, precision: 6 }),
    lastError: text('last_error'),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('meter_thresholds_tenant_meter_idx').on(t.tenantId, t.meterId, t.id),
    index('meter_thresholds_fire_idx')
      .on(t.fireAt)
      .where(sql`${t.fireAt} is not null`),
    foreignKey({
      name: 'meter_thresholds_meter_fk',
      columns: [t.tenantId, t.meterId],
      foreignColumns: [meters.tenantId, meters.id],
    }).onDelete('cascade'),
    check('meter_thresholds_op_check', sql`${t.op} in ('>', '<')`),
    check('meter_thresholds_action_check', sql`${t.action} in ('alert', 'work_order')`),
    tenantPolicy(),
  ],
);

export const METER_ALERT_KINDS = ['offline', 'threshold'] as const;
export type MeterAlertKind = (typeof METER_ALERT_KINDS)[number];

/** Offline and threshold alerts: open until the device publishes again / the value returns. */
export const meterAlerts = pgTable(
  'meter_alerts',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    kind: text('kind').$type<MeterAlertKind>().notNull(),
    deviceId: bigint('device_id', { mode: 'number' }).notNull(),
    meterId: bigint('meter_id', { mode: 'number' }),
    /** The threshold that raised it (kept when the threshold is deleted: the alert is history). */
    thresholdId: bigint('threshold_id', { mode: 'number' }),
    message: text('message').notNull(),
    /** The reading that made it fire (threshold alerts). */
    value: doublePrecision('value'),
    /** The work order it opened (action work_order). */
    ticketId: bigint('ticket_id', { mode: 'number' }),
    openedAt: timestamp('opened_at', { withTimezone: true, precision: 6 }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 6 }),
    /** The reading that closed it. */
    closedValue: doublePrecision('closed_value'),
    /** Someone has seen it and is on it (the badge counts only alerts nobody acknowledged). */
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, precision: 6 }),
    acknowledgedById: bigint('acknowledged_by_id', { mode: 'number' }),
    /** The name at the time (the user may be deleted later). */
    acknowledgedByName: text('acknowledged_by_name'),
    acknowledgeNote: text('acknowledge_note'),
    /** When the last reminder went out (an open alert nobody acknowledged, meterAlertReminderHours). */
    remindedAt: timestamp('reminded_at', { withTimezone: true, precision: 6 }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('meter_alerts_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('meter_alerts_tenant_open_idx')
      .on(t.tenantId, t.id.desc())
      .where(sql`${t.closedAt} is null`),
    index('meter_alerts_tenant_meter_idx').on(t.tenantId, t.meterId, t.id.desc()),
    index('meter_alerts_tenant_device_idx').on(t.tenantId, t.deviceId, t.id.desc()),
    foreignKey({
      name: 'meter_alerts_device_fk',
      columns: [t.tenantId, t.deviceId],
      foreignColumns: [devices.tenantId, devices.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'meter_alerts_acknowledged_by_fk',
      columns: [t.tenantId, t.acknowledgedById],
      foreignColumns: [users.tenantId, users.id],
    }),
    check('meter_alerts_kind_check', sql`${t.kind} in ('offline', 'threshold')`),
    tenantPolicy(),
  ],
);
