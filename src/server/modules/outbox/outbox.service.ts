// The admin "Outbox": every message Steward sent or keeps (without SMTP), to read and check.
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor, iso } from '../http.js';
import * as repo from './outbox.repo.js';

const toSummary = (m: repo.MessageRow) => ({
  id: String(m.id),
  to: m.to,
  subject: m.subject,
  template: m.template,
  status: m.status,
  attempts: m.attempts,
  lastError: m.lastError,
  createdAt: m.createdAt.toISOString(),
  sentAt: iso(m.sentAt),
});

export async function listOutbox(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.listMessages(tx, actor.tenantId, after?.[0], q.limit + 1));
  const page = rows.slice(0, q.limit);
  return { items: page.map(toSummary), nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.id]) : null };
}

export async function getMessage(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findMessage(tx, actor.tenantId, id));
  if (!row) throw notFound('Message');
  return { ...toSummary(row), text: row.text, html: row.html };
}
