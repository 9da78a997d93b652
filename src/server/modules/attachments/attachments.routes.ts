import { z } from 'zod';
import { attachmentAnswer, attachmentList } from '../../../shared/contracts/attachments.js';
import { ticketNumberParam } from '../../../shared/contracts/tickets.js';
import { contentDisposition, ctxOf, idParam, listQuery, type ModulePlugin, partsOf, toId } from '../http.js';
import * as service from './attachments.service.js';

export const attachmentsRoutes: ModulePlugin = async (app, { deps }) => {
  app.post('/api/v1/tickets/:number/attachments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Attach a file (multipart field `file`, optional `commentId`); type sniffed from the bytes, HTML/SVG/scripts refused (415), too large 413',
      consumes: ['multipart/form-data'],
      params: ticketNumberParam,
      response: { 201: attachmentAnswer },
    },
    handler: async (req, reply) =>
      reply.code(201).send({ attachment: await service.uploadAttachment(ctxOf(deps, req), req.params.number, () => partsOf(req)) }),
  });

  app.get('/api/v1/tickets/:number/attachments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: "A ticket's files, oldest first, in keyset pages (files on internal notes only for those who may read them)",
      params: ticketNumberParam,
      querystring: listQuery,
      response: { 200: attachmentList },
    },
    handler: (req) => service.listAttachments(ctxOf(deps, req), req.params.number, req.query),
  });

  app.get('/api/v1/attachments/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Download a file, only for those who may see its ticket', params: idParam },
    handler: async (req, reply) => {
      const file = await service.openAttachment(ctxOf(deps, req), toId(req.params.id));
      const type = file.contentType.startsWith('text/') ? `${file.contentType}; charset=utf-8` : file.contentType;
      return reply
        .header('content-type', type)
        .header('content-length', String(file.size))
        .header('content-disposition', contentDisposition(file.name, file.contentType))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-cache')
        .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
        .send(file.stream);
    },
  });

  app.delete('/api/v1/attachments/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Remove a file (its uploader, or someone who may edit the ticket)', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteAttachment(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
