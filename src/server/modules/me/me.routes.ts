import { z } from 'zod';
import { color, ctxOf, idParam, type ModulePlugin, name, password, theme, timezone, toId } from '../http.js';
import * as service from './me.service.js';

const meUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  username: z.string().nullable(),
  timezone: z.string(),
  theme: z.string(),
  color: z.string(),
  preferences: z.record(z.string(), z.unknown()),
  totpEnabled: z.boolean(),
});

const meAnswer = z.object({
  user: meUser,
  company: z.object({ id: z.string(), name: z.string(), slug: z.string() }).nullable(),
  role: z.object({ id: z.string(), name: z.string(), level: z.number() }).nullable(),
  permissions: z.array(z.string()),
  superAdmin: z.boolean(),
  csrfToken: z.string(),
});

const preferences = z
  .object({
    density: z.enum(['comfortable', 'compact']).optional(),
    pageSize: z.number().int().min(10).max(200).optional(),
    defaultView: z.string().max(100).optional(),
    columns: z.record(z.string().max(60), z.array(z.string().max(60)).max(40)).optional(),
  })
  .strict();

const noContent = { 204: z.null() };

export const meRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/me', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'The caller, their company, role, permissions and CSRF token', response: { 200: meAnswer } },
    handler: (req) => service.getMe(ctxOf(deps, req)),
  });

  app.patch('/api/v1/me', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['me'],
      summary: 'Edit your profile: name, colour, time zone, theme, list preferences',
      body: z.object({ name: name.optional(), color: color.optional(), timezone: timezone.optional(), theme: theme.optional(), preferences: preferences.optional() }),
      response: { 200: z.object({ user: meUser }) },
    },
    handler: async (req) => ({ user: await service.updateProfile(ctxOf(deps, req), req.body) }),
  });

  app.post('/api/v1/me/password', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Change your password (ends your other sessions)', body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: password }), response: noContent },
    handler: async (req, reply) => {
      await service.changePassword(ctxOf(deps, req), req.body.currentPassword, req.body.newPassword);
      return reply.code(204).send(null);
    },
  });

  const sessionDto = z.object({
    id: z.string(),
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  });

  app.get('/api/v1/me/sessions', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Your open sessions', response: { 200: z.object({ items: z.array(sessionDto) }) } },
    handler: (req) => service.listSessions(ctxOf(deps, req)),
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
    schema: { tags: ['me'], summary: 'Start setting up a second factor (TOTP)', response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() }) } },
    handler: (req) => service.setupTotp(ctxOf(deps, req)),
  });

  app.post('/api/v1/me/totp/enable', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Turn the second factor on with a first code', body: z.object({ code: z.string().trim().regex(/^\d{6}$/, 'six digits') }), response: noContent },
    handler: async (req, reply) => {
      await service.enableTotp(ctxOf(deps, req), req.body.code);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/v1/me/totp/disable', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Turn the second factor off', body: z.object({ password: z.string().min(1).max(200) }), response: noContent },
    handler: async (req, reply) => {
      await service.disableTotp(ctxOf(deps, req), req.body.password);
      return reply.code(204).send(null);
    },
  });

  const tokenDto = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), expiresAt: z.string().nullable(), lastUsedAt: z.string().nullable() });

  app.get('/api/v1/api-tokens', {
    config: { access: 'authenticated' },
    schema: { tags: ['me'], summary: 'Your personal API tokens', response: { 200: z.object({ items: z.array(tokenDto) }) } },
    handler: (req) => service.listApiTokens(ctxOf(deps, req)),
  });

  app.post('/api/v1/api-tokens', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['me'],
      summary: 'Create a personal API token (shown once; use as Authorization: Bearer)',
      body: z.object({ name, expiresInDays: z.number().int().min(1).max(3650).optional() }),
      response: { 201: z.object({ id: z.string(), token: z.string() }) },
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
