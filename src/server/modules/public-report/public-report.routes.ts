import type { FastifyRequest } from 'fastify';
import { uploadParts } from '../../platform/multipart.js';
import { publicAsset, publicReportAnswer, publicTokenParam } from '../../../shared/contracts/public-report.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import * as service from './public-report.service.js';

const partsOf = (req: FastifyRequest) => uploadParts(req, 'Send the report as multipart/form-data');

export const publicReportRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/public/assets/:token', {
    config: { access: 'public' },
    schema: {
      tags: ['public'],
      summary: "No login: the name and location of the asset behind a public link (404 for unknown or revoked links)",
      security: [],
      params: publicTokenParam,
      response: { 200: publicAsset },
    },
    handler: (req) => service.publicAsset(ctxOf(deps, req), req.params.token),
  });

  app.post('/api/v1/public/assets/:token/reports', {
    config: { access: 'public' },
    schema: {
      tags: ['public'],
      summary:
        'No login: report a problem (multipart `description`, `name`, `email`?, `photos` 0–5 PNG/JPEG/WebP/GIF). Opens a request in the approval flow; 415/413 for bad photos, 429 when rate limited',
      security: [],
      consumes: ['multipart/form-data'],
      params: publicTokenParam,
      response: { 201: publicReportAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(await service.submitReport(ctxOf(deps, req), req.params.token, () => partsOf(req))),
  });
};
