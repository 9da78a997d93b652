// The live socket (/api/v1/live) sends {"type","data"} messages: one data shape per type, so the
// server cannot push a shape the web client does not expect.
import { z } from 'zod';
import { TICKET_STATUSES } from './enums.js';
import { notification } from './notifications.js';
import { onlineUser } from './users.js';

export const liveData = {
  /** First message on a new socket. */
  hello: z.object({ userId: z.string() }),
  /** Answer to the client's {"type":"ping"}. */
  pong: z.object({}),
  /** Who of the company is online now. */
  presence: z.object({ online: z.array(onlineUser) }),
  /** A new in-app notification for this user. */
  notification,
  /** A ticket the caller may see changed (lists refresh, an open ticket page decides itself). */
  'ticket.updated': z.object({ number: z.number(), version: z.number(), status: z.enum(TICKET_STATUSES), what: z.string() }),
  /** The schedule of a technician changed (an entry, or time off): open calendars refresh. */
  'schedule.changed': z.object({ technicianId: z.string() }),
  /** New readings of a meter this socket watches (at most one batch per 250 ms per socket). */
  'meter.readings': z.object({ meterId: z.string(), items: z.array(z.object({ ts: z.string(), v: z.number() })) }),
  /** Answer to {"type":"subscribe"}: the meters this socket now watches (others' or unknown ids are left out). */
  'meter.subscribed': z.object({ meters: z.array(z.string()) }),
} as const;
export type LiveType = keyof typeof liveData;
export type LiveData = { [K in LiveType]: z.infer<(typeof liveData)[K]> };
export type LiveMessage<K extends LiveType = LiveType> = { [P in K]: { type: P; data: LiveData[P] } }[K];

/** The text of one message, for `socket.send`. */
export const liveMessage = <K extends LiveType>(type: K, data: LiveData[K]): string => JSON.stringify({ type, data });

/** What the browser sends to watch meters (and to stop): at most 200 meter ids per message. */
export const meterWatchMessage = z.object({
  type: z.enum(['subscribe', 'unsubscribe']),
  meters: z.array(z.string().regex(/^\d{1,18}$/)).max(200).optional(),
});
export type MeterWatchMessage = z.infer<typeof meterWatchMessage>;
