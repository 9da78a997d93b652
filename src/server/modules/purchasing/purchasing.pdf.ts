// The purchase order as a document a supplier accepts: buying company header with its logo, vendor
// and ship-to blocks, the lines as a table whose header repeats on every page, tax and totals,
// payment terms and "Page n of m". pdfkit loads on first use (like the label sheets).
import { formatMoney } from '../../../shared/money.js';

export interface PdfParty {
  name: string;
  address: string;
}

export interface PurchaseOrderDocument {
  number: string;
  /** The order date as printed (the company's date). */
  date: string;
  currency: string;
  buyingCompany: PdfParty & { logo: Buffer | null };
  vendor: PdfParty & { contactName: string | null; email: string | null };
  shipTo: PdfParty;
  lines: Array<{ description: string; quantity: number; unitPrice: number; lineCents: bigint; costCode: string | null }>;
  taxRate: number;
  subtotalCents: bigint;
  taxCents: bigint;
  totalCents: bigint;
  paymentTerms: string | null;
  notes: string | null;
  /** A draft preview says so across the page. */
  draft: boolean;
}

const MARGIN = 50;
const COLUMNS = [
  { key: '#', width: 28, align: 'left' },
  { key: 'Description', width: 227, align: 'left' },
  { key: 'Quantity', width: 60, align: 'right' },
  { key: 'Unit price', width: 70, align: 'right' },
  { key: 'Amount', width: 110, align: 'right' },
] as const;

const qty = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 3 });
const price = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });

export async function renderPurchaseOrderPdf(po: PurchaseOrderDocument): Promise<Buffer> {
  return (await layOutPurchaseOrderPdf(po)).finish(po.number);
}

/**
 * The document laid out except for its number (header and every page's footer), which `finish` prints
 * before the PDF is written out: finalising lays the order out before it takes the number's counter
 * row and only finishes the document while holding it (docs/decisions/0004-po-number-after-render.md).
 */
export async function layOutPurchaseOrderPdf(
  po: Omit<PurchaseOrderDocument, 'number'>,
): Promise<{ finish(number: string): Promise<Buffer> }> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: 'Purchase order', Author: po.buyingCompany.name, Creator: 'Steward' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 30;

  // Header: logo and buying company on the left, the document's title, number and date on the right.
  let top = MARGIN;
  if (po.buyingCompany.logo) {
    try {
      doc.image(po.buyingCompany.logo, MARGIN, top, { fit: [140, 60] });
      top += 66;
    } catch {
      // A logo pdfkit cannot read is left out rather than failing the order.
    }
  }
  doc.font('Helvetica-Bold').fontSize(12).text(po.buyingCompany.name, MARGIN, top, { width: 260 });
  doc.font('Helvetica').fontSize(9).text(po.buyingCompany.address, { width: 260 });
  const leftEnd = doc.y;
  doc
    .font('Helvetica-Bold')
    .fontSize(18)
    .text('PURCHASE ORDER', MARGIN + 260, MARGIN, { width: width - 260, align: 'right' });
  if (po.draft)
    doc
      .fillColor('#c92a2a')
      .fontSize(10)
      .text('DRAFT - not valid as an order', { width: width - 260, align: 'right' })
      .fillColor('black');
  doc.font('Helvetica').fontSize(10);
  // The number's line is kept free here and printed by finish (one line: a number is short).
  const numberAt = { x: doc.x, y: doc.y };
  doc.y += doc.heightOfString('Number:', { width: width - 260 });
  doc.text(`Date: ${po.date}`, { width: width - 260, align: 'right' });
  doc.text(`Currency: ${po.currency}`, { width: width - 260, align: 'right' });
  doc.y = Math.max(leftEnd, doc.y) + 20;

  // Vendor and ship-to side by side.
  const blockTop = doc.y;
  const half = width / 2 - 10;
  doc.font('Helvetica-Bold').fontSize(10).text('Vendor', MARGIN, blockTop, { width: half });
  doc.font('Helvetica').fontSize(9).text(po.vendor.name, { width: half });
  if (po.vendor.address) doc.text(po.vendor.address, { width: half });
  if (po.vendor.contactName) doc.text(`Attn: ${po.vendor.contactName}`, { width: half });
  if (po.vendor.email) doc.text(po.vendor.email, { width: half });
  const vendorEnd = doc.y;
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text('Ship to', MARGIN + half + 20, blockTop, { width: half });
  doc.font('Helvetica').fontSize(9).text(po.shipTo.name, { width: half });
  if (po.shipTo.address) doc.text(po.shipTo.address, { width: half });
  doc.x = MARGIN;
  doc.y = Math.max(vendorEnd, doc.y) + 20;

  // The lines: one pdfkit table per page, each starting with the header row.
  const header = COLUMNS.map((c) => c.key);
  const rows = po.lines.map((l, i) => [
    String(i + 1),
    l.costCode ? `${l.description}\nCost code: ${l.costCode}` : l.description,
    qty(l.quantity),
    price(l.unitPrice),
    formatMoney(l.lineCents),
  ]);
  doc.font('Helvetica').fontSize(9);
  const rowHeight = (r: string[]) => doc.heightOfString(r[1], { width: COLUMNS[1].width - 10 }) + 12;
  const table = (data: string[][]) =>
    doc.table({
      columnStyles: COLUMNS.map((c) => ({ width: c.width, align: { x: c.align, y: 'top' }, padding: 5 })),
      rowStyles: (i: number) =>
        i === 0 ? { font: { src: 'Helvetica-Bold' }, backgroundColor: '#eeeeee' } : { font: { src: 'Helvetica' } },
      data,
    });
  let pageRows: string[][] = [];
  let y = doc.y + rowHeight(header);
  for (const r of rows) {
    const h = rowHeight(r);
    if (y + h > bottom() && pageRows.length > 0) {
      table([header, ...pageRows]);
      doc.addPage();
      pageRows = [];
      y = doc.y + rowHeight(header);
    }
    pageRows.push(r);
    y += h;
  }
  table([header, ...pageRows]);

  // Totals, right-aligned under the amount column; kept together on one page.
  if (doc.y + 90 > bottom()) doc.addPage();
  doc.moveDown(1);
  const labelX = MARGIN + width - 250;
  const totalLine = (label: string, value: string, bold = false) => {
    const lineY = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(10);
    doc.text(label, labelX, lineY, { width: 140, align: 'right' });
    doc.text(value, labelX + 140, lineY, { width: 110, align: 'right' });
    doc.moveDown(0.3);
  };
  totalLine('Subtotal', `${po.currency} ${formatMoney(po.subtotalCents)}`);
  totalLine(`Tax (${po.taxRate}%)`, `${po.currency} ${formatMoney(po.taxCents)}`);
  totalLine('Total', `${po.currency} ${formatMoney(po.totalCents)}`, true);
  doc.x = MARGIN;
  doc.moveDown(1.5);
  if (po.paymentTerms) {
    doc.font('Helvetica-Bold').fontSize(10).text('Payment terms', MARGIN, doc.y, { width });
    doc.font('Helvetica').fontSize(9).text(po.paymentTerms, { width });
    doc.moveDown(0.8);
  }
  if (po.notes) {
    doc.font('Helvetica-Bold').fontSize(10).text('Notes', MARGIN, doc.y, { width });
    doc.font('Helvetica').fontSize(9).text(po.notes, { width });
  }

  // Page numbers once the page count is known (bufferPages keeps every page open until now).
  const finish = (number: string) => {
    doc.info.Title = `Purchase order ${number}`;
    const range = doc.bufferedPageRange();
    doc.switchToPage(range.start);
    doc
      .font('Helvetica')
      .fontSize(10)
      .text(`Number: ${number}`, numberAt.x, numberAt.y, { width: width - 260, align: 'right', lineBreak: false });
    for (let i = 0; i < range.count; i++) {
      doc.switchToPage(range.start + i);
      // Below the bottom margin pdfkit would start a new page for the footer; it belongs on this one.
      doc.page.margins.bottom = 0;
      doc.font('Helvetica').fontSize(8);
      doc.text(`${number} · Page ${i + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN - 10, {
        width,
        align: 'center',
        lineBreak: false,
      });
    }
    doc.end();
    return done;
  };
  return { finish };
}
