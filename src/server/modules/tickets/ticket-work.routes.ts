import { z } from 'zod';
import {
  addTaskBody,
  applyProcessParams,
  createProcessBody,
  loggedTime,
  logTimeBody,
  processAnswer,
  processList,
  taskAnswer,
  taskList,
  timeEntryList,
  updateProcessBody,
  updateTaskBody,
} from '../../../shared/contracts/ticket-work.js';
import { ticketNumberParam } from '../../../shared/contracts/tickets.js';
import { ctxOf, idParam, listQuery, type ModulePlugin, toId, wrap } from '../http.js';
import * as tasks from './tasks.service.js';
import * as time from './time.service.js';

export const ticketWorkRoutes: ModulePlugin = async (app, { deps }) => {
  // Tasks (the checklist of a ticket).
  app.get('/api/v1/tickets/:number/tasks', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: "A ticket's checklist, in order (keyset pages), with how many tasks it has and how many are done",
      params: ticketNumberParam,
      querystring: listQuery,
      response: { 200: taskList },
    },
    handler: (req) => tasks.listTasks(ctxOf(deps, req), req.params.number, req.query),
  });

  app.post('/api/v1/tickets/:number/tasks', {
    config: { access: 'tickets.update' },
    schema: { tags: ['tickets'], summary: 'Add a task at the end of the checklist', params: ticketNumberParam, body: addTaskBody, response: { 201: taskAnswer } },
    handler: async (req, reply) => reply.code(201).send(wrap('task', await tasks.addTask(ctxOf(deps, req), req.params.number, req.body.title))),
  });

  app.patch('/api/v1/tasks/:id', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: 'Rename, tick off or move a task',
      params: idParam,
      body: updateTaskBody,
      response: { 200: taskAnswer },
    },
    handler: async (req) => wrap('task', await tasks.updateTask(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.delete('/api/v1/tasks/:id', {
    config: { access: 'tickets.update' },
    schema: { tags: ['tickets'], summary: 'Remove a task', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await tasks.deleteTask(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });

  // Processes (reusable checklists).
  app.get('/api/v1/processes', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Reusable checklists to apply to tickets, by name', querystring: listQuery, response: { 200: processList } },
    handler: (req) => tasks.listProcesses(ctxOf(deps, req), req.query),
  });

  app.post('/api/v1/processes', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Create a process: a name and its tasks', body: createProcessBody, response: { 201: processAnswer } },
    handler: async (req, reply) => reply.code(201).send(wrap('process', await tasks.createProcess(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/processes/:id', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Rename a process or change its tasks', params: idParam, body: updateProcessBody, response: { 200: processAnswer } },
    handler: async (req) => wrap('process', await tasks.updateProcess(ctxOf(deps, req), toId(req.params.id), req.body)),
  });

  app.delete('/api/v1/processes/:id', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Delete a process (tickets keep the tasks it gave them)', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await tasks.deleteProcess(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });

  app.post('/api/v1/tickets/:number/processes/:id/apply', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: "Append a process's tasks to the ticket's checklist",
      params: applyProcessParams,
      response: { 200: taskList },
    },
    handler: (req) => tasks.applyProcess(ctxOf(deps, req), req.params.number, toId(req.params.id)),
  });

  // Time entries.
  app.get('/api/v1/tickets/:number/time-entries', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Time spent on a ticket (keyset pages, oldest day first), with totals of every entry (staff who work on tickets or see costs)',
      params: ticketNumberParam,
      querystring: listQuery,
      response: { 200: timeEntryList },
    },
    handler: (req) => time.listTime(ctxOf(deps, req), req.params.number, req.query),
  });

  app.post('/api/v1/tickets/:number/time-entries', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: 'Log time (1..1440 minutes); the answer carries the new totals',
      params: ticketNumberParam,
      body: logTimeBody,
      response: { 201: loggedTime },
    },
    handler: async (req, reply) => reply.code(201).send(await time.logTime(ctxOf(deps, req), req.params.number, req.body)),
  });

  app.delete('/api/v1/time-entries/:id', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Remove a time entry (your own, or any with tickets.update)', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await time.deleteTime(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
