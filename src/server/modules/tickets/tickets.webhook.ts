// Ticket events for the company's webhooks: the change's kind (publishTicket's `what`) → the event,
// and the ticket as GET /api/v1/tickets/:number answers it (built only when a webhook subscribes).
import type { WebhookEvent } from '../../../shared/contracts/enums.js';
import type { Scope } from '../../platform/db.js';
import { renderMarkdown } from '../../platform/markdown.js';
import { slaOf } from '../sla/sla.service.js';
import { emitWebhookEvent } from '../webhooks/webhooks.service.js';
import { mentionMapOf } from './comments.repo.js';
import { toTicket } from './tickets.dto.js';
import * as repo from './tickets.repo.js';

const EVENTS: Record<string, WebhookEvent> = {
  created: 'ticket.created',
  updated: 'ticket.updated',
  assigned: 'ticket.updated',
  status: 'ticket.status_changed',
  comment: 'ticket.commented',
  approved: 'approval.decided',
  rejected: 'approval.decided',
};

/** The ticket as the API answers it (without the caller's `can`). */
export async function ticketData(scope: Scope, tenantId: number, ticketId: number) {
  const row = await repo.findWithNames(scope.tx, tenantId, ticketId);
  const [assetIds, watcherIds] = await Promise.all([
    repo.assetIds(scope.tx, tenantId, ticketId),
    repo.watcherIds(scope.tx, tenantId, ticketId),
  ]);
  const stepCount = row.t.categoryId ? ((await repo.approvalSteps(scope.tx, tenantId, row.t.categoryId))?.length ?? 0) : 0;
  const descriptionHtml = renderMarkdown(row.t.description, await mentionMapOf(scope.tx, tenantId, [row.t.description]));
  const sla = await slaOf(scope.tx, tenantId, ticketId);
  return toTicket(row, { assetIds, watcherIds, stepCount, descriptionHtml, sla });
}

/** Emits the webhook event of a ticket change, if the change has one; `extra` joins the ticket in `data`. */
export async function emitTicketEvent(
  scope: Scope,
  t: repo.TicketRow,
  what: string,
  extra: Record<string, unknown> = {},
  /** The hooks subscribed to the event, read earlier in this transaction (otherwise read here). */
  hooks?: number[],
): Promise<void> {
  const event = EVENTS[what];
  if (!event) return;
  const decision = what === 'approved' || what === 'rejected' ? { decision: what } : {};
  await emitWebhookEvent(scope, event, async () => ({ ticket: await ticketData(scope, t.tenantId, t.id), ...decision, ...extra }), hooks);
}
