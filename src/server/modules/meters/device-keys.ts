// The external broker's ingest learns a reading's company and device from the topic's device key
// (Mosquitto checked the login and the ACL). The answers are cached so the hot path is one Map
// lookup, no promise: a key not known yet waits, with every other key missing at that moment, for
// one query on the next turn of the event loop (after a restart 1,000 devices cost one or a few
// queries, not 1,000 transactions queued before the first batch). A known device's entry older
// than KEY_TTL_MS is refreshed the same way in the background while its readings go on (a device's
// company and id never change; a deleted device's readings match no meter and are not stored); an
// unknown key's answer is asked again after KEY_TTL_MS (the device may have been created since).
import type { Deps } from '../../platform/context.js';
import { devicesForKeys } from './meters.service.js';

export interface DeviceRef {
  tenantId: number;
  deviceId: number;
}
export type DeviceAnswer = (device: DeviceRef | null, error: Error | null) => void;

export const KEY_TTL_MS = 30_000;
/** Keys per lookup query. */
const LOOKUP_BATCH = 1000;

export class DeviceKeys {
  private known = new Map<string, { at: number; device: DeviceRef | null }>();
  /** Keys asked for and not answered yet (queued or in a query), with who waits (none: a refresh). */
  private waiting = new Map<string, DeviceAnswer[]>();
  /** Keys for the next query. */
  private queued: string[] = [];

  constructor(private readonly deps: Deps) {}

  /** The cached answer (null: no such device), or undefined when it must be looked up (resolve()). */
  get(deviceKey: string, now = Date.now()): DeviceRef | null | undefined {
    const hit = this.known.get(deviceKey);
    if (!hit) return undefined;
    if (now - hit.at < KEY_TTL_MS) return hit.device;
    if (!hit.device) return undefined;
    if (!this.waiting.has(deviceKey)) this.ask(deviceKey, null);
    return hit.device;
  }

  /** Looks the key up with the others missing now; `answer` is called once, in arrival order per key. */
  resolve(deviceKey: string, answer: DeviceAnswer): void {
    this.ask(deviceKey, answer);
  }

  private ask(deviceKey: string, answer: DeviceAnswer | null) {
    const list = this.waiting.get(deviceKey);
    if (list) {
      if (answer) list.push(answer);
      return;
    }
    this.waiting.set(deviceKey, answer ? [answer] : []);
    if (this.queued.push(deviceKey) === 1) setImmediate(() => this.lookUp());
  }

  private lookUp() {
    const keys = this.queued;
    this.queued = [];
    for (let i = 0; i < keys.length; i += LOOKUP_BATCH) {
      const part = keys.slice(i, i + LOOKUP_BATCH);
      const answer = (key: string, device: DeviceRef | null, error: Error | null) => {
        const list = this.waiting.get(key) ?? [];
        this.waiting.delete(key);
        for (const a of list) a(device, error);
      };
      devicesForKeys(this.deps, part).then(
        (found) => {
          const at = Date.now();
          for (const key of part) {
            const device = found.get(key) ?? null;
            this.known.set(key, { at, device });
            answer(key, device, null);
          }
        },
        (err: Error) => {
          this.deps.log.error({ err, keys: part.length }, 'mqtt device lookup failed');
          for (const key of part) answer(key, null, err);
        },
      );
    }
  }
}
