// The private iCalendar feed of a user's entries and approved time off (API.md "Scheduling"): from
// 90 days back to a year ahead, a VTIMEZONE for every zone used (built from the zone database in
// src/shared/time, no RRULEs), stable UIDs with SEQUENCE = version so an updated entry replaces the
// old one, REFRESH-INTERVAL. The token is HMAC(secret, tenant:user:nonce): rotating draws a new nonce.
import { createHmac } from 'node:crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { vtimezone, zonedDateTime } from '../../../shared/time/zones.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { newToken, sha256 } from '../../platform/crypto.js';
import { notFound } from '../../platform/errors.js';
import * as repo from './schedule.repo.js';

const DAY_MS = 86_400_000;
export const FEED_DAYS_BACK = 90;
export const FEED_DAYS_AHEAD = 365;
/** How often subscribing calendars should fetch again (REFRESH-INTERVAL / X-PUBLISHED-TTL), seconds. */
export const FEED_REFRESH_SECONDS = 3600;

const tokenOf = (deps: Deps, tenantId: number, userId: number, nonce: string) =>
  createHmac('sha256', deps.config.sessionSecret || 'steward')
    .update(`calendar:${tenantId}:${userId}:${nonce}`)
    .digest('base64url');
const urlOf = (deps: Deps, token: string) => `${deps.config.publicUrl.replace(/\/$/, '')}/api/v1/calendar/${token}.ics`;

async function feedUrl(ctx: Ctx, rotate: boolean): Promise<{ url: string }> {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    let nonce = rotate ? null : await repo.feedNonce(tx, actor.tenantId, actor.userId);
    if (!nonce) {
      nonce = newToken(16);
      await repo.saveFeedToken(tx, actor.tenantId, actor.userId, nonce, sha256(tokenOf(ctx.deps, actor.tenantId, actor.userId, nonce)));
    }
    return { url: urlOf(ctx.deps, tokenOf(ctx.deps, actor.tenantId, actor.userId, nonce)) };
  });
}

export const getFeedUrl = (ctx: Ctx) => feedUrl(ctx, false);
export const rotateFeed = (ctx: Ctx) => feedUrl(ctx, true);

const KIND = { shift: 'Shift', job: 'Job', on_call: 'On call', vacation: 'Vacation', sick: 'Sick leave', other: 'Time off' } as const;

/** The feed's text for a token; 404 for an unknown, rotated or deactivated one. */
export async function renderFeed(deps: Deps, token: string, now = new Date()): Promise<string> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw notFound('Calendar');
  const owner = await deps.database.system(({ tx }) => repo.feedOwner(tx, sha256(token)));
  if (!owner) throw notFound('Calendar');
  const from = new Date(now.getTime() - FEED_DAYS_BACK * DAY_MS);
  const to = new Date(now.getTime() + FEED_DAYS_AHEAD * DAY_MS);
  const { person, entries, off } = await deps.database.withTenant(owner.tenantId, async ({ tx }) => ({
    person: await repo.findPerson(tx, owner.tenantId, owner.userId),
    entries: await repo.listEntries(tx, owner.tenantId, { from, to, technicianIds: [owner.userId] }),
    off: await repo.listTimeOff(tx, owner.tenantId, { from, to, userIds: [owner.userId], status: 'approved', limit: 2000 }),
  }));
  if (!person) throw notFound('Calendar');
  const host = new URL(deps.config.publicUrl).host || 'steward';
  const cal = ical({
    name: `Steward schedule: ${person.name}`,
    prodId: { company: 'Steward', product: 'schedule', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: FEED_REFRESH_SECONDS,
    timezone: { name: person.timezone, generator: (zone) => vtimezone(zone, from, to) },
  });
  for (const r of entries) {
    const zone = r.e.timezone;
    const title = r.ticketNumber ? `${KIND[r.e.kind]}: #${r.ticketNumber} ${r.ticketTitle ?? ''}`.trim() : KIND[r.e.kind];
    cal.createEvent({
      id: `entry-${owner.tenantId}-${r.e.id}@${host}`,
      sequence: r.e.version,
      start: zonedDateTime(r.e.startsAt, zone),
      end: zonedDateTime(r.e.endsAt, zone),
      timezone: zone,
      stamp: r.e.updatedAt,
      lastModified: r.e.updatedAt,
      created: r.e.createdAt,
      summary: r.e.flagged ? `${title} (during time off)` : title,
      description:
        [r.e.note, r.ticketNumber ? `${deps.config.publicUrl}/tickets/${r.ticketNumber}` : null].filter(Boolean).join('\n') || undefined,
      location: r.locationName ?? undefined,
      url: r.ticketNumber ? `${deps.config.publicUrl}/tickets/${r.ticketNumber}` : undefined,
    });
  }
  for (const t of off) {
    cal.createEvent({
      id: `time-off-${owner.tenantId}-${t.t.id}@${host}`,
      start: zonedDateTime(t.t.startsAt, person.timezone),
      end: zonedDateTime(t.t.endsAt, person.timezone),
      timezone: person.timezone,
      stamp: t.t.updatedAt,
      lastModified: t.t.updatedAt,
      summary: KIND[t.t.kind],
      description: t.t.note ?? undefined,
    });
  }
  return cal.toString();
}
