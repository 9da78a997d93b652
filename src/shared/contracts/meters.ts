// IoT meters (API.md "IoT meters"): devices, meters and their readings. Pure zod, shared by server and web.
import { z } from 'zod';
import { idString as id, listQuery, page } from './common.js';

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => text(max).min(1, 'is required');

export const idParams = z.object({ id });

// Devices -----------------------------------------------------------------------------------------

export const deviceBody = z.object({
  name: required(200),
  assetId: id.nullish(),
  offlineAfterSeconds: z
    .number()
    .int()
    .min(10)
    .max(30 * 86_400)
    .optional(),
});
export type DeviceBody = z.infer<typeof deviceBody>;
export const devicePatch = deviceBody.partial();
export type DevicePatch = z.infer<typeof devicePatch>;

export const device = z.object({
  id: z.string(),
  name: z.string(),
  assetId: z.string().nullable(),
  deviceKey: z.string(),
  offlineAfterSeconds: z.number().int(),
  lastSeenAt: z.string().nullable(),
  online: z.boolean(),
  meterCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Device = z.infer<typeof device>;
export const deviceList = page(device);

export const mqttCredentials = z.object({ url: z.string(), username: z.string(), password: z.string() });
export type MqttCredentials = z.infer<typeof mqttCredentials>;
/** A new device, or new credentials: the password is shown this once. */
export const deviceWithCredentials = z.object({ device, mqtt: mqttCredentials });
export type DeviceWithCredentials = z.infer<typeof deviceWithCredentials>;

export const deviceListQuery = listQuery.extend({ q: z.string().trim().max(200).optional() });

// Meters ------------------------------------------------------------------------------------------

export const meterKey = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only (it is an MQTT topic level)');

export const meterBody = z.object({
  deviceId: id,
  key: meterKey,
  name: required(200),
  unit: text(40).default(''),
  assetId: id.nullish(),
});
export type MeterBody = z.infer<typeof meterBody>;
export const meterPatch = z.object({
  key: meterKey.optional(),
  name: required(200).optional(),
  unit: text(40).optional(),
  assetId: id.nullish(),
});
export type MeterPatch = z.infer<typeof meterPatch>;

export const meter = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceKey: z.string(),
  deviceName: z.string(),
  key: z.string(),
  topic: z.string(),
  name: z.string(),
  unit: z.string(),
  assetId: z.string().nullable(),
  lastValue: z.number().nullable(),
  lastAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Meter = z.infer<typeof meter>;
export const meterList = page(meter);
export const meterListQuery = listQuery.extend({ deviceId: id.optional(), assetId: id.optional() });

// Readings ----------------------------------------------------------------------------------------

export const BUCKETS = ['raw', '1m', '1h', '1d'] as const;
export type Bucket = (typeof BUCKETS)[number];
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO time with zone' });

export const readingsQuery = z.object({
  from: instant.optional(),
  to: instant.optional(),
  bucket: z.enum(BUCKETS).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  cursor: z.string().max(500).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export type ReadingsQuery = z.infer<typeof readingsQuery>;

export const rawReading = z.object({ ts: z.string(), v: z.number() });
export const bucketReading = z.object({ ts: z.string(), min: z.number(), max: z.number(), avg: z.number(), count: z.number().int() });
export const readingsAnswer = z.object({
  meter,
  bucket: z.enum(BUCKETS),
  from: z.string(),
  to: z.string(),
  items: z.array(z.union([rawReading, bucketReading])),
  nextCursor: z.string().nullable(),
});
export type ReadingsAnswer = z.infer<typeof readingsAnswer>;
export type RawReading = z.infer<typeof rawReading>;
export type BucketReading = z.infer<typeof bucketReading>;

/** The bucket a range is answered from when none is asked for: ≤ 1 day raw, ≤ 7 days minutes, ≤ 90 days hours, else days. */
export function bucketFor(fromMs: number, toMs: number): Bucket {
  const span = toMs - fromMs;
  const day = 86_400_000;
  if (span <= day) return 'raw';
  if (span <= 7 * day) return '1m';
  if (span <= 90 * day) return '1h';
  return '1d';
}
