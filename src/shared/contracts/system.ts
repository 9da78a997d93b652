// Health and version.
import { z } from 'zod';
import { DATABASE_KINDS, LISTENER_STATES } from './enums.js';

export const liveAnswer = z.object({ status: z.literal('ok') });
/** `listener`: the LISTEN connection that carries live events between processes (in-process on PGlite). */
const listener = z.enum(LISTENER_STATES);
/** One dependency's state: `off` is not configured (mail kept in the outbox), not a fault. */
export const CHECK_STATES = ['ok', 'degraded', 'down', 'off'] as const;
export const readinessCheck = z.object({ state: z.enum(CHECK_STATES), detail: z.string() });
export type ReadinessCheck = z.infer<typeof readinessCheck>;
/**
 * Each dependency with detail. Only the database (reachable, migrations applied) decides readiness:
 * without a worker, the broker or mail, requests are still served, and a load balancer should keep
 * sending them.
 */
export const readinessChecks = z.object({
  database: readinessCheck,
  listener: readinessCheck,
  workers: readinessCheck,
  broker: readinessCheck,
  mail: readinessCheck,
});
export type ReadinessChecks = z.infer<typeof readinessChecks>;
export const readyAnswer = z.object({ status: z.literal('ready'), listener, checks: readinessChecks });
export const notReadyAnswer = z.object({ status: z.literal('unavailable'), reason: z.string(), listener, checks: readinessChecks.partial().optional() });

export const instanceProcessState = z.enum(['running', 'silent', 'stopped']);
export const instanceProcess = z.object({
  id: z.string(),
  host: z.string(),
  pid: z.number().int(),
  roles: z.array(z.string()),
  version: z.string(),
  startedAt: z.string(),
  lastSeenAt: z.string(),
  state: instanceProcessState,
  jobsCompleted: z.number().int(),
  jobsFailed: z.number().int(),
  broker: readinessCheck.nullable(),
});
export const queueAnswer = z.object({ name: z.string(), queued: z.number().int(), active: z.number().int(), failed: z.number().int() });
/** The operator's view of the instance: version, each process's heartbeat, the job queues, the checks. */
export const systemOverview = z.object({
  version: z.string(),
  database: z.enum(DATABASE_KINDS),
  processes: z.array(instanceProcess),
  queues: z.array(queueAnswer),
  checks: readinessChecks,
});
export type SystemOverview = z.infer<typeof systemOverview>;
export type InstanceProcess = z.infer<typeof instanceProcess>;
export const versionAnswer = z.object({ version: z.string(), database: z.enum(DATABASE_KINDS), mailDelivery: z.boolean() });
export type VersionAnswer = z.infer<typeof versionAnswer>;
