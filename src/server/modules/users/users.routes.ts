import { z } from 'zod';
import { USER_STATUSES } from '../../db/schema/index.js';
import { ctxOf, email, idParam, idString, listQuery, type ModulePlugin, name, optionalId, toId, username, wrap, wrapped } from '../http.js';
import { userDto } from './users.dto.js';
import * as service from './users.service.js';

const createBody = z.object({
  name,
  email,
  username: username.nullish(),
  password: z.string().min(10, 'must be at least 10 characters').max(200).nullish(),
  roleId: idString,
  departmentId: idString.nullish(),
});

const updateBody = z.object({
  name: name.optional(),
  email: email.optional(),
  username: username.nullish(),
  roleId: idString.optional(),
  departmentId: idString.nullish(),
  active: z.boolean().optional(),
});

export const usersRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/users', {
    config: { access: 'users.view' },
    schema: {
      tags: ['users'],
      summary: 'List users (search, status filter, keyset pagination)',
      querystring: listQuery.extend({ q: z.string().trim().max(200).optional(), status: z.enum(USER_STATUSES).optional() }),
      response: { 200: z.object({ items: z.array(userDto), nextCursor: z.string().nullable() }) },
    },
    handler: (req) => service.listUsers(ctxOf(deps, req), req.query),
  });

  app.get('/api/v1/users/online', {
    config: { access: 'users.view' },
    schema: {
      tags: ['users'],
      summary: 'Who is online now',
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), color: z.string() })) }) },
    },
    handler: (req) => service.listOnline(ctxOf(deps, req)),
  });

  app.post('/api/v1/users', {
    config: { access: 'users.manage' },
    schema: {
      tags: ['users'],
      summary: 'Create a user; without a password an invitation is e-mailed',
      body: createBody,
      response: { 201: wrapped('user', userDto) },
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
    schema: { tags: ['users'], summary: 'One user', params: idParam, response: { 200: wrapped('user', userDto) } },
    handler: async (req) => wrap('user', await service.getUser(ctxOf(deps, req), toId(req.params.id))),
  });

  app.patch('/api/v1/users/:id', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: 'Edit, deactivate or reactivate a user', params: idParam, body: updateBody, response: { 200: wrapped('user', userDto) } },
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
