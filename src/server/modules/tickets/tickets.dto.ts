// Ticket rows → the contract's shapes (src/shared/contracts/tickets.ts).
import type { TicketSla } from '../../../shared/contracts/sla.js';
import type { Ticket, TicketSummary } from '../../../shared/contracts/tickets.js';
import { iso } from '../http.js';
import type { TicketWithNames } from './tickets.repo.js';

const refOf = (r: { id: number | null; name: string | null } | null) => (r?.id ? { id: String(r.id), name: r.name ?? '' } : null);

export function toSummary(row: TicketWithNames): TicketSummary {
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
  extra: { assetIds: number[]; watcherIds: number[]; stepCount: number; descriptionHtml: string; sla?: TicketSla | null; relatedTickets?: Ticket['relatedTickets']; email?: Ticket['email'] },
): Ticket {
  const t = row.t;
  return {
    ...toSummary(row),
    description: t.description,
    descriptionHtml: extra.descriptionHtml,
    createdBy: refOf(row.creator),
    locationId: t.locationId ? String(t.locationId) : null,
    scheduledStart: iso(t.scheduledStart),
    scheduledEnd: iso(t.scheduledEnd),
    costCode: t.costCode,
    failure: t.failure,
    downtimeStartedAt: iso(t.downtimeStartedAt),
    downtimeEndedAt: iso(t.downtimeEndedAt),
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
    sla: extra.sla ?? null,
    relatedTickets: extra.relatedTickets ?? [],
    email: extra.email ?? null,
  };
}
