// The meter simulator's parts (`npx steward simulate-meters`, src/server/cli/simulate-meters.ts):
// the device it publishes as (a demo device, or a "Simulator" device it creates, with a fresh
// password each start) and the readings it makes up: temperatures drifting on a sinusoid with
// noise, a running-hours counter that only goes up, a vibration value with occasional spikes that
// last long enough to cross the demo threshold (above 7.1 mm/s for 60 s).
import type { Deps } from '../../platform/context.js';
import { newToken, sha256 } from '../../platform/crypto.js';
import * as repo from './meters.repo.js';
import { DEVICE_REVOKED_CHANNEL, deviceControl } from './meters.service.js';

export type SimKind = 'temp' | 'counter' | 'vibration';

/** The kind of a meter by its key: running hours / counters, vibration, else a temperature-like value. */
export function kindOf(key: string): SimKind {
  if (/hour|count|run|total|energy|kwh/i.test(key)) return 'counter';
  if (/vib/i.test(key)) return 'vibration';
  return 'temp';
}

export interface SimMeter {
  key: string;
  kind: SimKind;
  /** Where the value starts (a counter goes on from its last reading). */
  start: number;
}

export interface SimDevice {
  name: string;
  deviceKey: string;
  password: string;
  url: string;
  meters: SimMeter[];
}

const SIMULATOR_METERS = [
  { key: 'temp', name: 'Temperature', unit: '°C' },
  { key: 'hours', name: 'Running hours', unit: 'h' },
  { key: 'vibration', name: 'Vibration', unit: 'mm/s' },
];

/**
 * The device to publish as in a company: the one named `name` (default the demo's conveyor PLC),
 * else a "Simulator" device with three meters, created once. Its password is rotated (the old one
 * stops working), so the simulator always has a valid one.
 */
export async function simulatorDevice(deps: Deps, tenantId: number, name?: string): Promise<SimDevice> {
  const wanted = name ? [name] : ['Conveyor 3 PLC', 'Simulator'];
  const password = newToken(32);
  const control = deviceControl(deps);
  const found = await deps.database.withTenant(tenantId, async (scope) => {
    for (const n of wanted) {
      const rows = await repo.devicesPage(scope.tx, tenantId, n, null, 20);
      const d = rows.find((r) => r.name === n);
      if (d) {
        await repo.updateDevice(scope.tx, tenantId, d.id, { secretHash: sha256(password) });
        scope.publish(DEVICE_REVOKED_CHANNEL, d.deviceKey);
        return { device: d, created: false };
      }
    }
    if (name && name !== 'Simulator') return null;
    const device = await repo.insertDevice(scope.tx, {
      tenantId,
      name: 'Simulator',
      deviceKey: `dev_${newToken(9).replace(/[-_]/g, 'x').toLowerCase()}`,
      secretHash: sha256(password),
      offlineAfterSeconds: 60,
    });
    for (const m of SIMULATOR_METERS) await repo.insertMeter(scope.tx, { tenantId, deviceId: device.id, ...m });
    return { device, created: true };
  });
  if (!found) throw new Error(`no device named "${name}" in this company`);
  if (control) {
    if (found.created) await control.created(found.device.deviceKey, password);
    else await control.rotated(found.device.deviceKey, password);
  }
  const meters = await deps.database.withTenant(tenantId, (scope) =>
    repo.metersPage(scope.tx, tenantId, { deviceId: found.device.id }, null, 100),
  );
  return {
    name: found.device.name,
    deviceKey: found.device.deviceKey,
    password,
    url: deps.config.mqttPublicUrl,
    meters: meters.map((m) => {
      const kind = kindOf(m.m.key);
      return { key: m.m.key, kind, start: m.m.lastValue ?? (kind === 'counter' ? 1000 : kind === 'vibration' ? 2.4 : 20) };
    }),
  };
}

/** A meter's made-up value stream. `rate`: readings per second; `speed`: how much faster the counter runs than real time. */
export class SimSeries {
  private value: number;
  private spikeLeft = 0;
  private readonly base: number;
  private readonly t0 = Date.now();

  constructor(
    readonly meter: SimMeter,
    private readonly rate: number,
    private readonly speed = 1,
    private readonly rnd: () => number = Math.random,
  ) {
    this.value = meter.start;
    this.base = meter.start;
  }

  next(now = Date.now()): number {
    const m = this.meter;
    if (m.kind === 'counter') {
      this.value += this.speed / this.rate / 3600;
      return Math.round(this.value * 10_000) / 10_000;
    }
    if (m.kind === 'vibration') {
      // A spike episode about every 10 minutes, lasting 70–130 s (past the demo threshold's 60 s).
      if (this.spikeLeft <= 0 && this.rnd() < 1 / (600 * this.rate)) this.spikeLeft = Math.round((70 + this.rnd() * 60) * this.rate);
      const spiking = this.spikeLeft-- > 0;
      const v = (spiking ? 7.6 + this.rnd() * 3 : this.base) + (this.rnd() - 0.5) * 0.6;
      return Math.round(Math.max(0, v) * 100) / 100;
    }
    // A slow drift around the start: a 10-minute sinusoid of ±3 plus noise.
    const phase = (2 * Math.PI * (now - this.t0)) / 600_000;
    return Math.round((this.base + 3 * Math.sin(phase) + (this.rnd() - 0.5) * 0.4) * 100) / 100;
  }
}
