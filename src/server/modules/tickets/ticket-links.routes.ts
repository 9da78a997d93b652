import {
  linkAssetBody,
  ticketApproval,
  ticketAssetList,
  ticketAssetParams,
  ticketPeoplePage,
  ticketPeopleQuery,
} from '../../../shared/contracts/tickets-links.js';
import { ticketNumberParam } from '../../../shared/contracts/tickets.js';
import { ctxOf, type ModulePlugin, toId } from '../http.js';
import * as service from './ticket-links.service.js';

export const ticketLinksRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/tickets/:number/assets', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'The assets linked to a ticket, with tag, name and location', params: ticketNumberParam, response: { 200: ticketAssetList } },
    handler: (req) => service.listTicketAssets(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/assets', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: 'Link an asset to a ticket (kept in its history); answers the linked assets',
      params: ticketNumberParam,
      body: linkAssetBody,
      response: { 200: ticketAssetList },
    },
    handler: (req) => service.linkTicketAsset(ctxOf(deps, req), req.params.number, toId(req.body.assetId)),
  });

  app.delete('/api/v1/tickets/:number/assets/:id', {
    config: { access: 'tickets.update' },
    schema: { tags: ['tickets'], summary: 'Unlink an asset from a ticket; answers the linked assets', params: ticketAssetParams, response: { 200: ticketAssetList } },
    handler: (req) => service.unlinkTicketAsset(ctxOf(deps, req), req.params.number, toId(req.params.id)),
  });

  app.get('/api/v1/tickets/:number/approval', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: "A ticket's approval chain: each step with who decides it (role, person or department head by name), the step waiting, the rejection",
      params: ticketNumberParam,
      response: { 200: ticketApproval },
    },
    handler: (req) => service.ticketApproval(ctxOf(deps, req), req.params.number),
  });

  app.get('/api/v1/tickets/assignees', {
    config: { access: 'tickets.assign' },
    schema: {
      tags: ['tickets'],
      summary: 'Active people who may work tickets (their role holds tickets.update), by name; q searches name, e-mail, username',
      querystring: ticketPeopleQuery,
      response: { 200: ticketPeoplePage },
    },
    handler: (req) => service.ticketPeople(ctxOf(deps, req), 'assignees', req.query),
  });

  app.get('/api/v1/tickets/requesters', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: 'Active people a ticket may be opened for (on their behalf), by name; q searches name, e-mail, username',
      querystring: ticketPeopleQuery,
      response: { 200: ticketPeoplePage },
    },
    handler: (req) => service.ticketPeople(ctxOf(deps, req), 'requesters', req.query),
  });
};

