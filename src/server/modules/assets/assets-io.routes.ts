// Asset files in and out: CSV import (+ template), CSV/XLSX export, QR code PNG, PDF label sheets.
// Static paths: Fastify's router matches them before the parametric /api/v1/assets/:id.
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { todayIn } from '../../../shared/time/index.js';
import { type Ctx, requireUser } from '../../platform/context.js';
import { assetFilters, importAnswer, importQuery, labelsQuery } from '../../../shared/contracts/assets.js';
import { ctxOf, idParam, type ModulePlugin, partsOf, toId } from '../http.js';
import { importAssets } from './assets.import.js';
import { TEMPLATE_EXAMPLE, TEMPLATE_HEADER } from './assets.import-parse.js';
import { csvStream, exportBatches, LABELS_MAX, labelsPdf, qrBase, qrPng, xlsxStream } from './assets.output.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
// Dated by the company's calendar, like every date-only rule.
const fileName = (ext: string, ctx: Ctx) => `assets-${todayIn(requireUser(ctx).profile.companyTimezone)}.${ext}`;
export const assetsIoRoutes: ModulePlugin = async (app, { deps }) => {
  app.post('/api/v1/assets/import', {
    config: { access: 'assets.manage' },
    schema: {
      tags: ['assets'],
      summary:
        'Import assets from CSV (multipart `file`; optional fields `mapping` JSON {"CSV column":"field"}, `values` JSON {"<kind>":{"<value>":{"status"|"id"|"name":…}}} and `createPicklistValues`, sent before the file)',
      description:
        'UTF-8 or Windows-1252, any line ending. Common headers of other tools are recognised, among them a Snipe-IT export (Asset Tag, Name, Serial, Model, Model Number, Manufacturer, Category, Supplier, Order Number, Status, ' +
        'Location "Site / Building / Room", Purchase Date, Purchase Cost, Warranty / Warranty Months, Asset Notes, Model Notes, Asset EOL Date, Checkout Type, Checked Out To: Username / First Name / Last Name / Email / Location). ' +
        'Existing assets are updated by tag; rows with errors are reported (row = CSV line) and skipped. A supplier becomes the vendor (found or created). The check-out columns check the asset out to the matching active user; ' +
        '`usersNotFound` lists the others. `unknownValues` lists the status words and list values the company does not know, with counts, for the user to map in `values`; a real import remembers the mapping for the next one. ' +
        'dryRun=true checks everything and writes nothing.',
      consumes: ['multipart/form-data'],
      querystring: importQuery,
      response: { 200: importAnswer },
    },
    handler: (req) => importAssets(ctxOf(deps, req), { dryRun: req.query.dryRun, createPicklistValues: req.query.createPicklistValues }, () => partsOf(req)),
  });

  app.get('/api/v1/assets/import/template.csv', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: 'A CSV template for the import', response: { 200: z.string() } },
    handler: async (_req, reply) =>
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="assets-template.csv"')
        .send(`\ufeff${stringify([TEMPLATE_HEADER, TEMPLATE_EXAMPLE])}`),
  });

  for (const ext of ['csv', 'xlsx'] as const) {
    app.get(`/api/v1/assets/export.${ext}`, {
      config: { access: 'assets.view' },
      schema: { tags: ['assets'], summary: `Export the filtered asset list as ${ext.toUpperCase()} (same filters as the list)`, querystring: assetFilters, response: { 200: z.string() } },
      handler: async (req, reply) => {
        const ctx = ctxOf(deps, req);
        const batches = await exportBatches(ctx, req.query);
        const base = await qrBase(ctx);
        return reply
          .header('content-type', ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
          .header('content-disposition', `attachment; filename="${fileName(ext, ctx)}"`)
          .header('cache-control', 'no-store')
          .send((ext === 'csv' ? csvStream(batches, base) : await xlsxStream(batches, base)) as never);
      },
    });
  }

  app.get('/api/v1/assets/:id/qr.png', {
    config: { access: 'assets.view' },
    schema: { tags: ['assets'], summary: "QR code of the asset's public report link", params: idParam },
    handler: async (req, reply) =>
      reply.header('content-type', 'image/png').header('cache-control', 'private, no-cache').send(await qrPng(ctxOf(deps, req), toId(req.params.id))),
  });

  app.get('/api/v1/assets/labels.pdf', {
    config: { access: 'assets.view' },
    schema: {
      tags: ['assets'],
      summary: `Printable label sheet (name, tag, QR) for up to ${LABELS_MAX} assets`,
      querystring: labelsQuery,
    },
    handler: async (req, reply) => {
      const pdf = await labelsPdf(ctxOf(deps, req), req.query.ids, req.query.paper);
      return reply.header('content-type', 'application/pdf').header('content-disposition', 'inline; filename="asset-labels.pdf"').send(pdf);
    },
  });
};
