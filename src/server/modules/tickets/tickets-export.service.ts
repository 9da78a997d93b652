// Ticket exports (CSV and XLSX) of exactly what the caller's list shows: the same filters, the same
// visibility (queryTickets/listConditions), streamed in keyset batches, each batch in its own short
// tenant transaction, so a large export never holds millions of rows in memory or a transaction open.
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { type TicketFilters, queryTickets } from './tickets.list.js';
import type { TicketWithNames } from './tickets.repo.js';

export const EXPORT_BATCH = 500;
export const EXPORT_MAX_ROWS = 100_000;

export const COLUMNS = [
  'number',
  'kind',
  'title',
  'status',
  'priority',
  'category',
  'requester',
  'assignee',
  'team',
  'department',
  'project',
  'due',
  'created',
  'updated',
] as const;

export type ExportRow = [number, string, string, string, string, string, string, string, string, string, string, Date | null, Date, Date];

export function toExportRow(r: TicketWithNames): ExportRow {
  const t = r.t;
  return [
    t.number,
    t.kind,
    t.title,
    t.status,
    t.priority,
    r.category?.name ?? '',
    r.requester?.name ?? t.contact?.name ?? '',
    r.assignee?.name ?? '',
    r.team?.name ?? '',
    r.department?.name ?? '',
    r.project?.name ?? '',
    t.dueAt,
    t.createdAt,
    t.updatedAt,
  ];
}

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab / carriage return that hides
 * one) as a formula: such text cells get a leading apostrophe (OWASP "CSV injection").
 */
export function safeCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const truncationNote = (max: number) =>
  `Export truncated: only the first ${max} tickets are included; narrow the filters to export the rest.`;

export interface ExportOptions {
  batchSize?: number;
  maxRows?: number;
}

export interface ExportBatches {
  /** The first batch, read before the answer starts so that errors still become JSON errors. */
  first: TicketWithNames[];
  rest: AsyncGenerator<TicketWithNames[]>;
  /** True once the export stopped at maxRows with more rows left. */
  truncated(): boolean;
  maxRows: number;
}

/** The caller's filtered list in keyset batches, stopping at maxRows. */
export async function exportBatches(ctx: Ctx, filters: TicketFilters, options: ExportOptions = {}): Promise<ExportBatches> {
  const actor: UserActor = requireUser(ctx);
  const batchSize = options.batchSize ?? EXPORT_BATCH;
  const maxRows = options.maxRows ?? EXPORT_MAX_ROWS;
  let truncated = false;
  let sent = 0;
  const fetch = (cursor: string | undefined, limit: number) =>
    ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => queryTickets(tx, actor, filters, { limit, cursor }));

  const firstPage = await fetch(undefined, Math.min(batchSize, maxRows));
  sent = firstPage.rows.length;
  let cursor = firstPage.nextCursor;
  if (cursor && sent >= maxRows) truncated = true;

  async function* rest(): AsyncGenerator<TicketWithNames[]> {
    while (cursor && !truncated) {
      const page = await fetch(cursor, Math.min(batchSize, maxRows - sent));
      sent += page.rows.length;
      cursor = page.nextCursor;
      if (page.rows.length) yield page.rows;
      if (cursor && sent >= maxRows) truncated = true;
    }
  }
  return { first: firstPage.rows, rest: rest(), truncated: () => truncated, maxRows };
}

const csvDate = (d: Date | null) => (d ? d.toISOString() : '');

function csvChunk(rows: TicketWithNames[]): string {
  return stringify(
    rows.map((r) => toExportRow(r).map((v) => (v instanceof Date || v === null ? csvDate(v) : typeof v === 'string' ? safeCell(v) : v))),
  );
}

/** A CSV stream (UTF-8 with BOM, so spreadsheet programs read accents right) with a header row. */
export function csvStream(batches: ExportBatches): Readable {
  async function* chunks() {
    yield `\ufeff${stringify([[...COLUMNS]])}`;
    if (batches.first.length) yield csvChunk(batches.first);
    for await (const rows of batches.rest) yield csvChunk(rows);
    if (batches.truncated()) yield stringify([[`# ${truncationNote(batches.maxRows)}`]]);
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** An XLSX stream written row by row (exceljs's streaming writer): one sheet "Tickets". exceljs loads on first use (startup time and memory). */
export async function xlsxStream(batches: ExportBatches): Promise<Readable> {
  const { default: ExcelJS } = await import('exceljs');
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Steward';
  const sheet = workbook.addWorksheet('Tickets', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((key) => ({
    header: key,
    key,
    width: key === 'title' ? 48 : key === 'due' || key === 'created' || key === 'updated' ? 20 : 16,
    style: key === 'due' || key === 'created' || key === 'updated' ? { numFmt: 'yyyy-mm-dd hh:mm' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  const drained = () => (out.writableNeedDrain ? new Promise<void>((resolve) => out.once('drain', resolve)) : Promise.resolve());
  const write = async (rows: TicketWithNames[]) => {
    for (const r of rows) sheet.addRow(toExportRow(r)).commit();
    await drained();
  };
  (async () => {
    await write(batches.first);
    for await (const rows of batches.rest) await write(rows);
    if (batches.truncated()) sheet.addRow([truncationNote(batches.maxRows)]).commit();
    sheet.commit();
    await workbook.commit();
  })().catch((err) => out.destroy(err as Error));
  return out;
}
