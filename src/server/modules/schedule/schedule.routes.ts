// Scheduling over HTTP (API.md "Scheduling"): the calendar range, entries, technicians and the
// unscheduled work orders, time off and its decisions, and the private calendar feed.
import { z } from 'zod';
import { idParam } from '../../../shared/contracts/common.js';
import * as c from '../../../shared/contracts/schedule.js';
import { ctxOf, type ModulePlugin, toId, wrap } from '../http.js';
import * as feed from './feed.service.js';
import * as service from './schedule.service.js';
import * as timeOff from './time-off.service.js';

const tags = ['schedule'];
const noContent = { 204: z.null().describe('Done') };

export const scheduleRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/schedule', {
    config: { access: 'schedule.view' },
    schema: {
      tags,
      summary:
        'Entries and time off intersecting the range (`from`/`to`: days in the company zone, `to` inclusive, or times with offset; default this week)',
      querystring: c.scheduleQuery,
      response: { 200: c.scheduleAnswer },
    },
    handler: (req) => service.getSchedule(ctxOf(deps, req), req.query),
  });
  app.get('/api/v1/schedule/technicians', {
    config: { access: 'schedule.view' },
    schema: {
      tags,
      summary: 'The people who may be booked (they work tickets), with colour, zone and teams',
      response: { 200: c.techniciansAnswer },
    },
    handler: (req) => service.listTechnicians(ctxOf(deps, req)),
  });
  app.get('/api/v1/schedule/unscheduled', {
    config: { access: 'schedule.manage' },
    schema: { tags, summary: 'Open work orders without a job entry (newest first, up to 100)', response: { 200: c.unscheduledAnswer } },
    handler: (req) => service.listUnscheduled(ctxOf(deps, req)),
  });
  app.post('/api/v1/schedule/copy-week', {
    config: { access: 'schedule.manage' },
    schema: {
      tags,
      summary:
        "Copy a week's shifts and on-call duty (not jobs) to another week, at the same wall-clock time in each entry's zone; copies that would overlap are skipped and listed",
      body: c.copyWeekBody,
      response: { 200: c.copyWeekAnswer },
    },
    handler: (req) => service.copyWeek(ctxOf(deps, req), req.body),
  });
  app.get('/api/v1/schedule/entries/:id', {
    config: { access: 'schedule.view' },
    schema: { tags, summary: 'One entry', params: idParam, response: { 200: c.entryAnswer } },
    handler: async (req) => wrap('entry', await service.getEntry(ctxOf(deps, req), toId(req.params.id))),
  });
  app.post('/api/v1/schedule/entries', {
    config: { access: 'schedule.manage' },
    schema: {
      tags,
      summary:
        'Book a shift, job or on-call duty; 422 `overlap` with `details.conflicts` for a same-kind overlap or approved time off (half-open ranges)',
      body: c.entryBody,
      response: { 201: c.entryAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('entry', await service.createEntry(ctxOf(deps, req), req.body))),
  });
  app.patch('/api/v1/schedule/entries/:id', {
    config: { access: 'schedule.manage' },
    schema: {
      tags,
      summary:
        'Move, resize or reassign an entry; send `version` to be refused (409) when someone changed it first; 422 `overlap` as for create',
      params: idParam,
      body: c.entryPatch,
      response: { 200: c.entryAnswer },
    },
    handler: async (req) => wrap('entry', await service.updateEntry(ctxOf(deps, req), toId(req.params.id), req.body)),
  });
  app.delete('/api/v1/schedule/entries/:id', {
    config: { access: 'schedule.manage' },
    schema: { tags, summary: 'Remove an entry (its ticket loses the scheduled window)', params: idParam, response: noContent },
    handler: async (req, reply) => {
      await service.deleteEntry(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });

  // Time off ---------------------------------------------------------------------------------------
  app.get('/api/v1/time-off', {
    config: { access: 'schedule.view' },
    schema: {
      tags,
      summary: 'Time off: your own, or everyone’s for a planner (schedule.manage)',
      querystring: c.timeOffQuery,
      response: { 200: c.timeOffList },
    },
    handler: (req) => timeOff.listTimeOff(ctxOf(deps, req), req.query),
  });
  app.post('/api/v1/time-off', {
    config: { access: 'schedule.view' },
    schema: {
      tags,
      summary:
        'Request your own time off (`requested`), or, as a planner, enter it for someone else (`approved` at once; 422 `overlap` over entries unless `force`)',
      body: c.timeOffBody,
      response: { 201: c.timeOffAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(wrap('timeOff', await timeOff.createTimeOff(ctxOf(deps, req), req.body))),
  });
  for (const [path, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.post(`/api/v1/time-off/:id/${path}`, {
      config: { access: 'schedule.manage' },
      schema: {
        tags,
        summary:
          decision === 'approved'
            ? 'Approve someone else’s time off; 422 `overlap` listing their entries in it unless `{"force":true}` (then they stay, flagged)'
            : 'Reject someone else’s time off',
        params: idParam,
        body: c.decisionBody,
        response: { 200: c.timeOffAnswer },
      },
      handler: async (req) =>
        wrap(
          'timeOff',
          await timeOff.decideTimeOff(ctxOf(deps, req), toId(req.params.id), decision, { force: req.body?.force, note: req.body?.note }),
        ),
    });
  }

  // Calendar feed -----------------------------------------------------------------------------------
  app.get('/api/v1/me/calendar-feed', {
    config: { access: 'schedule.view' },
    schema: { tags, summary: 'The private iCalendar URL of your entries (90 days back to a year ahead)', response: { 200: c.feedAnswer } },
    handler: (req) => feed.getFeedUrl(ctxOf(deps, req)),
  });
  app.post('/api/v1/me/calendar-feed', {
    config: { access: 'schedule.view' },
    schema: { tags, summary: 'Rotate the feed URL: the old one answers 404 from now on', response: { 200: c.feedAnswer } },
    handler: (req) => feed.rotateFeed(ctxOf(deps, req)),
  });
  app.get('/api/v1/calendar/:file', {
    config: { access: 'public' },
    schema: {
      tags,
      summary:
        'No login: `text/calendar` feed at `/api/v1/calendar/<token>.ics` (VTIMEZONE, one VEVENT per entry and approved time off); 404 for unknown or rotated tokens',
      security: [],
      params: z.object({ file: z.string().max(200) }),
    },
    handler: async (req, reply) => {
      const token = req.params.file.endsWith('.ics') ? req.params.file.slice(0, -4) : '';
      const text = await feed.renderFeed(deps, token);
      return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(text);
    },
  });
};
