// The audit log.
import { z } from 'zod';
import { idString, listQuery, page } from './common.js';

export const auditQuery = listQuery.extend({
  action: z.string().max(100).optional(),
  actorId: idString.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;
export const operatorAuditQuery = auditQuery.extend({ companyId: idString.optional() });

export const auditEntry = z.object({
  id: z.string(),
  action: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntry>;
export const auditPage = page(auditEntry);
