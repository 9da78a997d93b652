import {
  addCommentBody,
  approveBody,
  assignBody,
  changeStatusBody,
  commentAnswer,
  commentList,
  createTicketBody,
  rejectBody,
  ticketAnswer,
  ticketHistory,
  ticketListQuery,
  ticketNumberParam,
  ticketPage,
  updateTicketBody,
} from '../../../shared/contracts/tickets.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf, type ModulePlugin, optionalId } from '../http.js';
import * as comments from './comments.service.js';
import { TICKET_AUDIENCE } from './tickets.events.js';
import { listTickets } from './tickets.list.js';
import { maySeeTicket } from './tickets.policy.js';
import * as service from './tickets.service.js';

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
    schema: { tags: ['tickets'], summary: 'Open a ticket (routed by its category)', body: createTicketBody, response: { 201: ticketAnswer } },
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
      querystring: ticketListQuery,
      response: { 200: ticketPage },
    },
    handler: (req) => {
      const { limit, cursor, ...filters } = req.query;
      return listTickets(ctxOf(deps, req), filters, { limit, cursor });
    },
  });

  app.get('/api/v1/tickets/:number', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'One ticket with what you may do with it (`can`)', params: ticketNumberParam, response: { 200: ticketAnswer } },
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
      params: ticketNumberParam,
      body: updateTicketBody,
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
      params: ticketNumberParam,
      body: changeStatusBody,
      response: { 200: ticketAnswer },
    },
    handler: (req) =>
      service.changeStatus(ctxOf(deps, req), req.params.number, req.body.status, versionFrom(req.headers['if-match'], false), req.body.note),
  });

  // Approve and reject need tickets.approve or tickets.approve_any: the service checks which step is whose.
  app.post('/api/v1/tickets/:number/approve', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Approve the step waiting for you, or any waiting step with tickets.approve_any', params: ticketNumberParam, body: approveBody, response: { 200: ticketAnswer } },
    handler: (req) => service.approveTicket(ctxOf(deps, req), req.params.number, req.body.comment),
  });

  app.post('/api/v1/tickets/:number/reject', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Reject with a reason (required); the requester is told',
      params: ticketNumberParam,
      body: rejectBody,
      response: { 200: ticketAnswer },
    },
    handler: (req) => service.rejectTicket(ctxOf(deps, req), req.params.number, req.body.reason),
  });

  app.post('/api/v1/tickets/:number/assign', {
    config: { access: 'tickets.assign' },
    schema: {
      tags: ['tickets'],
      summary: 'Assign to a technician and/or a team (null clears)',
      params: ticketNumberParam,
      body: assignBody,
      response: { 200: ticketAnswer },
    },
    handler: (req) =>
      service.assignTicket(ctxOf(deps, req), req.params.number, {
        assigneeId: optionalId(req.body.assigneeId),
        teamId: optionalId(req.body.teamId),
      }),
  });

  app.get('/api/v1/tickets/:number/comments', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Replies and (for those allowed) internal notes, oldest first', params: ticketNumberParam, response: { 200: commentList } },
    handler: (req) => comments.listComments(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/comments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Reply or write an internal note; @username mentions notify those who may see the ticket, the others are listed in unnotifiedMentions',
      params: ticketNumberParam,
      body: addCommentBody,
      response: { 201: commentAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(await comments.addComment(ctxOf(deps, req), req.params.number, req.body)),
  });

  app.get('/api/v1/tickets/:number/history', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Field changes and approval decisions, oldest first',
      params: ticketNumberParam,
      response: { 200: ticketHistory },
    },
    handler: (req) => comments.ticketHistoryOf(ctxOf(deps, req), req.params.number),
  });
};

