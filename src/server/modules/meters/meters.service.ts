// Devices and meters (API.md "IoT meters"): CRUD, device credentials (shown once, rotatable), and
// the readings API that picks raw readings or a rollup by the range asked for. The broker and the
// ingest (ingest.ts, broker.ts) use authenticateDevice and storeBatch below.
import type {
  Bucket,
  Device,
  DeviceBody,
  DevicePatch,
  DeviceWithCredentials,
  Meter,
  MeterBody,
  MeterPatch,
  ReadingsQuery,
} from '../../../shared/contracts/meters.js';
import { bucketFor } from '../../../shared/contracts/meters.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { newToken, safeEqual, sha256 } from '../../platform/crypto.js';
import type { Scope } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, iso } from '../http.js';
import * as repo from './meters.repo.js';
import { z } from 'zod';

const DAY_MS = 86_400_000;

// Answers -----------------------------------------------------------------------------------------

function toDevice(d: repo.DeviceRow, meterCount: number, now = Date.now()): Device {
  return {
    id: String(d.id),
    name: d.name,
    assetId: d.assetId === null ? null : String(d.assetId),
    deviceKey: d.deviceKey,
    offlineAfterSeconds: d.offlineAfterSeconds,
    lastSeenAt: iso(d.lastSeenAt),
    online: !!d.lastSeenAt && now - d.lastSeenAt.getTime() <= d.offlineAfterSeconds * 1000,
    meterCount,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

function toMeter(r: repo.MeterWithDevice): Meter {
  return {
    id: String(r.m.id),
    deviceId: String(r.m.deviceId),
    deviceKey: r.deviceKey,
    deviceName: r.deviceName,
    key: r.m.key,
    topic: `steward/${r.deviceKey}/${r.m.key}`,
    name: r.m.name,
    unit: r.m.unit,
    assetId: r.m.assetId === null ? null : String(r.m.assetId),
    lastValue: r.m.lastValue,
    lastAt: iso(r.m.lastAt),
    createdAt: r.m.createdAt.toISOString(),
    updatedAt: r.m.updatedAt.toISOString(),
  };
}

async function checkAsset(scope: Scope, tenantId: number, assetId: string | null | undefined) {
  if (!assetId) return;
  if (!(await repo.assetExists(scope.tx, tenantId, Number(assetId))))
    throw new AppError('validation', 'The asset does not exist', { fields: { assetId: 'no such asset' } });
}

// Credentials -------------------------------------------------------------------------------------

/** A device key: short, URL- and topic-safe, unguessable enough to be a username. */
const newDeviceKey = () => `dev_${newToken(9).replace(/[-_]/g, 'x').toLowerCase()}`;
/** The password: 32 random bytes; stored as sha256 (a slow hash adds nothing to a random secret). */
const newSecret = () => newToken(32);

function credentials(deps: Deps, deviceKey: string, password: string) {
  return { url: deps.config.mqttPublicUrl, username: deviceKey, password };
}

/** The broker's check: the device (and its company) for a username and password, or null. */
export async function authenticateDevice(
  deps: Deps,
  deviceKey: string,
  password: string,
): Promise<{ tenantId: number; deviceId: number } | null> {
  if (!deviceKey || deviceKey.length > 100) return null;
  const row = await deps.database.system((scope) => repo.deviceByKey(scope.tx, deviceKey));
  if (!row || !safeEqual(row.secretHash, sha256(password))) return null;
  return { tenantId: row.tenantId, deviceId: row.id };
}

/** The broker's lookup of a device by key (an external broker: the login was checked there). */
export async function deviceForKey(deps: Deps, deviceKey: string): Promise<{ tenantId: number; deviceId: number } | null> {
  if (!deviceKey || deviceKey.length > 100) return null;
  const row = await deps.database.system((scope) => repo.deviceByKey(scope.tx, deviceKey));
  return row ? { tenantId: row.tenantId, deviceId: row.id } : null;
}

/** deviceForKey for many keys in one query (the ingest's cache, device-keys.ts): the devices found, by key. */
export async function devicesForKeys(deps: Deps, deviceKeys: string[]): Promise<Map<string, { tenantId: number; deviceId: number }>> {
  const keys = deviceKeys.filter((k) => k && k.length <= 100);
  const rows = keys.length === 0 ? [] : await deps.database.system((scope) => repo.devicesByKeys(scope.tx, keys));
  return new Map(rows.map((r) => [r.deviceKey, { tenantId: r.tenantId, deviceId: r.id }]));
}

/** An external broker's account management (Mosquitto dynsec), called outside transactions. */
export interface DeviceControl {
  created(deviceKey: string, password: string): Promise<void>;
  rotated(deviceKey: string, password: string): Promise<void>;
  deleted(deviceKey: string): Promise<void>;
}
const controls = new WeakMap<Deps, DeviceControl>();
export const deviceControl = (deps: Deps): DeviceControl | null => controls.get(deps) ?? null;
export function setDeviceControl(deps: Deps, control: DeviceControl | null) {
  if (control) controls.set(deps, control);
  else controls.delete(deps);
}

// Devices -----------------------------------------------------------------------------------------

const deviceCursor = z.tuple([z.string(), z.number().int()]);

export async function listDevices(ctx: Ctx, q: { limit: number; cursor?: string; q?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, deviceCursor);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const rows = await repo.devicesPage(scope.tx, actor.tenantId, q.q, after, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const counts = await repo.meterCounts(
      scope.tx,
      actor.tenantId,
      page.map((d) => d.id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((d) => toDevice(d, counts.get(d.id) ?? 0)),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.nameKey ?? last.name.toLowerCase(), last.id]) : null,
    };
  });
}

async function deviceAnswer(scope: Scope, tenantId: number, id: number): Promise<Device> {
  const row = await repo.findDevice(scope.tx, tenantId, id);
  if (!row) throw notFound('Device');
  const counts = await repo.meterCounts(scope.tx, tenantId, [id]);
  return toDevice(row, counts.get(id) ?? 0);
}

export async function getDevice(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => deviceAnswer(scope, actor.tenantId, id));
}

export async function createDevice(ctx: Ctx, body: DeviceBody): Promise<DeviceWithCredentials> {
  const actor = requireUser(ctx);
  const password = newSecret();
  const deviceKey = newDeviceKey();
  const control = controls.get(ctx.deps);
  // The broker's account first (no network I/O inside the transaction); undone if the insert fails.
  if (control) await control.created(deviceKey, password);
  try {
    return await insertDeviceTx(ctx, actor, body, deviceKey, password);
  } catch (error) {
    if (control) await control.deleted(deviceKey).catch(() => undefined);
    throw error;
  }
}

function insertDeviceTx(ctx: Ctx, actor: ReturnType<typeof requireUser>, body: DeviceBody, deviceKey: string, password: string) {
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await checkAsset(scope, actor.tenantId, body.assetId);
    const row = await repo.insertDevice(scope.tx, {
      tenantId: actor.tenantId,
      name: body.name,
      assetId: body.assetId ? Number(body.assetId) : null,
      deviceKey,
      secretHash: sha256(password),
      offlineAfterSeconds: body.offlineAfterSeconds ?? 300,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'device.created',
      targetType: 'device',
      targetId: String(row.id),
      details: { name: row.name, deviceKey: row.deviceKey },
    });
    return { device: toDevice(row, 0), mqtt: credentials(ctx.deps, row.deviceKey, password) };
  });
}

export async function updateDevice(ctx: Ctx, id: number, patch: DevicePatch) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.findDevice(scope.tx, actor.tenantId, id))) throw notFound('Device');
    await checkAsset(scope, actor.tenantId, patch.assetId);
    await repo.updateDevice(scope.tx, actor.tenantId, id, {
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.assetId !== undefined ? { assetId: patch.assetId ? Number(patch.assetId) : null } : {}),
      ...(patch.offlineAfterSeconds !== undefined ? { offlineAfterSeconds: patch.offlineAfterSeconds } : {}),
    });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'device.updated', targetType: 'device', targetId: String(id), details: patch });
    return deviceAnswer(scope, actor.tenantId, id);
  });
}

/** New password (the old one stops working at once; connected clients are dropped by the broker). */
/** NOTIFY channel: a device's key whose connections every broker process drops (rotated, deleted). */
export const DEVICE_REVOKED_CHANNEL = 'steward_device_revoked';

export async function rotateCredentials(ctx: Ctx, id: number): Promise<DeviceWithCredentials> {
  const actor = requireUser(ctx);
  const password = newSecret();
  const answer = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.updateDevice(scope.tx, actor.tenantId, id, { secretHash: sha256(password) });
    if (!row) throw notFound('Device');
    await writeAudit(scope, actor, ctx.info.ip, { action: 'device.credentials_rotated', targetType: 'device', targetId: String(id) });
    scope.publish(DEVICE_REVOKED_CHANNEL, row.deviceKey);
    const counts = await repo.meterCounts(scope.tx, actor.tenantId, [id]);
    return { device: toDevice(row, counts.get(id) ?? 0), mqtt: credentials(ctx.deps, row.deviceKey, password) };
  });
  await controls.get(ctx.deps)?.rotated(answer.device.deviceKey, password);
  return answer;
}

export async function deleteDevice(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const deviceKey = await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findDevice(scope.tx, actor.tenantId, id);
    if (!row) throw notFound('Device');
    await repo.deleteDevice(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'device.deleted',
      targetType: 'device',
      targetId: String(id),
      details: { name: row.name },
    });
    scope.publish(DEVICE_REVOKED_CHANNEL, row.deviceKey);
    return row.deviceKey;
  });
  await controls.get(ctx.deps)?.deleted(deviceKey);
}

// Meters ------------------------------------------------------------------------------------------

/** Reading a meter needs assets.view or meters.manage. */
function requireMeterReader(ctx: Ctx) {
  const actor = requireUser(ctx);
  if (!actor.permissions.has('assets.view') && !actor.permissions.has('meters.manage'))
    throw new AppError('forbidden', 'You do not have permission to do this', { permission: 'assets.view' });
  return actor;
}

export async function listMeters(ctx: Ctx, q: { limit: number; cursor?: string; deviceId?: string; assetId?: string }) {
  const actor = requireMeterReader(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number().int()]));
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const filter = { deviceId: q.deviceId ? Number(q.deviceId) : undefined, assetId: q.assetId ? Number(q.assetId) : undefined };
    const rows = await repo.metersPage(scope.tx, actor.tenantId, filter, after?.[0] ?? null, q.limit + 1);
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    return { items: page.map(toMeter), nextCursor: rows.length > q.limit && last ? encodeCursor([last.m.id]) : null };
  });
}

async function meterAnswer(scope: Scope, tenantId: number, id: number): Promise<Meter> {
  const row = await repo.findMeter(scope.tx, tenantId, id);
  if (!row) throw notFound('Meter');
  return toMeter(row);
}

export async function getMeter(ctx: Ctx, id: number) {
  const actor = requireMeterReader(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => meterAnswer(scope, actor.tenantId, id));
}

const duplicateKey = () =>
  new AppError('duplicate', 'The device already has a meter with this key', { fields: { key: 'already used on this device' } });

export async function createMeter(ctx: Ctx, body: MeterBody) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    if (!(await repo.findDevice(scope.tx, actor.tenantId, Number(body.deviceId))))
      throw new AppError('validation', 'The device does not exist', { fields: { deviceId: 'no such device' } });
    await checkAsset(scope, actor.tenantId, body.assetId);
    const taken = await repo.metersByTopic(scope.tx, actor.tenantId, [Number(body.deviceId)]);
    if (taken.some((m) => m.key === body.key)) throw duplicateKey();
    const row = await repo.insertMeter(scope.tx, {
      tenantId: actor.tenantId,
      deviceId: Number(body.deviceId),
      key: body.key,
      name: body.name,
      unit: body.unit,
      assetId: body.assetId ? Number(body.assetId) : null,
    });
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'meter.created',
      targetType: 'meter',
      targetId: String(row.id),
      details: { name: row.name, key: row.key },
    });
    return meterAnswer(scope, actor.tenantId, row.id);
  });
}

export async function updateMeter(ctx: Ctx, id: number, patch: MeterPatch) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const current = await repo.findMeter(scope.tx, actor.tenantId, id);
    if (!current) throw notFound('Meter');
    await checkAsset(scope, actor.tenantId, patch.assetId);
    if (patch.key !== undefined && patch.key !== current.m.key) {
      const taken = await repo.metersByTopic(scope.tx, actor.tenantId, [current.m.deviceId]);
      if (taken.some((m) => m.key === patch.key)) throw duplicateKey();
    }
    await repo.updateMeter(scope.tx, actor.tenantId, id, {
      ...(patch.key !== undefined ? { key: patch.key } : {}),
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.unit !== undefined ? { unit: patch.unit } : {}),
      ...(patch.assetId !== undefined ? { assetId: patch.assetId ? Number(patch.assetId) : null } : {}),
    });
    await writeAudit(scope, actor, ctx.info.ip, { action: 'meter.updated', targetType: 'meter', targetId: String(id), details: patch });
    return meterAnswer(scope, actor.tenantId, id);
  });
}

export async function deleteMeter(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const row = await repo.findMeter(scope.tx, actor.tenantId, id);
    if (!row) throw notFound('Meter');
    await repo.deleteMeter(scope.tx, actor.tenantId, id);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'meter.deleted',
      targetType: 'meter',
      targetId: String(id),
      details: { name: row.m.name },
    });
  });
}

// Readings ----------------------------------------------------------------------------------------

export interface ReadingsRange {
  from: string;
  to: string;
  bucket: Bucket;
}

function rangeOf(q: ReadingsQuery, now = Date.now()): ReadingsRange {
  const to = q.to ? Date.parse(q.to) : now;
  const from = q.from ? Date.parse(q.from) : to - DAY_MS;
  if (!(from < to)) throw new AppError('validation', '`from` must be before `to`', { fields: { from: 'must be before to' } });
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucket: q.bucket ?? bucketFor(from, to) };
}

const rawCursor = z.tuple([z.string().max(40)]);

/** One page of readings (raw: keyset by ts up to 10,000; buckets: up to `limit` buckets). */
export async function readings(ctx: Ctx, id: number, q: ReadingsQuery) {
  const actor = requireMeterReader(ctx);
  const range = rangeOf(q);
  const after = decodeCursor(q.cursor, rawCursor)?.[0] ?? null;
  if (after && Number.isNaN(Date.parse(after)))
    throw new AppError('validation', 'The cursor is not valid', { fields: { cursor: 'invalid' } });
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const meter = await meterAnswer(scope, actor.tenantId, id);
    if (range.bucket === 'raw') {
      const rows = await repo.rawReadings(scope.tx, actor.tenantId, id, range.from, range.to, after, q.limit + 1);
      const items = rows.slice(0, q.limit);
      const last = items[items.length - 1];
      return { meter, ...range, items, nextCursor: rows.length > q.limit && last ? encodeCursor([last.ts]) : null };
    }
    const items = await repo.bucketReadings(scope.tx, actor.tenantId, id, range.bucket, range.from, range.to, q.limit);
    return { meter, ...range, items, nextCursor: null };
  });
}

/**
 * The whole range as CSV lines, page by page (each page its own short transaction, so a year of
 * raw readings never holds one open).
 */
export async function* readingsCsv(ctx: Ctx, id: number, q: ReadingsQuery): AsyncGenerator<string> {
  const actor = requireMeterReader(ctx);
  const range = rangeOf(q);
  const meter = await ctx.deps.database.withTenant(actor.tenantId, (scope) => meterAnswer(scope, actor.tenantId, id));
  if (range.bucket === 'raw') {
    yield `ts,v,unit\n`;
    let after: string | null = null;
    for (;;) {
      const cursor: string | null = after;
      const rows: Array<{ ts: string; v: number }> = await ctx.deps.database.withTenant(actor.tenantId, (scope) =>
        repo.rawReadings(scope.tx, actor.tenantId, id, range.from, range.to, cursor, 10_000),
      );
      if (rows.length === 0) return;
      yield rows.map((r) => `${r.ts},${r.v},${csvCell(meter.unit)}\n`).join('');
      if (rows.length < 10_000) return;
      after = rows[rows.length - 1].ts;
    }
  }
  yield `ts,min,max,avg,count\n`;
  const bucket = range.bucket;
  let from = range.from;
  for (;;) {
    const start = from;
    const rows: Array<{ ts: string; min: number; max: number; avg: number; count: number }> = await ctx.deps.database.withTenant(
      actor.tenantId,
      (scope) => repo.bucketReadings(scope.tx, actor.tenantId, id, bucket, start, range.to, 10_000),
    );
    if (rows.length === 0) return;
    yield rows.map((r) => `${r.ts},${r.min},${r.max},${r.avg},${r.count}\n`).join('');
    if (rows.length < 10_000) return;
    from = new Date(Date.parse(rows[rows.length - 1].ts) + 1).toISOString();
  }
}

function csvCell(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function meterFileName(ctx: Ctx, id: number): Promise<string> {
  const actor = requireMeterReader(ctx);
  const m = await ctx.deps.database.withTenant(actor.tenantId, (scope) => meterAnswer(scope, actor.tenantId, id));
  return `${m.deviceKey}-${m.key}-readings.csv`;
}

// Ingest -------------------------------------------------------------------------------------------

/** Stores one company's batch (see repo.storeReadings); answers how many readings were new. */
export async function storeBatch(
  deps: Deps,
  tenantId: number,
  readings: repo.ReadingIn[],
  deviceIds: number[],
  seenAt: string,
): Promise<number> {
  return deps.database.withTenant(tenantId, (scope) => repo.storeReadings(scope.tx, tenantId, readings, deviceIds, seenAt));
}

/** Creates the monthly reading partitions ahead (the daily job). */
export async function ensurePartitions(deps: Deps, monthsAhead = 3): Promise<number> {
  const { rows } = await deps.database.query<{ created: number }>(repo.ENSURE_PARTITIONS_SQL, [monthsAhead]);
  return Number(rows[0]?.created ?? 0);
}
