import { z } from 'zod';
import { SESSION_COOKIE } from '../../platform/auth.js';
import {
  acceptInvitationBody,
  forgotPasswordBody,
  invitation,
  invitationParams,
  loginAnswer,
  loginBody,
  resetPasswordBody,
} from '../../../shared/contracts/auth.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import * as service from './auth.service.js';

export const authRoutes: ModulePlugin = async (app, { deps }) => {
  const secure = deps.config.publicUrl.startsWith('https://');

  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Log in by e-mail or username; sets the session cookie',
      body: loginBody,
      response: {
        200: loginAnswer,
      },
    },
    handler: async (req, reply) => {
      const result = await service.login(ctxOf(deps, req), req.body);
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure,
        // Without "remember me" the cookie ends with the browser; the server expires it too.
        expires: result.remember ? result.expiresAt : undefined,
      });
      return { user: result.user, csrfToken: result.csrfToken };
    },
  });

  app.post('/api/v1/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.logout(deps, req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  });

  app.post('/api/v1/auth/password-reset', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'E-mail a single-use reset link (answers the same for unknown addresses)', body: forgotPasswordBody, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.requestPasswordReset(ctxOf(deps, req), req.body.email);
      return reply.code(204).send(null);
    },
  });

  app.post('/api/v1/auth/password-reset/complete', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Set a new password with a reset link', body: resetPasswordBody, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.completePasswordReset(ctxOf(deps, req), req.body.token, req.body.password);
      return reply.code(204).send(null);
    },
  });

  app.get('/api/v1/auth/invitations/:token', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'What an invitation link is for',
      params: invitationParams,
      response: { 200: invitation },
    },
    handler: (req) => service.describeInvitation(deps, req.params.token),
  });

  app.post('/api/v1/auth/invitations/accept', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Accept an invitation by choosing a password',
      body: acceptInvitationBody,
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      await service.acceptInvitation(ctxOf(deps, req), req.body);
      return reply.code(204).send(null);
    },
  });
};
