// Saved reports and report schedules over HTTP (API.md "Costs and reports"). Each needs the
// permission of its report, checked by the service (costs: reports.financial; the rest reports.view).
import { z } from 'zod';
import { idParam, listQuery } from '../../../shared/contracts/common.js';
import * as c from '../../../shared/contracts/reports.js';
import { sha256 } from '../../platform/crypto.js';
import { contentDisposition, ctxOf, decodeCursor, encodeCursor, type ModulePlugin, toId } from '../http.js';
import * as service from './schedules.service.js';

const tags = ['reports'];
const idCursor = z.tuple([z.number().int().positive()]);
const pageOf = <T>(r: { items: T[]; more: boolean; lastId: number | null }) => ({
  items: r.items,
  nextCursor: r.more && r.lastId ? encodeCursor([r.lastId]) : null,
});
const beforeId = (cursor: string | undefined) => decodeCursor(cursor, idCursor)?.[0] ?? null;

export const reportSchedulesRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/report-schedules', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Report schedules of the company (cost schedules only with reports.financial), newest first',
      querystring: listQuery,
      response: { 200: c.reportSchedulePage },
    },
    handler: async (req) => pageOf(await service.listSchedules(ctxOf(deps, req), req.query.limit, beforeId(req.query.cursor))),
  });
  app.post('/api/v1/report-schedules', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Schedule a report: rendered on the RRULE at `time` in `timezone` and e-mailed as CSV or XLSX to the recipients',
      description:
        'Needs the permission of the report. The report runs with its creator’s permissions; files over 5 MB go as a link valid for 7 days. An RRULE that never occurs is 400.',
      body: c.reportScheduleBody,
      response: { 201: c.reportScheduleAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createSchedule(ctxOf(deps, req), req.body)),
  });
  app.get('/api/v1/report-schedules/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'One report schedule with its next run and last run',
      params: idParam,
      response: { 200: c.reportScheduleAnswer },
    },
    handler: (req) => service.getSchedule(ctxOf(deps, req), toId(req.params.id)),
  });
  app.patch('/api/v1/report-schedules/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary:
        'Change a report schedule (its creator, or settings.manage); a changed rule or a resume runs next from now, without backfill',
      params: idParam,
      body: c.reportSchedulePatch,
      response: { 200: c.reportScheduleAnswer },
    },
    handler: (req) => service.updateSchedule(ctxOf(deps, req), toId(req.params.id), req.body),
  });
  app.delete('/api/v1/report-schedules/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Delete a report schedule and its run history', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteSchedule(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
  app.get('/api/v1/report-schedules/:id/runs', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'The runs of a schedule, newest first: sent or failed with the reason',
      params: idParam,
      querystring: listQuery,
      response: { 200: c.reportRunPage },
    },
    handler: async (req) =>
      pageOf(await service.listRuns(ctxOf(deps, req), toId(req.params.id), req.query.limit, beforeId(req.query.cursor))),
  });
  app.get('/api/v1/report-schedules/:id/occurrences', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'The next runs of a schedule, as instants, without running anything',
      params: idParam,
      querystring: z.object({ count: z.coerce.number().int().min(1).max(50).default(10) }),
      response: { 200: c.reportScheduleOccurrences },
    },
    handler: async (req) => ({ items: await service.previewOccurrences(ctxOf(deps, req), toId(req.params.id), req.query.count) }),
  });

  app.get('/api/v1/report-files/:token', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'A scheduled report too large to attach, by the link in its mail (no login; the link expires)',
      params: z.object({ token: z.string().min(20).max(100) }),
      response: { 200: c.reportFile },
    },
    handler: async (req, reply) => {
      const file = await service.fileByToken(deps, sha256(req.params.token));
      return reply
        .header('content-type', file.type)
        .header('content-disposition', contentDisposition(file.name, file.type))
        .header('cache-control', 'no-store')
        .send(file.content as never);
    },
  });

  app.get('/api/v1/saved-reports', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Your saved reports and those shared with the company',
      querystring: listQuery,
      response: { 200: c.savedReportPage },
    },
    handler: async (req) => pageOf(await service.listSaved(ctxOf(deps, req), req.query.limit, beforeId(req.query.cursor))),
  });
  app.post('/api/v1/saved-reports', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Save a report definition (report, parameters, chart), for yourself or shared',
      body: c.savedReportBody,
      response: { 201: c.savedReportAnswer },
    },
    handler: async (req, reply) => reply.code(201).send(await service.createSaved(ctxOf(deps, req), req.body)),
  });
  app.patch('/api/v1/saved-reports/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags,
      summary: 'Change a saved report (its owner, or settings.manage for a shared one)',
      params: idParam,
      body: c.savedReportPatch,
      response: { 200: c.savedReportAnswer },
    },
    handler: (req) => service.updateSaved(ctxOf(deps, req), toId(req.params.id), req.body),
  });
  app.delete('/api/v1/saved-reports/:id', {
    config: { access: 'authenticated' },
    schema: { tags, summary: 'Delete a saved report', params: idParam, response: { 204: z.null() } },
    handler: async (req, reply) => {
      await service.deleteSaved(ctxOf(deps, req), toId(req.params.id));
      return reply.code(204).send(null);
    },
  });
};
