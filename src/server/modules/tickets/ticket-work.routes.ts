import { z } from 'zod';
import { ctxOf, idParam, idString, type ModulePlugin, name, toId, wrap, wrapped } from '../http.js';
import * as tasks from './tasks.service.js';
import * as time from './time.service.js';

const numberParam = z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000) });
const taskTitle = z.string().trim().min(1, 'is required').max(500);

const taskDto = z.object({
  id: z.string(),
  title: z.string(),
  position: z.number(),
  done: z.boolean(),
  doneBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  doneAt: z.string().nullable(),
  createdAt: z.string(),
});
const taskList = z.object({ items: z.array(taskDto), done: z.number(), total: z.number() });
const processDto = z.object({ id: z.string(), name: z.string(), tasks: z.array(z.string()), can: z.object({ update: z.boolean() }) });
const processBody = z.object({ name, tasks: z.array(taskTitle).max(200).default([]) });

const entryDto = z.object({
  id: z.string(),
  user: z.object({ id: z.string(), name: z.string() }),
  minutes: z.number(),
  billable: z.boolean(),
  rate: z.string().nullable(),
  note: z.string().nullable(),
  spentOn: z.string(),
  createdAt: z.string(),
});
const totals = z.object({ minutes: z.number(), billableMinutes: z.number(), billableAmount: z.string() });
const rate = z
  .union([z.number(), z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'must be an amount like 45.50')])
  .transform((v) => Number(v))
  .pipe(z.number().min(0).max(9_999_999_999.99))
  .transform((v) => v.toFixed(2));
const day = z.union([
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  z.iso.date().transform((s) => new Date(`${s}T12:00:00Z`)),
]);

export const ticketWorkRoutes: ModulePlugin = async (app, { deps }) => {
  // Tasks (the checklist of a ticket).
  app.get('/api/v1/tickets/:number/tasks', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: "A ticket's checklist, in order, with how many are done", params: numberParam, response: { 200: taskList } },
    handler: (req) => tasks.listTasks(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/tasks', {
    config: { access: 'tickets.update' },
    schema: { tags: ['tickets'], summary: 'Add a task at the end of the checklist', params: numberParam, body: z.object({ title: taskTitle }), response: { 201: wrapped('task', taskDto) } },
    handler: async (req, reply) => reply.code(201).send(wrap('task', await tasks.addTask(ctxOf(deps, req), req.params.number, req.body.title))),
  });

  app.patch('/api/v1/tasks/:id', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: 'Rename, tick off or move a task',
      params: idParam,
      body: z.object({ title: taskTitle.optional(), done: z.boolean().optional(), position: z.number().int().min(0).max(100_000).optional() }),
      response: { 200: wrapped('task', taskDto) },
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
    schema: { tags: ['tickets'], summary: 'Reusable checklists to apply to tickets', response: { 200: z.object({ items: z.array(processDto) }) } },
    handler: (req) => tasks.listProcesses(ctxOf(deps, req)),
  });

  app.post('/api/v1/processes', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Create a process: a name and its tasks', body: processBody, response: { 201: wrapped('process', processDto) } },
    handler: async (req, reply) => reply.code(201).send(wrap('process', await tasks.createProcess(ctxOf(deps, req), req.body))),
  });

  app.patch('/api/v1/processes/:id', {
    config: { access: 'categories.manage' },
    schema: { tags: ['tickets'], summary: 'Rename a process or change its tasks', params: idParam, body: z.object({ name: name.optional(), tasks: z.array(taskTitle).max(200).optional() }), response: { 200: wrapped('process', processDto) } },
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
      params: numberParam.extend({ id: idString }),
      response: { 200: taskList },
    },
    handler: (req) => tasks.applyProcess(ctxOf(deps, req), req.params.number, toId(req.params.id)),
  });

  // Time entries.
  app.get('/api/v1/tickets/:number/time-entries', {
    config: { access: 'authenticated' },
    schema: { tags: ['tickets'], summary: 'Time spent on a ticket, with totals (staff who work on tickets or see costs)', params: numberParam, response: { 200: z.object({ items: z.array(entryDto), totals }) } },
    handler: (req) => time.listTime(ctxOf(deps, req), req.params.number),
  });

  app.post('/api/v1/tickets/:number/time-entries', {
    config: { access: 'tickets.update' },
    schema: {
      tags: ['tickets'],
      summary: 'Log time (1..1440 minutes); the answer carries the new totals',
      params: numberParam,
      body: z.object({
        minutes: z.number().int().min(1).max(1440),
        billable: z.boolean().default(false),
        rate: rate.nullish(),
        note: z.string().trim().max(2000).nullish(),
        spentOn: day.optional(),
      }),
      response: { 201: z.object({ entry: entryDto, items: z.array(entryDto), totals }) },
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
