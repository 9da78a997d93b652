// The audit log: a company's for its admins, the whole instance's for the operator.
import { z } from 'zod';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { decodeCursor, encodeCursor } from '../http.js';
import * as repo from './audit.repo.js';

export interface AuditQuery {
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
  companyId?: string;
  limit: number;
  cursor?: string;
}

const toEntry = (r: repo.AuditRow) => ({
  id: String(r.id),
  action: r.action,
  actor: r.actorUserId && r.actorName ? { id: String(r.actorUserId), name: r.actorName } : r.actorName ? { id: '', name: r.actorName } : null,
  targetType: r.targetType,
  targetId: r.targetId,
  details: r.details,
  ip: r.ip,
  createdAt: r.at.toISOString(),
});

/** A company's log for its admins; the whole instance's (companyId optional) for the operator. */
export async function listAudit(ctx: Ctx, q: AuditQuery) {
  const after = decodeCursor(q.cursor, z.tuple([z.number()]));
  const operator = ctx.actor?.kind === 'superadmin';
  const tenantId = operator ? (q.companyId ? Number(q.companyId) : null) : requireUser(ctx).tenantId;
  const read = ({ tx }: Scope) =>
    repo.listEntries(tx, {
      tenantId,
      action: q.action,
      actorId: q.actorId ? Number(q.actorId) : undefined,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      beforeId: after?.[0],
      limit: q.limit + 1,
    });
  const rows = await (operator ? ctx.deps.database.system(read) : ctx.deps.database.withTenant(tenantId!, read));
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toEntry), nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null };
}
