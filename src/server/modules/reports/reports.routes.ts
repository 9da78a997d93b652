// Costs and reports over HTTP (API.md "Costs and reports"). Costs need reports.financial, the other
// reports reports.view. `format=csv|xlsx` answers the same report as a file.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import * as c from '../../../shared/contracts/reports.js';
import { XLSX_CONTENT_TYPE } from '../../../shared/contracts/tickets.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import { costFile, costLinesFile, reliabilityFile, ticketFile } from './reports.exports.js';
import * as service from './reports.service.js';

const tags = ['reports'];
const CONTENT_TYPE = { csv: 'text/csv; charset=utf-8', xlsx: XLSX_CONTENT_TYPE } as const;

function sendFile(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, body: unknown): FastifyReply {
  return reply
    .header('content-type', CONTENT_TYPE[format])
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body as never);
}

export const reportsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/reports/costs', {
    config: { access: 'reports.financial' },
    schema: {
      tags,
      summary: 'Costs (labour, parts, purchases) by department, cost code, asset, location, technician, category or month',
      description:
        'Labour is minutes / 60 × the entry’s rate, parts their unit cost when consumed, purchases PO lines net of tax by received ' +
        '(or, with purchases=ordered, ordered) quantity. Each line is rounded to cents; rows add up to `totals`. A ticket charged to ' +
        'several assets is split evenly between them. groupBy=location rolls the tree up: rows are the top-level locations (or the ' +
        'sub-locations of `parentId`), each with everything below it. `format=csv|xlsx` gives the file.',
      querystring: c.costReportQuery,
      response: { 200: z.union([c.costReport, c.reportFile]) },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const report = await service.costReport(ctx, req.query);
      if (req.query.format === 'json') return report;
      return sendFile(
        reply,
        req.query.format,
        `costs-${report.groupBy}-${report.from}-${report.to}`,
        await costFile(req.query.format, report),
      );
    },
  });

  app.get('/api/v1/reports/costs/lines', {
    config: { access: 'reports.financial' },
    schema: {
      tags,
      summary: 'The cost lines behind a row of the cost report (or every line of the period), newest first',
      description:
        'The same query as GET /api/v1/reports/costs, narrowed to one `key`. `format=csv|xlsx` gives every line as a file (streamed).',
      querystring: c.costLinesQuery,
      response: { 200: z.union([c.costLinePage, c.reportFile]) },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(deps, req);
      if (req.query.format === 'json') return service.costLinePage(ctx, req.query);
      const batches = service.costLineBatches(ctx, req.query);
      // Read the first batch before answering, so that a bad request still gets a JSON error.
      const first = await batches.pages.next();
      const name = `cost-lines-${req.query.groupBy}${req.query.key ? `-${req.query.key}` : ''}-${batches.period.from}-${batches.period.to}`;
      return sendFile(reply, req.query.format, name.replace(/[^\w.-]/g, '_'), await costLinesFile(req.query.format, first, batches.pages));
    },
  });

  app.get('/api/v1/reports/tickets', {
    config: { access: 'reports.view' },
    schema: {
      tags,
      summary: 'Tickets created in a period by status, priority, category, technician or week: backlog, response and resolution times, SLA',
      querystring: c.ticketReportQuery,
      response: { 200: z.union([c.ticketReport, c.reportFile]) },
    },
    handler: async (req, reply) => {
      const report = await service.ticketReport(ctxOf(deps, req), req.query);
      if (req.query.format === 'json') return report;
      return sendFile(
        reply,
        req.query.format,
        `tickets-${report.groupBy}-${report.from}-${report.to}`,
        await ticketFile(req.query.format, report),
      );
    },
  });

  app.get('/api/v1/reports/assets/reliability', {
    config: { access: 'reports.view' },
    schema: {
      tags,
      summary: 'Downtime, failures, MTBF and MTTR per asset and per asset category, from work orders marked as failures',
      querystring: c.reliabilityQuery,
      response: { 200: z.union([c.reliabilityReport, c.reportFile]) },
    },
    handler: async (req, reply) => {
      const report = await service.reliabilityReport(ctxOf(deps, req), req.query);
      if (req.query.format === 'json') return report;
      return sendFile(reply, req.query.format, `reliability-${report.from}-${report.to}`, await reliabilityFile(req.query.format, report));
    },
  });
};
