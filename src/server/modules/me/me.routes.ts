import { z } from 'zod';
import {
  apiTokenList,
  changePasswordBody,
  createApiTokenBody,
  createdApiToken,
  disableTotpBody,
  enableTotpBody,
  me,
  meUserAnswer,
  sessionList,
  totpSetup,
  updateMeBody,
} from '../../../shared/contracts/me.js';
import { ctxOf, idParam, listQuery, type ModulePlugin, toId } from '../http.js';
import * as service from './me.service.js';

const noContent = { 204: z.null() };

export const meRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'The caller, their company, role, permissions and CSRF token', response: { 200: me } },
    handler: (req) => service.getMe(ctxOf(deps, req)),
  });

  app.patch('/api/v1/me', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['me'],
      summary: 'Edit your profile: name, colour, time zone, theme, list preferences',
      body: updateMeBody,
      response: { 200: meUserAnswer },
    },
    handler: async (req) => ({ user: await service.updateProfile(ctxOf(deps, req), req.body) }),
  });

  app.post('/api/v1/me/password', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Change your password (ends your other sessions)', body: changePasswordBody, response: noContent },
    handler: async (req, reply) => {
      await service.changePassword(ctxOf(deps, req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/v1/me/sessions', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Your open sessions, most recently used first', querystring: listQuery, response: { 200: sessionList } },
    handler: (req) => service.listSessions(ctxOf(deps, req), req.query),
  });

  app.delete('/api/v1/me/sessions/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'End one of your sessions', params: idParam, response: noContent },
    handler: async (req, reply) => {
      await service.endSession(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });

  app.post('/api/v1/me/totp/setup', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Start setting up a second factor (TOTP)', response: { 200: totpSetup } },
    handler: (req) => service.setupTotp(ctxOf(deps, req)),
  });

  app.post('/api/v1/me/totp/enable', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Turn the second factor on with a first code', body: enableTotpBody, response: noContent },
    handler: async (req, reply) => {
      await service.enableTotp(ctxOf(deps, req), req.body.code);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/v1/me/totp/disable', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Turn the second factor off', body: disableTotpBody, response: noContent },
    handler: async (req, reply) => {
      await service.disableTotp(ctxOf(deps, req), req.body.password);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/v1/api-tokens', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Your personal API tokens, newest first', querystring: listQuery, response: { 200: apiTokenList } },
    handler: (req) => service.listApiTokens(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/api-tokens', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['me'],
      summary: 'Create a personal API token (shown once; use as Authorization: Bearer)',
      body: createApiTokenBody,
      response: { 201: createdApiToken },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createApiToken(ctxOf(deps, req), req.body)),
  });

  app.delete('/api/v1/api-tokens/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Revoke a personal API token', params: idParam, response: noContent },
    handler: async (req, reply) => {
      await service.revokeApiToken(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
