// Demo meters for a fresh install: three devices on demo assets with a week of readings every five
// minutes (rollups filled by the ingest's own statement): the conveyor's PLC (motor temperature,
// running hours, vibration with a few spikes), the AHU A1 controller (supply air) and the boiler's
// gateway (flow temperature). One threshold (conveyor vibration above 7.1 mm/s for 60 s raises an
// alert) and one meter plan (the conveyor's 500-running-hours service). `npx steward
// simulate-meters` then publishes live readings to the same meters.
import { and, eq, inArray } from 'drizzle-orm';
import { assets, devices, maintenancePlans, meters, meterThresholds, teams } from '../../db/schema/index.js';
import { newToken, sha256 } from '../../platform/crypto.js';
import type { Scope } from '../../platform/db.js';
import { nextMark } from '../maintenance/maintenance.service.js';
import { storeReadings } from './meters.repo.js';

export const DEMO_DEVICES = [
  {
    name: 'Conveyor 3 PLC',
    tag: 'CONV-3',
    meters: [
      { key: 'motor_temp', name: 'Motor temperature', unit: '°C', kind: 'temp' as const, base: 48, swing: 6 },
      { key: 'hours', name: 'Running hours', unit: 'h', kind: 'counter' as const, base: 1_310, swing: 0 },
      { key: 'vibration', name: 'Vibration', unit: 'mm/s', kind: 'vibration' as const, base: 2.4, swing: 0.6 },
    ],
  },
  {
    name: 'AHU A1 controller',
    tag: 'AHU-A1',
    meters: [{ key: 'supply_temp', name: 'Supply air temperature', unit: '°C', kind: 'temp' as const, base: 18, swing: 2.5 }],
  },
  {
    name: 'Boiler B gateway',
    tag: 'BLR-B',
    meters: [{ key: 'flow_temp', name: 'Flow temperature', unit: '°C', kind: 'temp' as const, base: 68, swing: 5 }],
  },
];
export type DemoMeterKind = (typeof DEMO_DEVICES)[number]['meters'][number]['kind'];

/** The demo threshold: conveyor vibration above 7.1 mm/s (ISO 10816 "unsatisfactory") for 60 s. */
export const DEMO_THRESHOLD = { op: '>' as const, value: 7.1, forSeconds: 60 };
export const DEMO_PLAN_TITLE = 'Conveyor line 3 — 500 h service';

/** A deterministic pseudo-random sequence (the demo is the same on every install). */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * One realistic value at `at` (ms): temperatures a daily sinusoid plus noise, the counter running on
 * working hours (06:00–22:00 UTC), vibration a noisy base with rare spikes past the demo threshold.
 */
export function demoValue(
  kind: DemoMeterKind,
  base: number,
  swing: number,
  at: number,
  previous: number | null,
  rnd: () => number,
): number {
  const day = 86_400_000;
  if (kind === 'counter') {
    const hour = new Date(at).getUTCHours();
    const running = hour >= 6 && hour < 22;
    return Math.round(((previous ?? base) + (running ? 5 / 60 : 0)) * 1000) / 1000;
  }
  if (kind === 'vibration') {
    const spike = rnd() < 0.004 ? 4 + rnd() * 4 : 0;
    return Math.round((base + (rnd() - 0.5) * swing + spike) * 100) / 100;
  }
  const phase = (2 * Math.PI * (at % day)) / day;
  return Math.round((base + swing * Math.sin(phase - Math.PI / 2) + (rnd() - 0.5) * swing * 0.2) * 100) / 100;
}

export async function seedDemoMeters(scope: Scope, tenantId: number, now = new Date()): Promise<void> {
  const { tx } = scope;
  const tagged = await tx
    .select({ id: assets.id, tag: assets.tag })
    .from(assets)
    .where(
      and(
        eq(assets.tenantId, tenantId),
        inArray(
          assets.tag,
          DEMO_DEVICES.map((d) => d.tag),
        ),
      ),
    );
  const [crew] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.tenantId, tenantId), eq(teams.name, 'Facilities crew')));
  const rnd = random(16);
  const step = 5 * 60_000;
  const end = Math.floor(now.getTime() / step) * step;
  const start = end - 7 * 86_400_000;
  for (const d of DEMO_DEVICES) {
    const assetId = tagged.find((a) => a.tag === d.tag)?.id ?? null;
    const [device] = await tx
      .insert(devices)
      .values({
        tenantId,
        name: d.name,
        assetId,
        deviceKey: `dev_${newToken(9).replace(/[-_]/g, 'x').toLowerCase()}`,
        // Nobody knows this password: the simulator (or an admin) rotates it to get one.
        secretHash: sha256(newToken(32)),
        offlineAfterSeconds: 900,
      })
      .returning();
    for (const m of d.meters) {
      const [meter] = await tx
        .insert(meters)
        .values({ tenantId, deviceId: device.id, key: m.key, name: m.name, unit: m.unit, assetId })
        .returning();
      const readings = [];
      let previous: number | null = null;
      for (let at = start; at <= end; at += step) {
        previous = demoValue(m.kind, m.base, m.swing, at, previous, rnd);
        readings.push({ deviceId: device.id, key: m.key, ts: new Date(at).toISOString(), v: previous });
      }
      for (let i = 0; i < readings.length; i += 1000) {
        const chunk = readings.slice(i, i + 1000);
        await storeReadings(tx, tenantId, chunk, [device.id], chunk[chunk.length - 1].ts);
      }
      if (m.kind === 'vibration') {
        await tx.insert(meterThresholds).values({
          tenantId,
          meterId: meter.id,
          ...DEMO_THRESHOLD,
          action: 'alert',
          evaluatedAt: new Date(end),
        });
      }
      if (m.kind === 'counter' && assetId && previous !== null) {
        const trigger = { type: 'meter' as const, meterId: String(meter.id), everyUnits: 500 };
        await tx.insert(maintenancePlans).values({
          tenantId,
          assetId,
          title: DEMO_PLAN_TITLE,
          triggerType: 'meter',
          trigger,
          meterId: meter.id,
          nextDueValue: String(nextMark(previous, 500)),
          evaluatedAt: new Date(end),
          leadDays: 0,
          template: {
            priority: 'medium',
            teamId: crew ? String(crew.id) : null,
            description: 'Every 500 running hours.',
            tasks: [{ title: 'Change the gearbox oil' }, { title: 'Check belt tension' }, { title: 'Grease the bearings' }],
            parts: [],
          },
          active: true,
        });
      }
    }
  }
}
