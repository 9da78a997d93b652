// Reading other tools' CSV exports: the text encoding (UTF-8 or Windows-1252), header aliases
// (Snipe-IT, Excel sheets, GLPI-ish names), status words, dates in several formats, costs with
// currency symbols and thousand separators.
import { Transform } from 'node:stream';
import type { AssetStatus } from '../../db/schema/index.js';
import { isDate } from './assets.fields.js';

export { ASSET_IMPORT_FIELDS as IMPORT_FIELDS, type AssetImportField as ImportField } from '../../../shared/contracts/assets.js';
import { ASSET_IMPORT_FIELDS as IMPORT_FIELDS, type AssetImportField as ImportField } from '../../../shared/contracts/assets.js';
/** A column goes to one of IMPORT_FIELDS, to `customFields.<key>`, or nowhere (null). */
export type Target = ImportField | `customFields.${string}` | null;

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

const ALIASES: Record<string, ImportField> = {};
const alias = (field: ImportField, ...names: string[]) => {
  for (const n of names) ALIASES[norm(n)] = field;
};
alias('tag', 'Asset Tag', 'Tag', 'Asset ID', 'Asset Number', 'Inventory Number', 'Inventory No');
alias('name', 'Name', 'Asset Name', 'Item Name', 'Item', 'Device Name', 'Hostname');
alias('serial', 'Serial', 'Serial Number', 'Serial No', 'SN', 'S/N');
alias('model', 'Model', 'Model Name');
alias('modelNumber', 'Model Number', 'Model No', 'Model No.', 'Part Number');
alias('modelNotes', 'Model Notes');
alias('manufacturer', 'Manufacturer', 'Make', 'Brand', 'Manufacturer Name');
alias('category', 'Category', 'Category Name', 'Asset Type', 'Type');
alias('status', 'Status', 'Status Label', 'State', 'Asset Status');
alias('condition', 'Condition');
alias('location', 'Location', 'Location Name', 'Location Path', 'Default Location');
alias('department', 'Department');
alias('purchaseDate', 'Purchase Date', 'Purchased', 'Date of Purchase', 'Purchase Date (YYYY-MM-DD)', 'Bought');
alias('purchaseCost', 'Purchase Cost', 'Cost', 'Price', 'Purchase Price', 'Value');
alias('warrantyEnd', 'Warranty', 'Warranty Expires', 'Warranty End', 'Warranty Expiration', 'Warranty Expiry', 'Warranty Until', 'Warranty Expiration Date');
alias('warrantyMonths', 'Warranty Months', 'Warranty (months)', 'Warranty Period', 'Warranty In Months');
alias('notes', 'Notes', 'Note', 'Asset Notes', 'Comments', 'Description', 'Specifications');
alias('vendor', 'Supplier', 'Vendor', 'Supplier Name', 'Vendor Name', 'Seller');
alias('orderNumber', 'Order Number', 'Order No', 'Order', 'PO Number', 'Purchase Order', 'Purchase Order Number');
alias('endOfLife', 'Asset EOL Date', 'EOL Date', 'EOL', 'End of Life', 'End of Life Date');
alias('checkoutType', 'Checkout Type', 'Checked Out Type');
alias('checkoutUsername', 'Checked Out To: Username', 'Assigned To Username', 'Username');
alias('checkoutFirstName', 'Checked Out To: First Name', 'Assigned To First Name');
alias('checkoutLastName', 'Checked Out To: Last Name', 'Assigned To Last Name');
alias('checkoutEmail', 'Checked Out To: Email', 'Assigned To Email', 'Email');
alias('checkoutName', 'Checked Out To', 'Assigned To', 'User');
alias('checkoutLocation', 'Checked Out To: Location');

/**
 * The target of each column: the caller's mapping first (by column name, case-insensitive), then the
 * aliases, then custom field keys or labels of any category.
 */
export function mapColumns(header: string[], mapping: Record<string, string>, customKeys: Map<string, string>): Target[] {
  const given = new Map(Object.entries(mapping).map(([k, v]) => [k.trim().toLowerCase(), v]));
  return header.map((h) => {
    const m = given.get(h.trim().toLowerCase());
    if (m !== undefined) {
      if (m === '' || m === 'ignore') return null;
      if ((IMPORT_FIELDS as readonly string[]).includes(m) || m.startsWith('customFields.')) return m as Target;
      throw new Error(`mapping: "${m}" is not a field (one of ${IMPORT_FIELDS.join(', ')}, customFields.<key> or ignore)`);
    }
    const key = norm(h);
    if (ALIASES[key]) return ALIASES[key];
    const custom = customKeys.get(key);
    return custom ? (`customFields.${custom}` as const) : null;
  });
}

const STATUS_WORDS: Array<[AssetStatus, string[]]> = [
  ['in_use', ['in use', 'inuse', 'deployed', 'assigned', 'checked out', 'active', 'in service', 'in operation', 'operational']],
  ['in_stock', ['in stock', 'instock', 'ready to deploy', 'ready', 'deployable', 'available', 'pending', 'stock', 'spare', 'new', 'stored', 'in storage']],
  ['in_repair', ['in repair', 'repair', 'broken', 'out for repair', 'out for diagnostics', 'maintenance', 'under maintenance', 'faulty', 'damaged', 'undeployable', 'out of service', 'defective']],
  ['retired', ['retired', 'archived', 'obsolete', 'end of life', 'eol', 'lost', 'stolen', 'lost/stolen', 'lost stolen', 'inactive', 'decommissioned', 'broken - not fixable']],
  ['disposed', ['disposed', 'sold', 'scrapped', 'recycled', 'donated', 'destroyed', 'written off']],
];
const STATUS = new Map<string, AssetStatus>();
for (const [status, words] of STATUS_WORDS) for (const w of [status, ...words]) STATUS.set(norm(w), status);

export function parseStatus(raw: string): AssetStatus | null {
  return STATUS.get(norm(raw)) ?? null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ymd = (y: number, m: number, d: number) => {
  const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isDate(s) ? s : null;
};

/** 2024-03-15, 2024/3/15, 15.03.2024, 15/03/2024 (day first when it must be), 03/15/2024, 15 Mar 2024, Mar 15, 2024, ISO times. */
export function parseDate(raw: string): string | null {
  const s = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$/.exec(s);
  if (m) return ymd(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$/.exec(s);
  if (m) return ymd(year(m[3]), +m[2], +m[1]);
  m = /^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$/.exec(s);
  if (m) {
    const a = +m[1];
    const b = +m[2];
    return a > 12 ? ymd(year(m[3]), b, a) : ymd(year(m[3]), a, b);
  }
  m = /^(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -,]+(\d{4})$/.exec(s);
  if (m && MONTHS.includes(m[2].slice(0, 3).toLowerCase())) return ymd(+m[3], MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1, +m[1]);
  m = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})$/.exec(s);
  if (m && MONTHS.includes(m[1].slice(0, 3).toLowerCase())) return ymd(+m[3], MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1, +m[2]);
  return null;
}
const year = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** "$1,234.50", "1.234,50 €", "EUR 99", "1 299,00" → 1234.5, 1234.5, 99, 1299. */
export function parseCost(raw: string): number | null {
  let s = raw.replace(/[\s\u00a0']/g, '').replace(/^[A-Za-z$€£¥₹]+|[A-Za-z$€£¥₹]+$/g, '');
  const negative = s.startsWith('-') || /^\(.*\)$/.test(s);
  s = s.replace(/^[-(]|\)$/g, '');
  if (!/^[0-9.,]+$/.test(s)) return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    s = lastComma > lastDot ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '');
  } else if (lastComma >= 0) {
    const decimals = s.length - lastComma - 1;
    s = decimals === 3 || s.split(',').length > 2 ? s.replace(/,/g, '') : s.replace(',', '.');
  } else if (s.split('.').length > 2 || /^\d{1,3}\.\d{3}$/.test(s)) s = s.replace(/\./g, '');
  const n = Number(s);
  if (!Number.isFinite(n) || n > 999_999_999_999) return null;
  return negative ? -n : n;
}

/** A date plus whole months (clamped to the month's end: Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return ymd(ny, nm, Math.min(d, last)) ?? date;
}

/** "Site / Building / Room" (or "Site > Building > Room") → its names. */
export const locationNames = (raw: string) => raw.split(/\s*[/>\\]\s*/).map((s) => s.trim()).filter(Boolean);

export const TEMPLATE_HEADER = ['Asset Tag', 'Name', 'Category', 'Manufacturer', 'Model', 'Serial', 'Status', 'Condition', 'Location', 'Department', 'Purchase Date', 'Purchase Cost', 'Warranty Expires', 'Notes'];
export const TEMPLATE_EXAMPLE = ['', 'ThinkPad T14 (Lena)', 'Laptop', 'Lenovo', 'T14 Gen 4', 'PF4ABCD1', 'In stock', 'New', 'HQ / Building A / Room 101', 'IT', '2024-03-15', '1299.00', '2027-03-15', 'Docking station included'];

/** Bytes 0x80–0x9F of Windows-1252 (the rest of its upper half is Latin-1); 0 = unassigned. */
const CP1252 = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b >= 0x80 && b < 0xa0 ? CP1252[b - 0x80] || b : b);
  return out;
}

/**
 * Bytes → text for the CSV parser. UTF-8 (with or without a BOM) unless the first chunk is not valid
 * UTF-8, then Windows-1252: what Excel on Windows and older Snipe-IT exports write. Decided once, on
 * the first chunk (up to 64 KB), so the file streams; a later chunk that is not UTF-8 after all gets
 * replacement characters rather than a silent change of encoding mid-file.
 */
export function decodeCsv(): Transform & { encoding: () => 'utf-8' | 'windows-1252' | null } {
  let chosen: 'utf-8' | 'windows-1252' | null = null;
  let utf8: TextDecoder | null = null;
  let first = true;
  const t = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      if (!chosen) {
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
          chosen = 'utf-8';
        } catch {
          chosen = 'windows-1252';
        }
        if (chosen === 'utf-8') utf8 = new TextDecoder('utf-8');
      }
      let text = chosen === 'utf-8' ? utf8!.decode(chunk, { stream: true }) : decodeWindows1252(chunk);
      if (first) {
        text = text.replace(/^\ufeff/, '');
        first = false;
      }
      done(null, text);
    },
    flush(done) {
      done(null, utf8 ? utf8.decode() : '');
    },
  });
  return Object.assign(t, { encoding: () => chosen });
}
