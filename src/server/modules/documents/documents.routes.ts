import { z } from 'zod';
import { documentAnswer, documentList, documentListQuery, updateDocumentBody } from '../../../shared/contracts/documents.js';
import { ctxOf, idParam, type ModulePlugin, partsOf, sendStoredFile, toId, wrap } from '../http.js';
import * as service from './documents.service.js';

export const documentsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/documents', {
    config: { access: 'documents.view' },
    schema: {
      tags: ['documents'],
      summary: 'Documents, newest first (keyset pages); `q` searches title and file name; filters categoryId, assetId, ticketNumber',
      querystring: documentListQuery,
      response: { 200: documentList },
    },
    handler: (req) => service.listDocuments(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/documents', {
    config: { access: 'documents.manage' },
    schema: {
      tags: ['documents'],
      summary:
        'Add a document: JSON {title, categoryId?, url, assetIds?, ticketNumbers?} for a link, or multipart `file` with those fields (title defaults to the file name) for a file; typed from its bytes, active content 415, too large 413',
      consumes: ['application/json', 'multipart/form-data'],
      response: { 201: documentAnswer },
    },
    handler: async (req, reply) => {
      const source = req.isMultipart() ? { parts: () => partsOf(req) } : { json: req.body };
      return reply.code(201).send(wrap('document', await service.createDocument(ctxOf(deps, req), source)));
    },
  });

  app.get('/api/v1/documents/:id', {
    config: { access: 'documents.view' },
    schema: {
      tags: ['documents'],
      summary: 'One document with its links (tickets only those the caller may read)',
      params: idParam,
      response: { 200: documentAnswer },
    },
    handler: async (req) => wrap('document', await service.getDocument(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/documents/:id', {
    config: { access: 'documents.manage' },
    schema: {
      tags: ['documents'],
      summary:
        'Change title, category, URL (link documents) or the linked assets and tickets (lists replace; links to tickets the caller cannot read stay)',
      params: idParam,
      body: updateDocumentBody,
      response: { 200: documentAnswer },
    },
    handler: async (req) => wrap('document', await service.updateDocument(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.delete('/api/v1/documents/:id', {
    config: { access: 'documents.manage' },
    schema: { tags: ['documents'], summary: 'Delete a document (and its file)', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteDocument(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });

  app.get('/api/v1/documents/:id/file', {
    config: { access: 'documents.view' },
    schema: {
      tags: ['documents'],
      summary: 'Download a file document (streamed; inline only for images and PDF, never sniffed)',
      params: idParam,
    },
    handler: async (req, reply) => sendStoredFile(reply, await service.openDocumentFile(ctxOf(deps, req), toId(req.params.id))),
  });
};
