// The admin "Outbox": every message Steward sent or keeps (without SMTP), to read and check.
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, iso } from '../http.js';
import * as repo from './outbox.repo.js';

/**
 * The stored `to` is one text column (one recipient per outgoing message, as `MailMessage.to`
 * queues it, and what the SMTP envelope gets); the answer is an array (API.md). An older or hand-written
 * row listing several, comma-separated, gives one element each (commas inside a quoted name do not split).
 */
export function recipients(to: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i <= to.length; i++) {
    const c = to[i];
    if (c === '"') quoted = !quoted;
    else if (i === to.length || (c === ',' && !quoted)) {
      const one = to.slice(start, i).trim();
      if (one) out.push(one);
      start = i + 1;
    }
  }
  return out;
}

const toSummary = (m: repo.MessageRow, files: repo.AttachmentInfo[]) => ({
  id: String(m.id),
  to: recipients(m.to),
  subject: m.subject,
  template: m.template,
  status: m.status,
  attempts: m.attempts,
  lastError: m.lastError,
  createdAt: m.createdAt.toISOString(),
  sentAt: iso(m.sentAt),
  cc: m.cc,
  messageId: m.messageId,
  inReplyTo: m.inReplyTo,
  references: m.references,
  attachments: files.filter((f) => f.mailId === m.id).map(({ name, contentType, size }) => ({ name, contentType, size })),
});

export async function listOutbox(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const { rows, files } = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await repo.listMessages(tx, actor.tenantId, after?.[0], q.limit + 1);
    return { rows, files: await repo.attachmentsOf(tx, rows.slice(0, q.limit).map((m) => m.id)) };
  });
  const page = rows.slice(0, q.limit);
  return { items: page.map((m) => toSummary(m, files)), nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.id]) : null };
}

export async function getMessage(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const { row, files } = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.findMessage(tx, actor.tenantId, id);
    return { row, files: row ? await repo.attachmentsOf(tx, [row.id]) : [] };
  });
  if (!row) throw notFound('Message');
  return { ...toSummary(row, files), text: row.text, html: row.html, headers: row.headers };
}
