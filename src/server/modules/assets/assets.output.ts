// Files made from assets: CSV/XLSX exports of the filtered list (keyset batches, each in its own
// short transaction, streamed), the QR code PNG of the public link, and PDF label sheets.
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import QRCode from 'qrcode';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { safeCell } from '../tickets/tickets-export.service.js';
import { publicUrl } from './assets.fields.js';
import { type AssetFilters, queryAssets } from './assets.queries.js';
import type { AssetWithNames } from './assets.repo.js';
import { findAsset, labelRows } from './assets.repo.js';
import { publicUrlOf } from '../settings/settings.service.js';

export const EXPORT_BATCH = 500;
export const EXPORT_MAX_ROWS = 200_000;
/** The import template's headers, so an export can be edited and imported again. */
export const EXPORT_COLUMNS = ['Asset Tag', 'Name', 'Category', 'Manufacturer', 'Model', 'Serial', 'Status', 'Condition', 'Location', 'Department', 'Assigned To', 'Expected Return', 'Purchase Date', 'Purchase Cost', 'Warranty Expires', 'Notes', 'Model Number', 'Supplier', 'Order Number', 'Asset EOL Date', 'Public URL'];

function exportRow(r: AssetWithNames, base: string): Array<string | number | null> {
  const a = r.a;
  return [a.tag, a.name, r.category?.name ?? '', r.manufacturer?.name ?? '', a.model ?? '', a.serial ?? '', a.status, r.condition?.name ?? '', r.location?.name ?? '',
    r.department?.name ?? '', r.assignedTo?.name ?? '', a.expectedReturn ?? '', a.purchaseDate ?? '', a.purchaseCost === null ? null : Number(a.purchaseCost), a.warrantyEnd ?? '', a.specifications ?? '',
    a.modelNumber ?? '', r.vendor?.name ?? '', a.orderNumber ?? '', a.endOfLife ?? '', publicUrl(base, a.publicToken)];
}

/** The filtered list in keyset batches; the first is read before the answer starts (errors stay JSON). */
export async function exportBatches(ctx: Ctx, filters: AssetFilters) {
  const actor = requireUser(ctx);
  const fetch = (cursor?: string) => ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => queryAssets(tx, actor, filters, { limit: EXPORT_BATCH, cursor }));
  const first = await fetch();
  let cursor = first.nextCursor;
  let sent = first.rows.length;
  async function* all(): AsyncGenerator<AssetWithNames[]> {
    yield first.rows;
    while (cursor && sent < EXPORT_MAX_ROWS) {
      const page = await fetch(cursor);
      sent += page.rows.length;
      cursor = page.nextCursor;
      yield page.rows;
    }
  }
  return all();
}

/** The address the company's QR codes carry, in a short transaction of its own (exports stream outside one). */
export async function qrBase(ctx: Ctx): Promise<string> {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => publicUrlOf(tx, ctx.deps.config, actor.tenantId));
}

export function csvStream(batches: AsyncGenerator<AssetWithNames[]>, base: string): Readable {
  async function* chunks() {
    yield `\ufeff${stringify([EXPORT_COLUMNS])}`;
    for await (const rows of batches) if (rows.length) yield stringify(rows.map((r) => exportRow(r, base).map((v) => (typeof v === 'string' ? safeCell(v) : v))));
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** exceljs and pdfkit load on first use, not at start-up (together ~400 ms and ~30 MB). */
export async function xlsxStream(batches: AsyncGenerator<AssetWithNames[]>, base: string): Promise<Readable> {
  const { default: ExcelJS } = await import('exceljs');
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Steward';
  const sheet = workbook.addWorksheet('Assets', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((header) => ({ header, key: header, width: header === 'Name' || header === 'Location' || header === 'Public URL' ? 32 : 16 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  (async () => {
    for await (const rows of batches) {
      for (const r of rows) sheet.addRow(exportRow(r, base)).commit();
      if (out.writableNeedDrain) await new Promise<void>((resolve) => out.once('drain', resolve));
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err) => out.destroy(err as Error));
  return out;
}

export async function qrPng(ctx: Ctx, id: number): Promise<Buffer> {
  const actor = requireUser(ctx);
  const found = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const a = await findAsset(tx, actor.tenantId, id);
    return a ? { a, base: await publicUrlOf(tx, ctx.deps.config, actor.tenantId) } : null;
  });
  if (!found) throw notFound('Asset');
  return QRCode.toBuffer(publicUrl(found.base, found.a.publicToken), { type: 'png', margin: 1, width: 320, errorCorrectionLevel: 'M' });
}

const PAPER = {
  // 3 × 8 labels of 70 × 37 mm on A4; 3 × 10 labels of 2.625" × 1" on US Letter (Avery 5160 grid).
  a4: { size: 'A4', cols: 3, rows: 8, w: 198.4, h: 104.9, left: 0, top: 0, gapX: 0, gapY: 0 },
  letter: { size: 'LETTER', cols: 3, rows: 10, w: 189, h: 72, left: 13.5, top: 36, gapX: 9, gapY: 0 },
} as const;

export const LABELS_MAX = 500;

export async function labelsPdf(ctx: Ctx, ids: number[], paper: keyof typeof PAPER): Promise<Readable> {
  const actor = requireUser(ctx);
  const unique = [...new Set(ids)];
  if (unique.length === 0 || unique.length > LABELS_MAX) throw new AppError('validation', `Give 1 to ${LABELS_MAX} asset ids`, { fields: { ids: `1 to ${LABELS_MAX} ids` } });
  const { rows, base } = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => ({
    rows: await labelRows(tx, actor.tenantId, unique),
    base: await publicUrlOf(tx, ctx.deps.config, actor.tenantId),
  }));
  if (rows.length !== unique.length) {
    const found = new Set(rows.map((r) => r.id));
    throw new AppError('not_found', 'Some assets were not found', { missing: unique.filter((id) => !found.has(id)).map(String) });
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = unique.map((id) => byId.get(id)!);
  const qrs = await Promise.all(ordered.map((r) => QRCode.toBuffer(publicUrl(base, r.token), { type: 'png', margin: 0, width: 180 })));
  const p = PAPER[paper];
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ size: p.size, margin: 0, autoFirstPage: false, info: { Title: 'Asset labels', Creator: 'Steward' } });
  const perPage = p.cols * p.rows;
  ordered.forEach((r, i) => {
    if (i % perPage === 0) doc.addPage();
    const n = i % perPage;
    const x = p.left + (n % p.cols) * (p.w + p.gapX);
    const y = p.top + Math.floor(n / p.cols) * (p.h + p.gapY);
    const pad = 6;
    const q = p.h - 2 * pad;
    doc.image(qrs[i], x + pad, y + pad, { width: q, height: q });
    const tx = x + q + 2 * pad;
    const tw = p.w - q - 3 * pad;
    doc.font('Helvetica-Bold').fontSize(9).text(r.name, tx, y + pad, { width: tw, height: q * 0.6, ellipsis: true });
    doc.font('Courier').fontSize(10).text(r.tag, tx, y + p.h - pad - 12, { width: tw, lineBreak: false, ellipsis: true });
  });
  doc.end();
  return doc as unknown as Readable;
}
