// GET /api/v1/tickets/export.csv and /export.xlsx: the filtered list the caller sees, as a file.
// Static paths: Fastify's router matches them before the parametric /api/v1/tickets/:number.
import { ticketExportCsv, ticketExportQuery, ticketExportXlsx, XLSX_CONTENT_TYPE } from '../../../shared/contracts/tickets.js';
import { todayIn } from '../../../shared/time/index.js';
import { type Ctx, requireUser } from '../../platform/context.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import { csvStream, EXPORT_MAX_ROWS, exportBatches, xlsxStream } from './tickets-export.service.js';

// Dated by the company's calendar, like every date-only rule.
const fileName = (ext: string, ctx: Ctx) => `tickets-${todayIn(requireUser(ctx).profile.companyTimezone)}.${ext}`;

export const ticketsExportRoutes: ModulePlugin = async (app, { deps }) => {
  const description =
    `The tickets GET /api/v1/tickets would list with the same filters (and your visibility), every page, ` +
    `up to ${EXPORT_MAX_ROWS} rows; a longer export ends with a note row saying it was cut. ` +
    'Columns: number, kind, title, status, priority, category, requester, assignee, team, department, project, due, created, updated.';

  app.get('/api/v1/tickets/export.csv', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Export the filtered ticket list as CSV',
      description,
      querystring: ticketExportQuery,
      response: { 200: ticketExportCsv },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const batches = await exportBatches(ctx, req.query);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('csv', ctx)}"`)
        .header('cache-control', 'no-store')
        .header('x-export-max-rows', String(batches.maxRows))
        .send(csvStream(batches) as never);
    },
  });

  app.get('/api/v1/tickets/export.xlsx', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['tickets'],
      summary: 'Export the filtered ticket list as an Excel workbook',
      description,
      querystring: ticketExportQuery,
      response: { 200: ticketExportXlsx },
    },
    handler: async (req, reply) => {
      const ctx = ctxOf(deps, req);
      const batches = await exportBatches(ctx, req.query);
      return reply
        .header('content-type', XLSX_CONTENT_TYPE)
        .header('content-disposition', `attachment; filename="${fileName('xlsx', ctx)}"`)
        .header('cache-control', 'no-store')
        .header('x-export-max-rows', String(batches.maxRows))
        .send((await xlsxStream(batches)) as never);
    },
  });
};
