// IoT meters (issue 16): devices with their own MQTT credentials, the meters they publish, the raw
// readings (partitioned by month: the partitioning itself is in the custom migration, drizzle-kit
// cannot emit it) and the minute/hour/day rollups the ingest keeps current.
import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export const devices = pgTable(
  'devices',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    assetId: bigint('asset_id', { mode: 'number' }),
    /** The MQTT username and topic prefix: unique across the instance (the broker looks it up before it knows the company). */
    deviceKey: text('device_key').notNull(),
    /** sha256 of a 32-byte random secret (high entropy: a slow hash adds nothing and would slow every connect). */
    secretHash: text('secret_hash').notNull(),
    offlineAfterSeconds: integer('offline_after_seconds').notNull().default(300),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex('devices_device_key_key').on(t.deviceKey),
    index('devices_tenant_name_idx').on(t.tenantId, sql`lower(${t.name})`, t.id),
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
    foreignKey({
      name: 'meter_readings_meter_fk',
      columns: [t.tenantId, t.meterId],
      foreignColumns: [meters.tenantId, meters.id],
    }).onDelete('cascade'),
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
      foreignKey({
        name: `${name}_meter_fk`,
        columns: [t.tenantId, t.meterId],
        foreignColumns: [meters.tenantId, meters.id],
      }).onDelete('cascade'),
      tenantPolicy(),
    ],
  );

export const meterRollups1m = rollup('meter_rollups_1m');
export const meterRollups1h = rollup('meter_rollups_1h');
export const meterRollups1d = rollup('meter_rollups_1d');
