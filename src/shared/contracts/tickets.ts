// Ticket routes: the ticket, its list filters, lifecycle bodies, comments and history.
import { z } from 'zod';
import { idString, listQuery, page, ref } from './common.js';
import { ticketSla } from './sla.js';
import { commentEmail } from './mail.js';
import { APPROVAL_DECISIONS, PRIORITIES, TICKET_KINDS, TICKET_SORTS, TICKET_SOURCES, TICKET_STATUSES, TICKET_TITLE_MAX } from './enums.js';

export const ticketNumberParam = z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000) });
const title = z.string().trim().min(1, 'is required').max(TICKET_TITLE_MAX, `is longer than ${TICKET_TITLE_MAX} characters`);
const description = z.string().max(100_000);
const when = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const tags = z.array(z.string().trim().min(1).max(50)).max(30);

export const ticketSummary = z.object({
  id: z.string(),
  number: z.number(),
  kind: z.enum(TICKET_KINDS),
  title: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.enum(PRIORITIES),
  category: ref.nullable(),
  requester: ref.nullable(),
  contact: z.object({ id: z.string().nullable().optional(), name: z.string(), email: z.string().nullable().optional() }).nullable(),
  assignee: z.object({ id: z.string(), name: z.string(), color: z.string() }).nullable(),
  team: ref.nullable(),
  department: ref.nullable(),
  project: ref.nullable(),
  dueAt: z.string().nullable(),
  source: z.enum(TICKET_SOURCES),
  tags: z.array(z.string()),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  archived: z.boolean(),
  /** The SLA clock (list pages carry it for the due column); null when no policy applies. */
  sla: ticketSla.nullable().optional(),
});
export type TicketSummary = z.infer<typeof ticketSummary>;

export const ticket = ticketSummary.extend({
  description: z.string(),
  /** The description's Markdown rendered and sanitised by the server; @mentions link to the person. */
  descriptionHtml: z.string(),
  createdBy: ref.nullable(),
  locationId: z.string().nullable(),
  scheduledStart: z.string().nullable(),
  scheduledEnd: z.string().nullable(),
  costCode: z.string().nullable().describe('The cost code labour and parts on this ticket are charged to'),
  failure: z.boolean().describe('A breakdown: counts as a failure of its assets in the reliability report'),
  downtimeStartedAt: z.string().nullable().describe('When the failed assets went down'),
  downtimeEndedAt: z.string().nullable().describe('When they were back in service (null while still down)'),
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
  sla: ticketSla.nullable(),
  /** E-mail channel: tickets linked to this one (a reply after the reopen period opened a new one). */
  relatedTickets: z.array(z.object({ number: z.number(), title: z.string(), status: z.enum(TICKET_STATUSES) })).optional(),
  /** E-mail channel: the message a ticket was made from (from, to, cc, Message-ID, the raw original). */
  email: commentEmail.nullable().optional(),
});
export type Ticket = z.infer<typeof ticket>;

/** What the caller may do with one ticket, computed by the server's policy. */
export const ticketCan = z.object({
  update: z.boolean(),
  changeStatus: z.boolean(),
  transitions: z.array(z.enum(TICKET_STATUSES)),
  approve: z.boolean(),
  reject: z.boolean(),
  assign: z.boolean(),
  comment: z.boolean(),
  internalNotes: z.boolean(),
  attach: z.boolean(),
  manageTasks: z.boolean(),
  logTime: z.boolean(),
  delete: z.boolean(),
});
export type TicketCan = z.infer<typeof ticketCan>;
export const ticketAnswer = z.object({ ticket, can: ticketCan });
export type TicketAnswer = z.infer<typeof ticketAnswer>;

/** A list filter that takes `a,b` or repeated parameters. */
export const csvOf = <T extends z.ZodType<string, string>>(item: T, max = 50) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(max));

export const ticketFilters = z.object({
  status: csvOf(z.enum(TICKET_STATUSES)).optional(),
  kind: csvOf(z.enum(TICKET_KINDS)).optional(),
  priority: csvOf(z.enum(PRIORITIES)).optional(),
  assigneeId: z.union([idString, z.literal('me'), z.literal('none')]).optional(),
  requesterId: z.union([idString, z.literal('me')]).optional(),
  categoryId: idString.optional(),
  teamId: idString.optional(),
  projectId: idString.optional(),
  departmentId: idString.optional(),
  assetId: idString.optional(),
  q: z.string().trim().max(200).optional(),
  archived: z.enum(['true', 'false', 'only']).optional(),
  /** `true`: only tickets past their due date that are not resolved, closed or rejected. */
  overdue: z.enum(['true', 'false']).optional(),
  /** `true`: only tickets that breached an SLA target; `false`: only those that did not. */
  slaBreached: z.enum(['true', 'false']).optional(),
  /** `true`: only tickets inside an SLA warning window, not yet due. */
  slaAtRisk: z.enum(['true', 'false']).optional(),
  sort: z.enum(TICKET_SORTS).default('newest'),
});
export type TicketFilters = z.infer<typeof ticketFilters>;
export const ticketListQuery = ticketFilters.extend(listQuery.shape);
export const ticketPage = page(ticketSummary);

export const createTicketBody = z.object({
  kind: z.enum(TICKET_KINDS),
  title,
  description: description.default(''),
  categoryId: idString.nullish(),
  priority: z.enum(PRIORITIES).default('medium'),
  assetIds: z.array(idString).max(50).optional(),
  projectId: idString.nullish(),
  dueAt: when.nullish(),
  assigneeId: idString.nullish(),
  teamId: idString.nullish(),
  requesterId: idString.nullish(),
  watcherIds: z.array(idString).max(50).optional(),
  tags: tags.optional(),
  source: z.enum(TICKET_SOURCES).optional(),
});
export type CreateTicketInput = z.input<typeof createTicketBody>;

export const updateTicketBody = z.object({
  title: title.optional(),
  description: description.optional(),
  kind: z.enum(TICKET_KINDS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  categoryId: idString.nullish(),
  projectId: idString.nullish(),
  dueAt: when.nullish(),
  scheduledStart: when.nullish(),
  scheduledEnd: when.nullish(),
  costCode: z.string().trim().max(60).nullish(),
  failure: z.boolean().optional(),
  downtimeStartedAt: when.nullish(),
  downtimeEndedAt: when.nullish(),
  tags: tags.optional(),
  customFields: z.record(z.string().max(60), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
  assetIds: z.array(idString).max(50).optional(),
  watcherIds: z.array(idString).max(50).optional(),
});
export type UpdateTicketInput = z.input<typeof updateTicketBody>;

export const changeStatusBody = z.object({ status: z.enum(TICKET_STATUSES), note: z.string().max(5000).optional() });
export const approveBody = z.object({ comment: z.string().max(5000).optional() }).default({});
export const rejectBody = z.object({ reason: z.string().trim().min(1, 'a reason is required').max(5000) });
export const assignBody = z.object({ assigneeId: idString.nullish(), teamId: idString.nullish() });

const person = z.object({ id: z.string().nullable(), name: z.string() });
export const comment = z.object({
  id: z.string(),
  body: z.string(),
  /** The body's Markdown rendered and sanitised by the server; @mentions link to the person. */
  bodyHtml: z.string(),
  internal: z.boolean(),
  author: person,
  mentionIds: z.array(z.string()),
  createdAt: z.string(),
  /** A comment that came by e-mail (API.md "E-mail channel"). */
  email: commentEmail.optional(),
});
export type Comment = z.infer<typeof comment>;
export const commentList = page(comment);
export const addCommentBody = z.object({ body: z.string().trim().min(1, 'is required').max(50_000), internal: z.boolean().default(false) });
/** `unnotifiedMentions`: people the comment @mentions who may not see it, so were not told. */
export const commentAnswer = z.object({ comment, unnotifiedMentions: z.array(z.object({ id: z.string(), name: z.string() })) });
export type CommentAnswer = z.infer<typeof commentAnswer>;

export const historyEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: person.nullable(),
  event: z.string(),
  field: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  beforeLabel: z.string().nullable().describe('The name of what `before` refers to (a user, team, asset...); null when not a reference'),
  afterLabel: z.string().nullable(),
});
export type HistoryEntry = z.infer<typeof historyEntry>;
export const approvalDecision = z.object({
  id: z.string(),
  step: z.number(),
  decision: z.enum(APPROVAL_DECISIONS),
  decider: person.nullable(),
  comment: z.string().nullable(),
  at: z.string(),
});
export type ApprovalDecision = z.infer<typeof approvalDecision>;
export const ticketHistory = page(historyEntry).extend({ approvals: z.array(approvalDecision) });
export type TicketHistory = z.infer<typeof ticketHistory>;

// GET /api/v1/tickets/export.csv and /export.xlsx: the list's filters in, a file out.
export const ticketExportQuery = ticketFilters;
export type TicketExportQuery = z.input<typeof ticketExportQuery>;
export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const ticketExportCsv = z.string().describe('text/csv; cells starting with = + - @ are prefixed with an apostrophe');
export const ticketExportXlsx = z.string().describe(XLSX_CONTENT_TYPE);
