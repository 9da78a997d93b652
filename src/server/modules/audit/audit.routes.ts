// The audit log: security and administration events of the company, filterable, newest first.
import { and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { ctxOf, decodeCursor, encodeCursor, idString, listQuery, type ModulePlugin } from '../http.js';

const query = listQuery.extend({
  action: z.string().max(100).optional(),
  actorId: idString.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

const entry = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: z.string(),
});

async function listAudit(ctx: Ctx, q: z.infer<typeof query>) {
  const actor = requireUser(ctx);
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) =>
    tx
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, actor.tenantId),
          q.action ? (q.action.endsWith('.') ? sql`${auditLog.action} like ${`${q.action}%`}` : eq(auditLog.action, q.action)) : undefined,
          q.actorId ? eq(auditLog.actorUserId, Number(q.actorId)) : undefined,
          q.from ? gte(auditLog.at, new Date(q.from)) : undefined,
          q.to ? lte(auditLog.at, new Date(q.to)) : undefined,
          after ? lt(auditLog.id, after[0]) : undefined,
        ),
      )
      .orderBy(desc(auditLog.id))
      .limit(q.limit + 1),
  );
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: String(r.id),
      action: r.action,
      actor: r.actorUserId && r.actorName ? { id: String(r.actorUserId), name: r.actorName } : r.actorName ? { id: '', name: r.actorName } : null,
      targetType: r.targetType,
      targetId: r.targetId,
      details: r.details,
      ip: r.ip,
      createdAt: r.at.toISOString(),
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
  };
}

export const auditRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/audit', {
    config: { access: 'audit.view' },
    schema: {
      tags: ['audit'],
      summary: 'Audit log, filterable by action (or "prefix."), actor and time',
      querystring: query,
      response: { 200: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => listAudit(ctxOf(deps, req), req.query),
  });
};
