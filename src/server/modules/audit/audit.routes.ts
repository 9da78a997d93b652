// The audit log: security and administration events of the company, filterable, newest first.
import { and, desc, eq, gte, lt, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditLog } from '../../db/schema/index.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { type AuditQuery, auditPage, auditQuery, operatorAuditQuery } from '../../../shared/contracts/audit.js';
import { ctxOf, decodeCursor, encodeCursor, type ModulePlugin } from '../http.js';

/** A company's log for its admins; the whole instance's (companyId optional) for the operator. */
async function listAudit(ctx: Ctx, q: AuditQuery & { companyId?: string }) {
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const operator = ctx.actor?.kind === 'superadmin';
  const tenantId = operator ? (q.companyId ? Number(q.companyId) : null) : requireUser(ctx).tenantId;
  const run = <T>(fn: Parameters<typeof ctx.deps.database.system<T>>[0]) =>
    operator ? ctx.deps.database.system(fn) : ctx.deps.database.withTenant(tenantId!, fn);
  const rows = await run(({ tx }) =>
    tx
      .select()
      .from(auditLog)
      .where(
        and(
          tenantId !== null ? eq(auditLog.tenantId, tenantId) : undefined,
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
      querystring: auditQuery,
      response: { 200: auditPage },
    },
    handler: (req) => listAudit(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/admin/audit', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['audit'],
      summary: "The instance's audit log (operator): every company, or one with companyId",
      querystring: operatorAuditQuery,
      response: { 200: auditPage },
    },
    handler: (req) => listAudit(ctxOf(deps, req), req.query),
  });
};
