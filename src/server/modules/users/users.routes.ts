import { z } from 'zod';
import { createUserBody, onlineUsers, updateUserBody, userAnswer, userListQuery, userPage } from '../../../shared/contracts/users.js';
import { ctxOf, idParam, type ModulePlugin, optionalId, toId, wrap } from '../http.js';
import * as service from './users.service.js';

export const usersRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/users', {
    config: { access: 'users.view' },
    schema: {
      tags: ['users'],
      summary: 'List users (search, status filter, keyset pagination)',
      querystring: userListQuery,
      response: { 200: userPage },
    },
    handler: (req) => service.listUsers(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/users/online', {
    config: { access: 'users.view' },
    schema: {
      tags: ['users'],
      summary: 'Who is online now',
      response: { 200: onlineUsers },
    },
    handler: (req) => service.listOnline(ctxOf(deps, req)),
  });

  app.post('/api/v1/users', {
    config: { access: 'users.manage' },
    schema: {
      tags: ['users'],
      summary: 'Create a user; without a password an invitation is e-mailed',
      body: createUserBody,
      response: { 201: userAnswer },
    },
    handler: async (req, reply) => {
      const b = req.body;
      const user = await service.createUser(ctxOf(deps, req), {
        ...b,
        roleId: toId(b.roleId),
        departmentId: optionalId(b.departmentId),
      });
      return reply.code(201).send(wrap('user', user));
    },
  });

  app.get('/api/v1/users/:id', {
    config: { access: 'users.view' },
    schema: { tags: ['users'], summary: 'One user', params: idParam, response: { 200: userAnswer } },
    handler: async (req) => wrap('user', await service.getUser(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/users/:id', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: 'Edit, deactivate or reactivate a user', params: idParam, body: updateUserBody, response: { 200: userAnswer } },
    handler: async (req) => {
      const b = req.body;
      const user = await service.updateUser(ctxOf(deps, req), toId(req.params.id), {
        ...b,
        roleId: b.roleId === undefined ? undefined : toId(b.roleId),
        departmentId: optionalId(b.departmentId),
      });
      return wrap('user', user);
    },
  });

  app.post('/api/v1/users/:id/invitation', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: 'Send the invitation again', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.resendInvitation(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });

  app.post('/api/v1/users/:id/unlock', {
    config: { access: 'users.manage' },
    schema: {
      tags: ['users'],
      summary: 'End the lockout after failed logins now (see lockedUntil); 204 whether or not one was in force',
      params: idParam,
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      await service.unlockUser(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
