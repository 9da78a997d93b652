// Ticket routes around the ticket itself: its linked assets, the approval chain with names, and the
// people the ticket forms offer (who may work tickets, on whose behalf a ticket may be opened).
import { z } from 'zod';
import { idString, listQuery, page } from './common.js';

/** An asset linked to a ticket, with what the ticket page shows of it. */
export const ticketAsset = z.object({
  id: z.string(),
  tag: z.string(),
  name: z.string(),
  serial: z.string().nullable(),
  status: z.string(),
  location: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** The location with its parents, "Site / Building / Room"; null without a location. */
  locationPath: z.string().nullable(),
});
export type TicketAsset = z.infer<typeof ticketAsset>;
export const ticketAssetList = z.object({ items: z.array(ticketAsset) });
export type TicketAssetList = z.infer<typeof ticketAssetList>;
export const linkAssetBody = z.object({ assetId: idString });
export const ticketAssetParams = z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000), id: idString });

const person = z.object({ id: z.string().nullable(), name: z.string() });

export const APPROVAL_STEP_STATES = ['approved', 'rejected', 'skipped', 'waiting', 'ahead'] as const;
export type ApprovalStepState = (typeof APPROVAL_STEP_STATES)[number];

/** One step of a ticket's approval chain and where it stands. */
export const approvalStepView = z.object({
  step: z.number(),
  type: z.enum(['role', 'user', 'department_head']),
  /** Who decides it: the role's name, the named person, or the department head by name (null: no head). */
  approver: z.string().nullable(),
  state: z.enum(APPROVAL_STEP_STATES),
  decider: person.nullable(),
  comment: z.string().nullable(),
  at: z.string().nullable(),
});
export type ApprovalStepView = z.infer<typeof approvalStepView>;
export const ticketApproval = z.object({
  steps: z.array(approvalStepView),
  /** The step now waiting (index into steps), null when none waits. */
  current: z.number().nullable(),
  rejection: z.object({ reason: z.string(), by: person.nullable(), at: z.string() }).nullable(),
});
export type TicketApproval = z.infer<typeof ticketApproval>;

/** A person the ticket forms offer. */
export const ticketPerson = z.object({ id: z.string(), name: z.string(), color: z.string(), email: z.string() });
export type TicketPerson = z.infer<typeof ticketPerson>;
export const ticketPeopleQuery = listQuery.extend({ q: z.string().trim().max(100).optional() });
export const ticketPeoplePage = page(ticketPerson);
