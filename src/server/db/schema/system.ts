// Instance-level: the Steward processes (web, worker) that run on this database, each writing a
// heartbeat, so the operator sees which workers are alive, their version and what they did.
import { bigint, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export interface ProcessDetails {
  /** The MQTT side of this process: the embedded broker's port and clients, or the Mosquitto link. */
  broker?: { kind: 'embedded' | 'mosquitto'; state: 'up' | 'down'; detail: string };
  /** Meter readings this process stored and dropped since it started. */
  ingest?: { stored: number; dropped: number };
}

export const stewardProcesses = pgTable('steward_processes', {
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  roles: text('roles').array().notNull(),
  version: text('version').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  stoppedAt: timestamp('stopped_at', { withTimezone: true }),
  jobsCompleted: bigint('jobs_completed', { mode: 'number' }).notNull().default(0),
  jobsFailed: bigint('jobs_failed', { mode: 'number' }).notNull().default(0),
  details: jsonb('details').$type<ProcessDetails>().notNull().default({}),
});
