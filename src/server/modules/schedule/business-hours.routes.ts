import { listQuery } from '../../../shared/contracts/common.js';
import {
  businessHoursAnswer,
  businessHoursBody,
  businessHoursComputeAnswer,
  businessHoursComputeBody,
  businessHoursList,
  businessHoursPatch,
} from '../../../shared/contracts/sla.js';
import { ctxOf, idParam, type ModulePlugin, toId, wrap } from '../http.js';
import * as service from './business-hours.service.js';

export const businessHoursRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/business-hours', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['sla'],
      summary: 'Business-hours calendars of the company, by name',
      querystring: listQuery,
      response: { 200: businessHoursList },
    },
    handler: (req) => service.listBusinessHours(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/business-hours/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['sla'], summary: 'One business-hours calendar', params: idParam, response: { 200: businessHoursAnswer } },
    handler: async (req) => wrap('businessHours', await service.getBusinessHours(ctxOf(deps, req), toId(req.params.id))),
  });

  app.post('/api/v1/business-hours', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['sla'],
      summary: 'Create a calendar: weekly ranges (several a day), holidays, its zone',
      body: businessHoursBody,
      response: { 201: businessHoursAnswer },
    },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('businessHours', await service.createBusinessHours(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/business-hours/:id', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['sla'],
      summary: 'Edit a calendar',
      params: idParam,
      body: businessHoursPatch,
      response: { 200: businessHoursAnswer },
    },
    handler: async (req) => wrap('businessHours', await service.updateBusinessHours(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.delete('/api/v1/business-hours/:id', {
    config: { access: 'settings.manage' },
    schema: { tags: ['sla'], summary: 'Delete a calendar no SLA policy uses (422 business_hours_in_use otherwise)', params: idParam },
    handler: async (req, reply) => {
      await service.deleteBusinessHours(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send();
    },
  });

  app.post('/api/v1/business-hours/:id/compute', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['sla'],
      summary: 'Add N business minutes to an instant (dueAt) and/or count business minutes between two instants',
      params: idParam,
      body: businessHoursComputeBody,
      response: { 200: businessHoursComputeAnswer },
    },
    handler: (req) => service.computeBusinessHours(ctxOf(deps, req), toId(req.params.id), req.body),
  });
};
