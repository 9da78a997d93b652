// Preventive maintenance plans over HTTP (API.md "Recurring tickets and preventive maintenance"):
// plans per asset, one plan, the due lists, the generated work orders and "generate now".
import { z } from 'zod';
import * as c from '../../../shared/contracts/maintenance.js';
import { listQuery } from '../../../shared/contracts/common.js';
import { ctxOf, type ModulePlugin, toId, wrap, wrapped } from '../http.js';
import * as service from './maintenance.service.js';

const tags = ['maintenance plans'];
const access = 'maintenance.manage' as const;

export const maintenanceRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/assets/:id/maintenance-plans', {
    config: { access },
    schema: {
      tags,
      summary: "An asset's maintenance plans with their next due dates",
      params: c.assetParams,
      querystring: listQuery,
      response: { 200: c.planList },
    },
    handler: (req) => service.listAssetPlans(ctxOf(deps, req), toId(req.params.id), req.query),
  });
  app.post('/api/v1/assets/:id/maintenance-plans', {
    config: { access },
    schema: {
      tags,
      summary:
        'Add a plan: every N days/weeks/months from the schedule or from completion, leadDays ahead; meter and threshold triggers are stored (they fire with the meters issue)',
      params: c.assetParams,
      body: c.planBody,
      response: { 201: wrapped('plan', c.plan) },
    },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('plan', await service.createPlan(ctxOf(deps, req), toId(req.params.id), req.body))),
  });
  app.get('/api/v1/maintenance-plans', {
    config: { access },
    schema: {
      tags,
      summary: 'Active plans soonest due first; ?due=week (next 7 days and overdue) or ?due=overdue',
      querystring: c.planListQuery,
      response: { 200: c.planList },
    },
    handler: (req) => service.listPlans(ctxOf(deps, req), req.query),
  });
  app.get('/api/v1/maintenance-plans/:id', {
    config: { access },
    schema: { tags, summary: 'One plan', params: c.idParams, response: { 200: wrapped('plan', c.plan) } },
    handler: async (req) => wrap('plan', await service.getPlan(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/maintenance-plans/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Edit, pause or resume a plan; a new trigger re-plans from today',
      params: c.idParams,
      body: c.planPatch,
      response: { 200: wrapped('plan', c.plan) },
    },
    handler: async (req) => wrap('plan', await service.updatePlan(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.delete('/api/v1/maintenance-plans/:id', {
    config: { access },
    schema: { tags, summary: 'Delete a plan (its work orders stay)', params: c.idParams, response: { 204: z.null().describe('Deleted') } },
    handler: async (req, reply) => {
      await service.deletePlan(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.get('/api/v1/maintenance-plans/:id/work-orders', {
    config: { access },
    schema: {
      tags,
      summary: 'The work orders the plan generated, newest first',
      params: c.idParams,
      querystring: listQuery,
      response: { 200: c.workOrderList },
    },
    handler: (req) => service.listWorkOrders(ctxOf(deps, req), toId(req.params.id), req.query),
  });
  app.post('/api/v1/maintenance-plans/:id/generate', {
    config: { access },
    schema: {
      tags,
      summary:
        "Open the plan's work order now (for its next due date); the next due date follows the plan's mode. 409 while a completion-mode work order is open",
      params: c.idParams,
      response: { 201: c.generatedAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(await service.generateWorkOrder(ctxOf(deps, req), toId(req.params.id))),
  });
};
