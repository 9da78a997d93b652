// In-app notifications (bell, unread count, pushed live) and their e-mails, per user preferences
// per event. Written in the transaction of the change; pushed and mailed only after it commits.
import { z } from 'zod';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import type { MailMessage } from '../../platform/mail.js';
import { publishLive } from '../../platform/realtime.js';
import { decodeCursor, encodeCursor } from '../http.js';
import { numberedSubject, threadingFor } from '../mail/mail-info.service.js';
import * as repo from './notifications.repo.js';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../../shared/contracts/enums.js';
import type { Notification } from '../../../shared/contracts/notifications.js';

export { NOTIFICATION_EVENTS, type NotificationEvent } from '../../../shared/contracts/enums.js';

export interface Channels {
  inApp: boolean;
  email: boolean;
}
export type NotificationPreferences = Record<NotificationEvent, Channels>;

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function preferencesOf(prefs: Record<string, unknown>): NotificationPreferences {
  const stored = (prefs.notifications ?? {}) as Partial<Record<string, Partial<Channels>>>;
  return Object.fromEntries(
    NOTIFICATION_EVENTS.map((e) => [e, { inApp: stored[e]?.inApp ?? true, email: stored[e]?.email ?? true }]),
  ) as NotificationPreferences;
}

export interface Notice {
  event: NotificationEvent;
  recipients: Iterable<number>;
  /** Who caused it: never notified about their own action. */
  actorId: number | null;
  ticketNumber: number | null;
  title: string;
  body: string;
}

/** Someone a notice may go to, as the caller already read them. */
export interface Recipient {
  id: number;
  email: string;
  preferences: Record<string, unknown>;
}

/**
 * Records and (after commit) pushes and mails each notice to each recipient who wants it. Several
 * notices of one change (created, assigned, approval needed) cost one read of the recipients and one
 * insert each for the notifications and the mails.
 */
export async function notify(
  scope: Scope,
  deps: Deps,
  tenantId: number,
  notices: Notice | Notice[],
  /** Active people already read by the caller, and every id that read asked about (the others are read here). */
  known?: { people: Recipient[]; covers: ReadonlySet<number> },
): Promise<void> {
  const list = (Array.isArray(notices) ? notices : [notices]).map((n) => ({
    notice: n,
    ids: [...new Set(n.recipients)].filter((id) => id !== n.actorId),
  }));
  const everyone = [...new Set(list.flatMap((n) => n.ids))];
  if (everyone.length === 0) return;
  const missing = everyone.filter((id) => !known?.covers.has(id));
  const found = [...(known?.people ?? [])];
  if (missing.length > 0) {
    found.push(...(await repo.activeRecipients(scope.tx, tenantId, missing)));
  }
  const people = new Map(found.map((p) => [p.id, { email: p.email, prefs: preferencesOf(p.preferences) }]));
  const inApp: repo.NewNotification[] = [];
  const mails: MailMessage[] = [];
  const mailTickets: Array<number | null> = [];
  for (const { notice, ids } of list) {
    const link = notice.ticketNumber ? `${deps.config.publicUrl}/tickets/${notice.ticketNumber}` : deps.config.publicUrl;
    for (const id of ids) {
      const p = people.get(id);
      if (!p) continue;
      if (p.prefs[notice.event].inApp) {
        inApp.push({
          tenantId,
          userId: id,
          event: notice.event,
          ticketNumber: notice.ticketNumber,
          title: notice.title,
          body: notice.body,
        });
      }
      if (p.prefs[notice.event].email) {
        mails.push({
          template: notice.event,
          to: p.email,
          subject: notice.title,
          text: `${notice.body}\n\nOpen it: ${link}\n`,
          html: `<p>${esc(notice.body).replace(/\n/g, '<br>')}</p><p><a href="${esc(link)}">Open it in Steward</a></p>`,
        });
        mailTickets.push(notice.ticketNumber);
      }
    }
  }
  if (inApp.length > 0) {
    const rows = await repo.insertNotifications(scope.tx, inApp);
    for (const row of rows) await publishLive(scope, { tenantId, type: 'notification', userIds: [row.userId], data: toDto(row) });
  }
  await deps.mailer.queueMany(scope, tenantId, await threaded(scope, tenantId, mails, mailTickets));
}

/**
 * Mail about a ticket joins its e-mail thread (Message-ID recorded, In-Reply-To/References, `[#n]` in
 * the subject, from the ticket's mailbox), so a reply to a notification lands on the ticket. Marked
 * automatic (Auto-Submitted), so out-of-office responders do not answer it.
 */
async function threaded(scope: Scope, tenantId: number, mails: MailMessage[], numbers: Array<number | null>): Promise<MailMessage[]> {
  const wanted = numbers.filter((n): n is number => n !== null);
  if (wanted.length === 0) return mails;
  const threads = await threadingFor(scope, tenantId, wanted);
  return mails.map((m, i) => {
    const n = numbers[i];
    const t = n !== null ? threads.get(n) : undefined;
    if (n === null || !t) return m;
    return {
      ...m,
      subject: numberedSubject(m.subject, n),
      from: t.from ?? undefined,
      inReplyTo: t.inReplyTo,
      references: t.references,
      ticketId: t.ticketId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    };
  });
}

const toDto = (n: repo.NotificationRow): Notification => ({
  id: String(n.id),
  event: n.event,
  ticketNumber: n.ticketNumber,
  title: n.title,
  body: n.body,
  read: n.readAt !== null,
  createdAt: n.createdAt.toISOString(),
});

export async function listNotifications(ctx: Ctx, q: { limit: number; cursor?: string; unread?: boolean }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.listNotifications(tx, actor, { unread: q.unread, beforeId: after?.[0], limit: q.limit + 1 });
    const unread = await repo.unreadCount(tx, actor);
    const page = rows.slice(0, q.limit);
    return { items: page.map(toDto), unreadCount: unread, nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.id]) : null };
  });
}

export async function markRead(ctx: Ctx, input: { ids?: number[]; all?: boolean }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => ({
    updated: await repo.markRead(tx, actor, input.all ? 'all' : (input.ids ?? [])),
  }));
}

export async function getPreferences(ctx: Ctx) {
  const actor = requireUser(ctx);
  return preferencesOf(actor.profile.preferences);
}

export async function setPreferences(ctx: Ctx, prefs: Partial<NotificationPreferences>) {
  const actor = requireUser(ctx);
  const merged = { ...preferencesOf(actor.profile.preferences), ...prefs };
  await ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    await repo.mergePreferences(scope.tx, actor, { notifications: merged });
    await ctx.deps.authCache.invalidate(scope);
  });
  return merged;
}
