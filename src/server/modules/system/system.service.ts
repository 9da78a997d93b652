// The instance's health as the operator sees it: each process writes a heartbeat (roles, version,
// jobs run, its broker's state); /readyz, /metrics and the system page read them with the job queues
// and the mail waiting.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { InstanceProcess, ReadinessCheck, ReadinessChecks, SystemOverview } from '../../../shared/contracts/system.js';
import type { ProcessDetails } from '../../db/schema/system.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { VERSION } from '../../version.js';
import * as repo from './system.repo.js';

/** Seconds between heartbeats; a process silent for three of them is shown as silent. */
export const HEARTBEAT_SECONDS = 15;
const SILENT_AFTER_SECONDS = HEARTBEAT_SECONDS * 3;
/** Mail pending longer than this makes the mail check degraded (the SMTP server is not taking it). */
const MAIL_STALE_SECONDS = 15 * 60;

interface LocalProcess {
  id: string;
  roles: string[];
  broker: (() => ReadinessCheck & { kind: 'embedded' | 'mosquitto' }) | null;
  ingest: (() => { stored: number; dropped: number }) | null;
}
const local = new WeakMap<Deps, LocalProcess>();

/** What this process runs, for its heartbeat and its own /readyz answer. */
export function registerProcess(deps: Deps, roles: string[], parts: Pick<LocalProcess, 'broker' | 'ingest'>): LocalProcess {
  const entry: LocalProcess = { id: randomUUID(), roles, ...parts };
  local.set(deps, entry);
  return entry;
}

function jobTotals(deps: Deps) {
  let completed = 0;
  let failed = 0;
  for (const s of deps.jobs.stats().values()) {
    completed += s.completed;
    failed += s.failed;
  }
  return { completed, failed };
}

async function beat(deps: Deps, me: LocalProcess, startedAt: Date): Promise<void> {
  const details: ProcessDetails = {};
  if (me.broker) {
    const { kind, state, detail } = me.broker();
    details.broker = { kind, state: state === 'ok' ? 'up' : 'down', detail };
  }
  if (me.ingest) details.ingest = me.ingest();
  const totals = jobTotals(deps);
  await deps.database.system(async ({ tx }) => {
    await repo.forgetOldProcesses(tx);
    await repo.upsertProcess(tx, {
      id: me.id,
      host: hostname(),
      pid: process.pid,
      roles: me.roles,
      version: VERSION,
      startedAt,
      jobsCompleted: totals.completed,
      jobsFailed: totals.failed,
      details,
    });
  });
}

/** Writes this process's heartbeat now and every HEARTBEAT_SECONDS; the returned stop marks it stopped. */
export async function startHeartbeat(deps: Deps, me: LocalProcess, everyMs = HEARTBEAT_SECONDS * 1000): Promise<() => Promise<void>> {
  const startedAt = new Date();
  let inFlight: Promise<void> = Promise.resolve();
  let stopped = false;
  const safeBeat = () => {
    if (stopped) return inFlight;
    inFlight = beat(deps, me, startedAt).catch((err) => deps.log.warn({ err }, 'heartbeat not written'));
    return inFlight;
  };
  await safeBeat();
  const timer = setInterval(safeBeat, everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    // A heartbeat still being written would otherwise land after the stop mark.
    await inFlight;
    await deps.database.system(({ tx }) => repo.markStopped(tx, me.id)).catch((err) => deps.log.warn({ err }, 'heartbeat not closed'));
  };
}

const check = (state: ReadinessCheck['state'], detail: string): ReadinessCheck => ({ state, detail });

/** Each dependency's state as seen from this process. `database` down means the others are unknown. */
export async function readiness(deps: Deps): Promise<{ ready: boolean; reason: string | null; checks: ReadinessChecks }> {
  const listenerState = deps.database.listenerStatus().state;
  const listener =
    listenerState === 'connected' || listenerState === 'in-process'
      ? check('ok', listenerState === 'in-process' ? 'in-process (embedded database)' : 'LISTEN connection up')
      : check('degraded', `LISTEN connection ${listenerState}: live pushes between processes pause`);
  let pending: number;
  try {
    pending = await deps.database.migrationsPending();
  } catch {
    const unknown = check('down', 'unknown: the database is unreachable');
    return {
      ready: false,
      reason: 'database unreachable',
      checks: { database: check('down', 'unreachable'), listener, workers: unknown, broker: unknown, mail: unknown },
    };
  }
  const database =
    pending > 0 ? check('down', `${pending} migration(s) pending`) : check('ok', `${deps.database.kind}, every migration applied`);
  const me = local.get(deps);
  const { workers, mail } = await deps.database.system(async ({ tx }) => ({
    workers: await repo.freshProcesses(tx, 'worker', SILENT_AFTER_SECONDS),
    mail: await repo.outboxWaiting(tx),
  }));
  const workersCheck = me?.roles.includes('worker')
    ? check('ok', `this process runs the jobs${workers.length > 1 ? ` (${workers.length} worker processes in all)` : ''}`)
    : workers.length > 0
      ? check('ok', `${workers.length} worker process(es) reported in the last ${SILENT_AFTER_SECONDS} s`)
      : check('down', `no worker process reported in the last ${SILENT_AFTER_SECONDS} s: background jobs (mail, schedules) are not running`);
  let brokerCheck: ReadinessCheck;
  if (me?.broker) {
    const { state, detail } = me.broker();
    brokerCheck = check(state, detail);
  } else {
    const reported = workers.map((w) => w.details.broker).filter((b) => b !== undefined);
    brokerCheck = reported.length
      ? check(reported.every((b) => b.state === 'up') ? 'ok' : 'degraded', reported.map((b) => `worker: ${b.detail}`).join('; '))
      : check(deps.config.mqttUrl ? 'down' : 'off', deps.config.mqttUrl ? 'no process is connected to the MQTT broker' : 'no worker runs the embedded MQTT broker');
  }
  const mailCheck = !deps.mailer.delivering
    ? check('off', `no SMTP server configured: mail is kept in the outbox${mail.pending ? ` (${mail.pending} waiting)` : ''}`)
    : mail.oldestSeconds !== null && mail.oldestSeconds > MAIL_STALE_SECONDS
      ? check('degraded', `${mail.pending} message(s) waiting, the oldest for ${Math.round(mail.oldestSeconds / 60)} min`)
      : check('ok', `SMTP delivery, ${mail.pending} message(s) waiting`);
  return {
    ready: pending === 0,
    reason: pending > 0 ? `${pending} migration(s) pending` : null,
    checks: { database, listener, workers: workersCheck, broker: brokerCheck, mail: mailCheck },
  };
}

/** The operator's system page: version, processes, queues and checks. */
export async function overview(ctx: Ctx): Promise<SystemOverview> {
  const { deps } = ctx;
  const { checks } = await readiness(deps);
  const { rows, counts } = await deps.database.system(async ({ tx }) => ({ rows: await repo.listProcesses(tx), counts: await repo.queueCounts(tx) }));
  const processes: InstanceProcess[] = rows.map((r) => ({
    id: r.id,
    host: r.host,
    pid: r.pid,
    roles: r.roles,
    version: r.version,
    startedAt: r.startedAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    state: r.stoppedAt ? 'stopped' : r.ageSeconds > SILENT_AFTER_SECONDS ? 'silent' : 'running',
    jobsCompleted: r.jobsCompleted,
    jobsFailed: r.jobsFailed,
    broker: r.details.broker ? { state: r.details.broker.state === 'up' ? 'ok' : 'down', detail: r.details.broker.detail } : null,
  }));
  const queues = new Map<string, { name: string; queued: number; active: number; failed: number }>();
  for (const c of counts) {
    const q = queues.get(c.name) ?? { name: c.name, queued: 0, active: 0, failed: 0 };
    if (c.state === 'created' || c.state === 'retry') q.queued += c.n;
    else if (c.state === 'active') q.active += c.n;
    else if (c.state === 'failed') q.failed += c.n;
    queues.set(c.name, q);
  }
  return { version: VERSION, database: deps.database.kind, processes, queues: [...queues.values()], checks };
}

/** Job queue depths for /metrics. */
export async function queueDepths(deps: Deps): Promise<repo.QueueCount[]> {
  return deps.database.system(({ tx }) => repo.queueCounts(tx));
}

/** This process's ingest figures, if it ingests meter readings. */
export const localIngest = (deps: Deps) => local.get(deps)?.ingest?.() ?? null;
