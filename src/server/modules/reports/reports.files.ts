// Report files: one table (a header row, typed cells, column widths, an optional totals row) as CSV
// (UTF-8 with BOM) or XLSX (exceljs's streaming writer), from rows that arrive batch by batch, so an
// export of every line of a period streams with bounded memory.
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { safeCell } from '../tickets/tickets-export.service.js';

export type CellType = 'text' | 'money' | 'number' | 'date';
export interface Column<R> {
  header: string;
  type: CellType;
  width?: number;
  value: (row: R) => string | number | Date | null;
}

export interface Table<R> {
  sheet: string;
  columns: Array<Column<R>>;
  batches: AsyncIterable<R[]> | Iterable<R[]>;
  /** A last row in bold (totals), by column header. */
  totals?: Record<string, string | number>;
  /** Lines above the header (title, period), one cell each. */
  caption?: string[];
}

const csvCell = (type: CellType, v: string | number | Date | null) =>
  v === null
    ? ''
    : v instanceof Date
      ? v.toISOString()
      : type === 'money' && typeof v === 'number'
        ? v.toFixed(2)
        : typeof v === 'string'
          ? safeCell(v)
          : v;

export function csvStream<R>(table: Table<R>): Readable {
  async function* chunks() {
    yield '\ufeff';
    for (const line of table.caption ?? []) yield stringify([[safeCell(line)]]);
    yield stringify([table.columns.map((c) => c.header)]);
    for await (const rows of table.batches) yield stringify(rows.map((r) => table.columns.map((c) => csvCell(c.type, c.value(r)))));
    if (table.totals) yield stringify([table.columns.map((c) => csvCell(c.type, table.totals?.[c.header] ?? null))]);
  }
  return Readable.from(chunks(), { objectMode: false });
}

const NUM_FMT: Record<CellType, string | undefined> = { text: undefined, money: '#,##0.00', number: '#,##0.##', date: 'yyyy-mm-dd hh:mm' };

/** The XLSX workbook, written row by row. exceljs loads on first use. */
export async function xlsxStream<R>(table: Table<R>): Promise<Readable> {
  const { default: ExcelJS } = await import('exceljs');
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Steward';
  const headerAt = (table.caption?.length ?? 0) + 1;
  const sheet = workbook.addWorksheet(table.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: headerAt }] });
  sheet.columns = table.columns.map((c, i) => ({
    key: String(i),
    width: c.width ?? (c.type === 'text' ? 28 : c.type === 'date' ? 18 : 14),
    style: NUM_FMT[c.type] ? { numFmt: NUM_FMT[c.type] } : {},
  }));
  for (const line of table.caption ?? []) sheet.addRow([line]).commit();
  const header = sheet.addRow(table.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  const drained = () => (out.writableNeedDrain ? new Promise<void>((resolve) => out.once('drain', resolve)) : Promise.resolve());
  (async () => {
    for await (const rows of table.batches) {
      for (const r of rows) sheet.addRow(table.columns.map((c) => c.value(r))).commit();
      await drained();
    }
    if (table.totals) {
      const row = sheet.addRow(table.columns.map((c) => table.totals?.[c.header] ?? null));
      row.font = { bold: true };
      row.commit();
    }
    sheet.commit();
    await workbook.commit();
  })().catch((err) => out.destroy(err as Error));
  return out;
}

export async function fileOf<R>(format: 'csv' | 'xlsx', table: Table<R>): Promise<Readable> {
  return format === 'csv' ? csvStream(table) : xlsxStream(table);
}
