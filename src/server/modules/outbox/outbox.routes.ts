// The admin "Outbox": every message Steward sent or keeps (without SMTP), to read and check.
import { and, desc, eq, lt } from 'drizzle-orm';
import { z } from 'zod';
import { mailOutbox } from '../../db/schema/index.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { outboxMessageAnswer, outboxPage } from '../../../shared/contracts/outbox.js';
import { ctxOf, decodeCursor, encodeCursor, idParam, iso, listQuery, type ModulePlugin, toId } from '../http.js';

type Row = typeof mailOutbox.$inferSelect;
const toSummary = (m: Row) => ({
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

async function listOutbox(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    tx
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.tenantId, actor.tenantId), after ? lt(mailOutbox.id, after[0]) : undefined))
      .orderBy(desc(mailOutbox.id))
      .limit(q.limit + 1),
  );
  const page = rows.slice(0, q.limit);
  return { items: page.map(toSummary), nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.id]) : null };
}

async function getMessage(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const [row] = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    tx.select().from(mailOutbox).where(and(eq(mailOutbox.tenantId, actor.tenantId), eq(mailOutbox.id, id))),
  );
  if (!row) throw notFound('Message');
  return { ...toSummary(row), text: row.text, html: row.html };
}

export const outboxRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/outbox', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'Outgoing mail of the company, newest first',
      querystring: listQuery,
      response: { 200: outboxPage },
    },
    handler: (req) => listOutbox(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/outbox/:id', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['mail'],
      summary: 'One outgoing message with its text',
      params: idParam,
      response: { 200: outboxMessageAnswer },
    },
    handler: async (req) => ({ message: await getMessage(ctxOf(deps, req), toId(req.params.id)) }),
  });
};
