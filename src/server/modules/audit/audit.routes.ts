// The audit log: security and administration events of the company, filterable, newest first.
import { z } from 'zod';
import { ctxOf, idString, listQuery, type ModulePlugin } from '../http.js';
import { listAudit } from './audit.service.js';

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

  app.get('/api/v1/admin/audit', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['audit'],
      summary: "The instance's audit log (operator): every company, or one with companyId",
      querystring: query.extend({ companyId: idString.optional() }),
      response: { 200: z.object({ items: z.array(entry), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => listAudit(ctxOf(deps, req), req.query),
  });
};
