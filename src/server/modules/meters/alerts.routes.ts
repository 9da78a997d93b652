// Thresholds and meter alerts over HTTP (API.md "IoT meters").
import { z } from 'zod';
import * as c from '../../../shared/contracts/meter-alerts.js';
import { idParams } from '../../../shared/contracts/meters.js';
import { ctxOf, type ModulePlugin, toId, wrap, wrapped } from '../http.js';
import * as service from './alerts.service.js';

const tags = ['meters'];

export const meterAlertsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/meters/:id/thresholds', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: "A meter's thresholds with their state (needs assets.view or meters.manage)",
      params: idParams,
      response: { 200: c.thresholdList },
    },
    handler: (req) => service.listThresholds(ctxOf(deps, req), toId(req.params.id)),
  });
  app.post('/api/v1/meters/:id/thresholds', {
    config: { access: 'meters.manage' },
    schema: {
      tags,
      summary:
        'Add a threshold: above/below a value for forSeconds raises an alert (and, action work_order, opens one work order) once per excursion',
      params: idParams,
      body: c.thresholdBody,
      response: { 201: wrapped('threshold', c.threshold) },
    },
    handler: async (req, reply) =>
      reply.code(201).send(wrap('threshold', await service.createThreshold(ctxOf(deps, req), toId(req.params.id), req.body))),
  });
  app.delete('/api/v1/thresholds/:id', {
    config: { access: 'meters.manage' },
    schema: {
      tags,
      summary: 'Delete a threshold (its open alert is closed)',
      params: idParams,
      response: { 204: z.null().describe('Deleted') },
    },
    handler: async (req, reply) => {
      await service.deleteThreshold(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.get('/api/v1/meter-alerts', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary:
        'Offline and threshold alerts, newest first (needs assets.view or meters.manage); ?status=open|closed, ?kind, ?meterId, ?deviceId',
      querystring: c.meterAlertQuery,
      response: { 200: c.meterAlertList },
    },
    handler: (req) => service.listAlerts(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/meter-alerts/:id/acknowledge', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary:
        'Acknowledge an alert (someone is on it), with an optional note; needs meters.manage or to be the assignee of its asset. The first acknowledgement stays',
      params: idParams,
      body: c.acknowledgeBody,
      response: { 200: wrapped('alert', c.meterAlert) },
    },
    handler: async (req) => wrap('alert', await service.acknowledgeAlert(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
};
