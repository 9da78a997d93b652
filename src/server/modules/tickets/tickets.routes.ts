import { z } from 'zod';
import { PRIORITIES, SOURCES, TICKET_KINDS, TICKET_STATUSES } from '../../db/schema/index.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf, idString, listQuery, type ModulePlugin, optionalId } from '../http.js';
import * as comments from './comments.service.js';
import { ticketDto, ticketSummaryDto } from './tickets.dto.js';
import { TICKET_AUDIENCE } from './tickets.events.js';
import { listTickets, ticketFilters } from './tickets.list.js';
import { maySeeTicket } from './tickets.policy.js';
import * as service from './tickets.service.js';

export const numberParam = z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000) });
const title = z.string().trim().min(1, 'is required').max(300);
const description = z.string().max(100_000);
const when = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const tags = z.array(z.string().trim().min(1).max(50)).max(30);

const can = z.object({
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
const ticketAnswer = z.object({ ticket: ticketDto, can });

const createBody = z.object({
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
  source: z.enum(SOURCES).optional(),
});

const patchBody = z.object({
  title: title.optional(),
  description: description.optional(),
  kind: z.enum(TICKET_KINDS).optional(),
  priority: z.enum(PRIORITIES).optional(),
  categoryId: idString.nullish(),
  projectId: idString.nullish(),
  dueAt: when.nullish(),
  scheduledStart: when.nullish(),
  scheduledEnd: when.nullish(),
  tags: tags.optional(),
  customFields: z.record(z.string().max(60), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional(),
  assetIds: z.array(idString).max(50).optional(),
  watcherIds: z.array(idString).max(50).optional(),
});

/** `If-Match: 3`, `"3"` or `W/"3"`. */
export function versionFrom(header: string | string[] | undefined, required: boolean): number | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) {
    if (required) throw new AppError('precondition_required', 'Send the If-Match header with the ticket version you edited', { header: 'If-Match' });
    return null;
  }
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m) throw new AppError('validation', 'If-Match must be the ticket version', { fields: { 'If-Match': 'must be a version number' } });
  return Number(m[1]);
}

const ids = (v: string[] | undefined) => v?.map(Number);

export const ticketsRoutes: ModulePlugin = async (app, { deps }) => {
  // Live pushes about a ticket reach the sockets whose caller may see it: the same rule as reads.
  deps.hub.defineAudience(TICKET_AUDIENCE, maySeeTicket);

  app.post('/api/v1/tickets', {
    config: { access: 'tickets.create' },
    schema: { tags: ['tickets'], summary: 'Open a ticket (routed by its category)', body: createBody, response: { 201: ticketAnswer } },
    handler: async (req, reply) => {
      const b = req.body;
      const result = await service.createTicket(ctxOf(deps, req), {
        ...b,
        categoryId: optionalId(b.categoryId),
        projectId: optionalId(b.projectId),
        assigneeId: optionalId(b.assigneeId),
        teamId: optionalId(b.teamId),
        requesterId: optionalId(b.requesterId),
        assetIds: ids(b.assetIds),
        watcherIds: ids(b.watcherIds),
        source: b.source ?? 'web',
      });
      return reply.code(201).header('etag', `"${result.ticket.version}"`).send(result);
    },
  });

  app.get('/api/v1/tickets', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Tickets you may see: filters, full-text search (q), sort, keyset pagination',
      querystring: ticketFilters.extend(listQuery.shape),
      response: { 200: z.object({ items: z.array(ticketSummaryDto), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => {
      const { limit, cursor, ...filters } = req.query;
      return listTickets(ctxOf(deps, req), filters, { limit, cursor });
    },
  });

  app.get('/api/v1/tickets/:number', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'One ticket with what you may do with it (`can`)', params: numberParam, response: { 200: ticketAnswer } },
    handler: async (req, reply) => {
      const result = await service.getTicket(ctxOf(deps, req), req.params.number);
      return reply.header('etag', `"${result.ticket.version}"`).send(result);
    },
  });

  app.patch('/api/v1/tickets/:number', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: 'Edit a ticket; needs If-Match with its version (409 stale_version if it changed)',
      params: numberParam,
      body: patchBody,
      response: { 200: ticketAnswer },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const result = await service.updateTicket(ctxOf(deps, req), req.params.number, versionFrom(req.headers['if-match'], false), {
        ...b,
        categoryId: optionalId(b.categoryId),
        projectId: optionalId(b.projectId),
        assetIds: ids(b.assetIds),
        watcherIds: ids(b.watcherIds),
      });
      return reply.header('etag', `"${result.ticket.version}"`).send(result);
    },
  });

  app.post('/api/v1/tickets/:number/status', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Move a ticket through its lifecycle (422 invalid_transition); If-Match optional',
      params: numberParam,
      body: z.object({ status: z.enum(TICKET_STATUSES), note: z.string().max(5000).optional() }),
      response: { 200: ticketAnswer },
    },
    handler: (req) =>
      service.changeStatus(ctxOf(deps, req), req.params.number, req.body.status, versionFrom(req.headers['if-match'], false), req.body.note),
  });

  // Approve and reject need tickets.approve or tickets.approve_any: the service checks which step is whose.
  app.post('/api/v1/tickets/:number/approve', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Approve the step waiting for you, or any waiting step with tickets.approve_any', params: numberParam, body: z.object({ comment: z.string().max(5000).optional() }).default({}), response: { 200: ticketAnswer } },
    handler: (req) => service.approveTicket(ctxOf(deps, req), req.params.number, req.body.comment),
  });

  app.post('/api/v1/tickets/:number/reject', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Reject with a reason (required); the requester is told',
      params: numberParam,
      body: z.object({ reason: z.string().trim().min(1, 'a reason is required').max(5000) }),
      response: { 200: ticketAnswer },
    },
    handler: (req) => service.rejectTicket(ctxOf(deps, req), req.params.number, req.body.reason),
  });

  app.post('/api/v1/tickets/:number/assign', {
    config: { access: 'tickets.assign' },
    schema: {
      tags: ['tickets'],
      summary: 'Assign to a technician and/or a team (null clears)',
      params: numberParam,
      body: z.object({ assigneeId: idString.nullish(), teamId: idString.nullish() }),
      response: { 200: ticketAnswer },
    },
    handler: (req) =>
      service.assignTicket(ctxOf(deps, req), req.params.number, {
        assigneeId: optionalId(req.body.assigneeId),
        teamId: optionalId(req.body.teamId),
      }),
  });

  const commentDto = z.object({
    id: z.string(),
    body: z.string(),
    internal: z.boolean(),
    author: z.object({ id: z.string().nullable(), name: z.string() }),
    mentionIds: z.array(z.string()),
    createdAt: z.string(),
  });

  app.get('/api/v1/tickets/:number/comments', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Replies and (for those allowed) internal notes, oldest first', params: numberParam, response: { 200: z.object({ items: z.array(commentDto) }) } },
    handler: (req) => comments.listComments(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/comments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Reply or write an internal note; @username mentions notify those who may see the ticket, the others are listed in unnotifiedMentions',
      params: numberParam,
      body: z.object({ body: z.string().trim().min(1, 'is required').max(50_000), internal: z.boolean().default(false) }),
      response: { 201: z.object({ comment: commentDto, unnotifiedMentions: z.array(z.object({ id: z.string(), name: z.string() })) }) },
    },
    handler: async (req, reply) => reply.code(201).send(await comments.addComment(ctxOf(deps, req), req.params.number, req.body)),
  });

  app.get('/api/v1/tickets/:number/history', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Field changes and approval decisions, oldest first',
      params: numberParam,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.string(),
              at: z.string(),
              actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
              event: z.string(),
              field: z.string().nullable(),
              before: z.unknown(),
              after: z.unknown(),
              beforeLabel: z.string().nullable().describe('The name of what `before` refers to (a user, team, asset...); null when not a reference'),
              afterLabel: z.string().nullable(),
            }),
          ),
          approvals: z.array(
            z.object({
              id: z.string(),
              step: z.number(),
              decision: z.enum(['approved', 'rejected', 'skipped']),
              decider: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
              comment: z.string().nullable(),
              at: z.string(),
            }),
          ),
        }),
      },
    },
    handler: (req) => comments.ticketHistoryOf(ctxOf(deps, req), req.params.number),
  });
};

