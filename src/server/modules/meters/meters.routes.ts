// Devices, meters and readings over HTTP (API.md "IoT meters").
import { Readable } from 'node:stream';
import { z } from 'zod';
import * as c from '../../../shared/contracts/meters.js';
import { ctxOf, type ModulePlugin, toId, wrap, wrapped } from '../http.js';
import * as service from './meters.service.js';

const tags = ['meters'];
const access = 'meters.manage' as const;

export const metersRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/devices', {
    config: { access },
    schema: { tags, summary: 'Devices by name (?q= searches the name)', querystring: c.deviceListQuery, response: { 200: c.deviceList } },
    handler: (req) => service.listDevices(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/devices', {
    config: { access },
    schema: {
      tags,
      summary: 'Add a device: it gets a key (its MQTT username) and a password, shown this once',
      body: c.deviceBody,
      response: { 201: c.deviceWithCredentials },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createDevice(ctxOf(deps, req), req.body)),
  });
  app.get('/api/v1/devices/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'One device with its last-seen time and online state',
      params: c.idParams,
      response: { 200: wrapped('device', c.device) },
    },
    handler: async (req) => wrap('device', await service.getDevice(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/devices/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Rename a device, move it to an asset, change when it counts as offline',
      params: c.idParams,
      body: c.devicePatch,
      response: { 200: wrapped('device', c.device) },
    },
    handler: async (req) => wrap('device', await service.updateDevice(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.delete('/api/v1/devices/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Delete a device with its meters and readings; a connected client is dropped',
      params: c.idParams,
      response: { 204: z.null().describe('Deleted') },
    },
    handler: async (req, reply) => {
      await service.deleteDevice(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.post('/api/v1/devices/:id/credentials', {
    config: { access },
    schema: {
      tags,
      summary: 'Rotate the password (shown this once); the old one stops working and a connected client is dropped',
      params: c.idParams,
      response: { 200: c.deviceWithCredentials },
    },
    handler: (req) => service.rotateCredentials(ctxOf(deps, req), toId(req.params.id)),
  });

  app.get('/api/v1/meters', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Meters (needs assets.view or meters.manage); ?deviceId= or ?assetId= filter',
      querystring: c.meterListQuery,
      response: { 200: c.meterList },
    },
    handler: (req) => service.listMeters(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/meters', {
    config: { access },
    schema: {
      tags,
      summary: 'Add a meter to a device: it publishes to steward/<deviceKey>/<key>',
      body: c.meterBody,
      response: { 201: wrapped('meter', c.meter) },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('meter', await service.createMeter(ctxOf(deps, req), req.body))),
  });
  app.get('/api/v1/meters/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'One meter with its last value (needs assets.view or meters.manage)',
      params: c.idParams,
      response: { 200: wrapped('meter', c.meter) },
    },
    handler: async (req) => wrap('meter', await service.getMeter(ctxOf(deps, req), toId(req.params.id))),
  });
  app.patch('/api/v1/meters/:id', {
    config: { access },
    schema: { tags, summary: 'Edit a meter', params: c.idParams, body: c.meterPatch, response: { 200: wrapped('meter', c.meter) } },
    handler: async (req) => wrap('meter', await service.updateMeter(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.delete('/api/v1/meters/:id', {
    config: { access },
    schema: { tags, summary: 'Delete a meter with its readings', params: c.idParams, response: { 204: z.null().describe('Deleted') } },
    handler: async (req, reply) => {
      await service.deleteMeter(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.get('/api/v1/meters/:id/readings', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary:
        'Readings in [from, to) (default the last 24 h): raw, or 1m/1h/1d rollups (by default chosen by the range); &format=csv gives the whole range',
      description:
        'Without `bucket`: up to 1 day raw, up to 7 days minutes, up to 90 days hours, else days (UTC buckets). Raw pages are keyset by ts (`limit` up to 10,000).',
      params: c.idParams,
      querystring: c.readingsQuery,
      response: { 200: c.readingsAnswer },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const id = toId(req.params.id);
      if (req.query.format !== 'csv') return service.readings(ctx, id, req.query);
      const name = await service.meterFileName(ctx, id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(service.readingsCsv(ctx, id, req.query), { objectMode: false }) as never);
    },
  });
};
