// The admin "Outbox": every message Steward sent or keeps (without SMTP), to read and check.
import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import { mailAttachments, mailOutbox } from '../../db/schema/index.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { ctxOf, decodeCursor, encodeCursor, idParam, iso, listQuery, type ModulePlugin, toId } from '../http.js';

const summary = z.object({
  id: z.string(),
  to: z.string(),
  subject: z.string(),
  template: z.string(),
  status: z.enum(['kept', 'pending', 'sent', 'failed']),
  attempts: z.number(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  attachments: z.array(z.object({ name: z.string(), contentType: z.string(), size: z.number() })),
});

type Row = typeof mailOutbox.$inferSelect;
type Attached = { mailId: number; name: string; contentType: string; size: number };
const toSummary = (m: Row, files: Attached[]) => ({
  id: String(m.id),
  to: m.to,
  subject: m.subject,
  template: m.template,
  status: m.status,
  attempts: m.attempts,
  lastError: m.lastError,
  createdAt: m.createdAt.toISOString(),
  sentAt: iso(m.sentAt),
  attachments: files.filter((f) => f.mailId === m.id).map(({ name, contentType, size }) => ({ name, contentType, size })),
});

/** The attachments' names and sizes (never their bytes) of some messages. */
const attachmentsOf = (tx: Tx, ids: number[]): Promise<Attached[]> =>
  ids.length === 0
    ? Promise.resolve([])
    : tx
        .select({ mailId: mailAttachments.mailId, name: mailAttachments.name, contentType: mailAttachments.contentType, size: mailAttachments.size })
        .from(mailAttachments)
        .where(inArray(mailAttachments.mailId, ids))
        .orderBy(asc(mailAttachments.id));

async function listOutbox(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const { page, rows, files } = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const rows = await tx
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.tenantId, actor.tenantId), after ? lt(mailOutbox.id, after[0]) : undefined))
      .orderBy(desc(mailOutbox.id))
      .limit(q.limit + 1);
    const page = rows.slice(0, q.limit);
    return { page, rows, files: await attachmentsOf(tx, page.map((m) => m.id)) };
  });
  return { items: page.map((m) => toSummary(m, files)), nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.id]) : null };
}

async function getMessage(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const { row, files } = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const [row] = await tx.select().from(mailOutbox).where(and(eq(mailOutbox.tenantId, actor.tenantId), eq(mailOutbox.id, id)));
    return { row, files: row ? await attachmentsOf(tx, [row.id]) : [] };
  });
  if (!row) throw notFound('Message');
  return { ...toSummary(row, files), text: row.text, html: row.html };
}

export const outboxRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/outbox', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'Outgoing mail of the company, newest first',
      querystring: listQuery,
      response: { 200: z.object({ items: z.array(summary), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => listOutbox(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/outbox/:id', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'One outgoing message with its text',
      params: idParam,
      response: { 200: z.object({ message: summary.extend({ text: z.string(), html: z.string().nullable() }) }) },
    },
    handler: async (req) => ({ message: await getMessage(ctxOf(deps, req), toId(req.params.id)) }),
  });
};
