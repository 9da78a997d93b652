import { z } from 'zod';
import { PRIORITIES, SOURCES, TICKET_KINDS, TICKET_STATUSES } from '../../db/schema/index.js';
import { iso } from '../http.js';
import type { TicketWithNames } from './tickets.repo.js';

const ref = z.object({ id: z.string(), name: z.string() }).nullable();

export const ticketSummaryDto = z.object({
  id: z.string(),
  number: z.number(),
  kind: z.enum(TICKET_KINDS),
  title: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  category: ref,
  requester: ref,
  contact: z.object({ name: z.string(), email: z.string().nullable().optional() }).nullable(),
  assignee: z.object({ id: z.string(), name: z.string(), color: z.string() }).nullable(),
  team: ref,
  department: ref,
  project: ref,
  dueAt: z.string().nullable(),
  source: z.enum(SOURCES),
  tags: z.array(z.string()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean(),
});

export const ticketDto = ticketSummaryDto.extend({
  description: z.string(),
  createdBy: ref,
  locationId: z.string().nullable(),
  scheduledStart: z.string().nullable(),
  scheduledEnd: z.string().nullable(),
  customFields: z.record(z.string(), z.unknown()),
  assetIds: z.array(z.string()),
  watcherIds: z.array(z.string()),
  approval: z
    .object({
      step: z.number(),
      stepCount: z.number(),
      pendingRoleId: z.string().nullable(),
      pendingUserId: z.string().nullable(),
    })
    .nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
});

const refOf = (r: { id: number | null; name: string | null } | null) => (r?.id ? { id: String(r.id), name: r.name ?? '' } : null);

export function toSummary(row: TicketWithNames): z.infer<typeof ticketSummaryDto> {
  const t = row.t;
  return {
    id: String(t.id),
    number: t.number,
    kind: t.kind,
    title: t.title,
    status: t.status,
    priority: t.priority,
    category: refOf(row.category),
    requester: refOf(row.requester),
    contact: t.contact ?? null,
    assignee: row.assignee?.id ? { id: String(row.assignee.id), name: row.assignee.name ?? '', color: row.assignee.color ?? '#228be6' } : null,
    team: refOf(row.team),
    department: refOf(row.department),
    project: refOf(row.project),
    dueAt: iso(t.dueAt),
    source: t.source,
    tags: t.tags,
    version: t.version,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
    archived: t.archivedAt !== null,
  };
}

export function toTicket(
  row: TicketWithNames,
  extra: { assetIds: number[]; watcherIds: number[]; stepCount: number },
): z.infer<typeof ticketDto> {
  const t = row.t;
  return {
    ...toSummary(row),
    description: t.description,
    createdBy: refOf(row.creator),
    locationId: t.locationId ? String(t.locationId) : null,
    scheduledStart: iso(t.scheduledStart),
    scheduledEnd: iso(t.scheduledEnd),
    customFields: t.customFields,
    assetIds: extra.assetIds.map(String),
    watcherIds: extra.watcherIds.map(String),
    approval:
      t.status === 'pending_approval' && t.approvalStep !== null
        ? {
            step: t.approvalStep,
            stepCount: extra.stepCount,
            pendingRoleId: t.pendingRoleId ? String(t.pendingRoleId) : null,
            pendingUserId: t.pendingUserId ? String(t.pendingUserId) : null,
          }
        : null,
    resolvedAt: iso(t.resolvedAt),
    closedAt: iso(t.closedAt),
    archivedAt: iso(t.archivedAt),
  };
}
