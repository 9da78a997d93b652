// The ingest: readings arriving from a broker are parsed, checked and collected into batches (every
// FLUSH_MS or MAX_BATCH readings), and each batch is stored per company in one transaction (one
// multi-row insert that skips duplicates, the rollups, the meters' last value, the devices' last
// seen). add() resolves once the reading's batch has committed, so the broker can hold a QoS 1
// acknowledgement until then: a crash loses nothing that was acknowledged. Up to PIPELINE batches
// are stored at once (on their own connections: the next one is written while the previous one
// commits; the statement takes its row locks in one order, meters.repo.ts), and batches settle in
// the order they were taken: no reading is acknowledged before every earlier batch has committed
// or failed.
import type { Deps } from '../../platform/context.js';
import type { ReadingIn } from './meters.repo.js';
import { storeBatch } from './meters.service.js';
import { TriggerQueue } from './triggers.js';

export const FLUSH_MS = 100;
export const MAX_BATCH = 1000;
/**
 * Readings per statement when a backlog built up while the previous batch committed (adaptive: a
 * full batch is flushed at MAX_BATCH, but whatever arrived meanwhile goes in one statement of up to
 * this many, not in several of MAX_BATCH one after the other: fewer statements and commits per reading).
 */
export const MAX_STATEMENT = 10_000;
/** Batches stored at the same time (each in its own transaction). */
export const PIPELINE = 2;
/**
 * Readings taken and not yet settled above which a broker connection stops reading (backpressure:
 * the broker keeps the rest), and below which it reads again. Mosquitto runs with no in-flight
 * limit (docs/meters.md: its own window leaks quota in 2.0.11 and then drops acknowledged readings),
 * so this is what bounds the ingest's memory, and what keeps the readings waiting for their PUBACK
 * well below MQTT's 65,535 message ids.
 */
export const HIGH_WATER = (PIPELINE + 1) * MAX_STATEMENT;
/** Readings further ahead than this are dropped (a device with a wrong clock). */
export const MAX_FUTURE_MS = 5 * 60_000;

export interface IngestStats {
  received: number;
  stored: number;
  /** Bad payloads, bad values, timestamps too far in the future. */
  dropped: number;
  /** Readings of known devices that were not stored: duplicates (meter, ts) and unknown meter keys. */
  skipped: number;
  /** Statements run (one per company and MAX_STATEMENT readings of a batch), failed ones included. */
  statements: number;
  failedBatches: number;
}

export type Parsed = { ok: true; ts: string; v: number } | { ok: false; reason: string };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const MAX_PAYLOAD = 1024;

/** The arrival time as an ISO string to the microsecond (the ms clock plus the µs of the monotonic one). */
export function arrivalTs(nowMs = Date.now()): string {
  const micros = Number((process.hrtime.bigint() / 1000n) % 1000n);
  const iso = new Date(nowMs).toISOString(); // 2026-12-01T16:30:00.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** `{"v": 12.3, "ts": "..."}` or a bare number (then ts is the arrival). */
export function parsePayload(payload: Buffer | string, nowMs = Date.now()): Parsed {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD) return { ok: false, reason: 'size' };
  const text = payload.toString().trim();
  let v: unknown;
  let ts: unknown;
  if (text.startsWith('{')) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'json' };
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, reason: 'json' };
    v = (body as { v?: unknown }).v;
    ts = (body as { ts?: unknown }).ts;
  } else if (NUMBER.test(text)) {
    v = Number(text);
  } else {
    return { ok: false, reason: 'value' };
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: false, reason: 'value' };
  if (ts === undefined || ts === null) return { ok: true, ts: arrivalTs(nowMs), v };
  if (typeof ts !== 'string' || ts.length > 40 || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(ts))
    return { ok: false, reason: 'ts' };
  const at = Date.parse(ts);
  if (Number.isNaN(at) || at < Date.UTC(1970, 0, 2)) return { ok: false, reason: 'ts' };
  if (at > nowMs + MAX_FUTURE_MS) return { ok: false, reason: 'future' };
  return { ok: true, ts, v };
}

/** Called once a reading's batch has committed (null) or failed (the error); at once for a dropped reading. */
export type Done = (error: Error | null) => void;

/** A reading waiting for its batch, with whom to tell (one object per reading: no promise, no closure of the ingest's). */
interface Pending extends ReadingIn {
  done: Done | null;
}

interface Outcome {
  items: Pending[];
  error: Error | null;
}

export class Ingest {
  readonly stats: IngestStats = { received: 0, stored: 0, dropped: 0, skipped: 0, statements: 0, failedBatches: 0 };
  private pending = new Map<number, Pending[]>();
  private size = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  /** The flush time (or a flush() call) has come for what is pending: store it when a slot is free. */
  private due = false;
  /** Batches being stored now (at most PIPELINE). */
  private running = 0;
  /** The acknowledgements of the batches taken so far, in the order they were taken. */
  private settled: Promise<void> = Promise.resolve();
  private idleWaiters: Array<() => void> = [];
  /** Readings taken and not yet settled (pending, being stored, or waiting for an earlier batch). */
  private taken = 0;
  private drainWaiters: Array<() => void> = [];
  private closed = false;
  /** Offline alerts, thresholds and meter plans, evaluated after each batch commits (triggers.ts). */
  readonly triggers: TriggerQueue;

  constructor(
    private readonly deps: Deps,
    private readonly opts: { flushMs?: number; maxBatch?: number; pipeline?: number; highWater?: number } = {},
  ) {
    this.triggers = new TriggerQueue(deps);
  }

  /**
   * Takes one message of a device. Resolves when it is stored (or, for a bad payload, at once:
   * a bad reading is dropped, never retried); rejects when its batch failed to commit.
   */
  add(tenantId: number, deviceId: number, meterKey: string, payload: Buffer | string): Promise<void> {
    return new Promise<void>((resolve, reject) => this.push(tenantId, deviceId, meterKey, payload, (error) => (error ? reject(error) : resolve())));
  }

  /**
   * add() without a promise (the brokers' path): `done` is called once the reading's batch has
   * committed or failed (null: nobody waits, as for QoS 0), at once for a dropped reading.
   */
  push(tenantId: number, deviceId: number, meterKey: string, payload: Buffer | string, done: Done | null): void {
    this.stats.received++;
    const parsed = parsePayload(payload);
    if (!parsed.ok) {
      this.stats.dropped++;
      this.deps.log.debug({ tenantId, deviceId, meterKey, reason: parsed.reason }, 'meter reading dropped');
      done?.(null);
      return;
    }
    if (this.closed) {
      done?.(new Error('ingest is closed'));
      return;
    }
    const item: Pending = { deviceId, key: meterKey, ts: parsed.ts, v: parsed.v, done };
    const list = this.pending.get(tenantId);
    if (list) list.push(item);
    else this.pending.set(tenantId, [item]);
    this.size++;
    this.taken++;
    this.schedule();
  }

  /** Readings taken and not yet settled. */
  get unsettled(): number {
    return this.taken;
  }

  /** Whether a broker connection should stop reading: HIGH_WATER readings are not settled yet. */
  get full(): boolean {
    return this.taken >= (this.opts.highWater ?? HIGH_WATER);
  }

  /** A reading on its way (its device key being looked up) counts toward the high water until released. */
  hold(): void {
    this.taken++;
  }

  release(): void {
    this.taken--;
    this.resumeIfDrained();
  }

  /** Calls `resume` once a sixth of the high water has settled (at once when the ingest is not full). */
  whenDrained(resume: () => void): void {
    if (this.taken < this.lowWater) resume();
    else this.drainWaiters.push(resume);
  }

  private get lowWater(): number {
    return Math.floor(((this.opts.highWater ?? HIGH_WATER) * 5) / 6);
  }

  /**
   * Starts a batch when one is due and a slot is free: at MAX_BATCH readings (on the next turn of the
   * event loop, so a socket read's worth of messages goes in together) or FLUSH_MS after the first
   * pending one. While PIPELINE batches are being stored, what arrives waits and goes in one batch
   * (statements of up to MAX_STATEMENT) as soon as one of them is done.
   */
  private schedule() {
    if (this.size === 0) return;
    if (this.due || this.size >= (this.opts.maxBatch ?? MAX_BATCH)) {
      if (this.running < (this.opts.pipeline ?? PIPELINE) && !this.immediate)
        this.immediate = setImmediate(() => {
          this.immediate = null;
          this.take();
        });
      return;
    }
    if (!this.timer)
      this.timer = setTimeout(() => {
        this.timer = null;
        this.due = true;
        this.schedule();
      }, this.opts.flushMs ?? FLUSH_MS);
  }

  /**
   * Takes what is pending, up to MAX_STATEMENT readings, as one batch and stores it in a free slot;
   * a larger backlog stays due (for the other slot, or the next one free).
   */
  private take() {
    if (this.size === 0 || this.running >= (this.opts.pipeline ?? PIPELINE)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let batch = this.pending;
    if (this.size <= MAX_STATEMENT) {
      this.pending = new Map();
      this.size = 0;
      this.due = false;
    } else {
      batch = new Map();
      let room = MAX_STATEMENT;
      for (const [tenantId, items] of this.pending) {
        if (room === 0) break;
        const part = items.length <= room ? items : items.splice(0, room);
        if (part === items) this.pending.delete(tenantId);
        batch.set(tenantId, part);
        room -= part.length;
        this.size -= part.length;
      }
      this.due = true;
    }
    this.running++;
    const stored = this.store(batch).finally(() => {
      this.running--;
      this.schedule();
      if (this.running === 0 && this.size === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
    this.schedule();
    // Acknowledged (or refused) only after every earlier batch has settled.
    this.settled = this.settled.then(() => stored).then((outcomes) => this.settle(outcomes));
  }

  /** Stores one batch, a transaction per company (and per MAX_STATEMENT readings); never rejects. */
  private async store(batch: Map<number, Pending[]>): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const [tenantId, items] of batch) {
      const size = Math.max(this.opts.maxBatch ?? MAX_BATCH, MAX_STATEMENT);
      for (let i = 0; i < items.length; i += size) {
        const chunk = items.length <= size ? items : items.slice(i, i + size);
        const deviceIds = [...new Set(chunk.map((p) => p.deviceId))];
        this.stats.statements++;
        try {
          const stored = await storeBatch(this.deps, tenantId, chunk, deviceIds, new Date().toISOString());
          this.stats.stored += stored;
          this.stats.skipped += chunk.length - stored;
          outcomes.push({ items: chunk, error: null });
          if (stored > 0) this.triggers.push(tenantId, chunk);
        } catch (error) {
          this.stats.failedBatches++;
          this.deps.log.error({ err: error, tenantId, readings: chunk.length }, 'meter readings batch failed');
          outcomes.push({ items: chunk, error: error as Error });
        }
      }
    }
    return outcomes;
  }

  private settle(outcomes: Outcome[]) {
    for (const { items, error } of outcomes) {
      this.taken -= items.length;
      for (const p of items) {
        const done = p.done;
        if (!done) continue;
        p.done = null; // the triggers keep the readings a while: not their callbacks
        try {
          done(error);
        } catch (err) {
          this.deps.log.error({ err }, 'meter reading callback failed');
        }
      }
    }
    this.resumeIfDrained();
  }

  private resumeIfDrained() {
    if (this.taken < this.lowWater && this.drainWaiters.length > 0) for (const resume of this.drainWaiters.splice(0)) resume();
  }

  /** Stores everything collected so far; resolves once it is stored and acknowledged. */
  async flush(): Promise<void> {
    this.due = true;
    this.schedule();
    while (this.size > 0 || this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await this.settled;
  }

  /** Stores what is pending and refuses more. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.triggers.idle();
  }
}
