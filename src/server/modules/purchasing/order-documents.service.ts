// A purchase order's document: finalisation (its number, the frozen totals and parties, the PDF and
// the vendor's e-mail through the outbox, all in one transaction), sending it again, and the PDF of
// any order (a draft's is a preview with the parties as they are now).
import { centsToDecimal, orderTotals } from '../../../shared/money.js';
import type { UserActor } from '../../platform/actor.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Scope, Tx } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { liveParties, type Parties, partiesOf } from './purchasing.dto.js';
import { purchaseOrderMail } from './purchasing.mail.js';
import { renderPattern } from './purchasing.number.js';
import { layOutPurchaseOrderPdf, type PurchaseOrderDocument, renderPurchaseOrderPdf } from './purchasing.pdf.js';
import * as repo from './purchasing.repo.js';
import { settingsIn } from './purchasing.service.js';
import { emitWebhookEvent } from '../webhooks/webhooks.service.js';
import { loadOrder, lockDraft, recordEvent } from './orders.service.js';

/** Today in the company's zone, as printed on the order (one formatter per zone: building one costs more than using it). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const companyDate = (at: Date, timeZone: string) => {
  let f = dateFormats.get(timeZone);
  if (!f)
    dateFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  return f.format(at);
};

async function documentOf(
  tx: Tx,
  tenantId: number,
  o: Omit<repo.OrderRow, 'pdf'>,
  parties: Parties,
  number: string,
  at: Date,
  known: { lines?: repo.LineRow[]; timeZone?: string } = {},
): Promise<PurchaseOrderDocument> {
  const lines = known.lines ?? (await repo.linesOf(tx, tenantId, o.id));
  const logo = await repo.buyingCompanyLogo(tx, tenantId, o.buyingCompanyId);
  const timeZone = known.timeZone ?? (await repo.companyTimezone(tx, tenantId));
  const t = orderTotals(lines, parties.shipTo.taxRate);
  return {
    number,
    date: companyDate(at, timeZone),
    currency: o.currency,
    buyingCompany: { ...parties.buyingCompany, logo: logo?.logo ?? null },
    vendor: parties.vendor,
    shipTo: parties.shipTo,
    lines: lines.map((l) => ({
      description: l.description,
      quantity: Number(l.quantity),
      unitPrice: Number(l.unitPrice),
      lineCents: orderTotals([l], 0).subtotal,
      costCode: l.costCode,
    })),
    taxRate: parties.shipTo.taxRate,
    subtotalCents: t.subtotal,
    taxCents: t.tax,
    totalCents: t.total,
    paymentTerms: parties.vendor.paymentTerms,
    notes: o.notes,
    draft: o.status === 'draft',
  };
}

/** The stored document of a finalised PO; a draft renders a marked preview from its current state. */
export async function orderPdf(ctx: Ctx, id: number): Promise<{ content: Buffer; fileName: string }> {
  const actor = requireUser(ctx);
  const found = await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const row = await repo.findOrderWithParties(tx, actor.tenantId, id);
    if (!row) throw notFound('Purchase order');
    const stored = row.o.status === 'draft' ? null : await repo.storedPdf(tx, actor.tenantId, id);
    if (stored) return { stored, number: row.o.number! };
    if (row.o.status === 'draft') {
      return {
        render: await documentOf(tx, actor.tenantId, row.o, liveParties(row), `Draft ${row.o.id}`, new Date()),
        number: `draft-${row.o.id}`,
        keep: false,
      };
    }
    return { render: await finalDocument(tx, actor.tenantId, row), number: row.o.number!, keep: true };
  });
  if ('stored' in found) return { content: found.stored!, fileName: `${found.number}.pdf` };
  // Rendered outside the transaction; a finalised PO without its document (demo data) keeps it from now on.
  const content = await renderPurchaseOrderPdf(found.render);
  if (found.keep) await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.keepPdf(tx, actor.tenantId, id, content));
  return { content, fileName: `${found.number}.pdf` };
}

/** A finalised PO's document from its frozen parties, number and date. */
const finalDocument = (tx: Tx, tenantId: number, row: repo.OrderWithParties) =>
  documentOf(tx, tenantId, row.o, partiesOf(row), row.o.number!, row.o.finalizedAt ?? row.o.createdAt);

async function nextNumber(tx: Tx, tenantId: number, pattern: string, at: Date, timeZone: string): Promise<string> {
  const { key, format } = renderPattern(pattern, at, timeZone);
  // Numbers someone's earlier pattern already produced are skipped, not reused.
  for (;;) {
    const number = format(await repo.nextCounter(tx, tenantId, key));
    if (!(await repo.numberTaken(tx, tenantId, number))) return number;
  }
}

/**
 * Draft → sent: the number, totals at the ship-to's rate, the parties frozen, the PDF rendered and
 * stored, and the vendor's e-mail with the PDF queued — one transaction, so a number is never
 * given to a PO that was not finalised and a mail never goes out for one that was not (a render that
 * fails rolls it all back). Rendering is CPU work, laid out before the number's counter row is
 * taken; the only I/O (SMTP) happens after commit.
 */
export async function finalizeOrder(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, (scope) => finalizeOrderIn(scope, ctx.deps, actor, id));
}

/**
 * `deferDocument` (demo data only): no PDF now and no mail; the document is rendered from the
 * frozen order on its first download. Keeps a demo setup from rendering twenty PDFs.
 */
export async function finalizeOrderIn(scope: Scope, deps: Deps, actor: UserActor, id: number, opts: { deferDocument?: boolean } = {}) {
  const tenantId = actor.tenantId;
  const { tx } = scope;
  const o = await lockDraft(tx, tenantId, id);
  const lines = await repo.linesOf(tx, tenantId, id, true);
  if (lines.length === 0) throw invalid({ lines: 'a purchase order needs at least one line' });
  const row = (await repo.findOrderWithParties(tx, tenantId, id))!;
  const parties = liveParties(row);
  const settings = await settingsIn(tx, tenantId);
  const at = new Date();
  // The document is laid out before the number is taken: the counter row, locked from nextNumber to
  // the commit, is held only while the number is printed and the PDF written out (decision 0004).
  const timeZone = await repo.companyTimezone(tx, tenantId);
  const unnumbered = await documentOf(tx, tenantId, { ...o, status: 'sent' }, parties, '', at, { lines, timeZone });
  const layout = opts.deferDocument ? null : await layOutPurchaseOrderPdf(unnumbered);
  const number = await nextNumber(tx, tenantId, settings.poNumberPattern, at, timeZone);
  const pdf = layout ? await layout.finish(number) : null;
  const document = { ...unnumbered, number };
  await repo.updateOrder(tx, tenantId, id, {
    number,
    status: 'sent',
    taxRate: String(parties.shipTo.taxRate),
    subtotal: centsToDecimal(document.subtotalCents),
    tax: centsToDecimal(document.taxCents),
    total: centsToDecimal(document.totalCents),
    snapshot: parties as never,
    pdf,
    finalizedAt: at,
    finalizedById: actor.userId,
  });
  await recordEvent(scope, actor, id, 'finalized', { number, total: centsToDecimal(document.totalCents) });
  if (pdf) await mailVendor(scope, deps, actor, id, document, pdf);
  const answer = await loadOrder(tx, actor, id, lines);
  await emitWebhookEvent(scope, 'purchase_order.finalized', { purchaseOrder: answer });
  return answer;
}

/** Queues the order mail (with the PDF) to the vendor's address and records it; no address, no mail. */
async function mailVendor(scope: Scope, deps: Deps, actor: UserActor, id: number, document: PurchaseOrderDocument, pdf: Buffer) {
  const to = document.vendor.email;
  if (!to) {
    await recordEvent(scope, actor, id, 'sent', { mailed: false, reason: 'the vendor has no e-mail address' });
    return;
  }
  const mailId = await deps.mailer.queue(scope, actor.tenantId, purchaseOrderMail({ to, document, pdf, sender: actor.name }));
  await recordEvent(scope, actor, id, 'sent', { mailed: true, to, mailId: String(mailId) });
}

/** Sends the stored document to the vendor again (lost mail, a new contact). */
export async function sendAgain(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  const tenantId = actor.tenantId;
  return ctx.deps.database.withTenant(tenantId, async (scope) => {
    const { tx } = scope;
    const row = await repo.findOrderWithParties(tx, tenantId, id);
    if (!row) throw notFound('Purchase order');
    if (!['sent', 'partly_received', 'received'].includes(row.o.status)) {
      throw new AppError('invalid_transition', `A ${row.o.status.replace('_', ' ')} purchase order is not sent to the vendor`, {
        status: row.o.status,
      });
    }
    const document = await finalDocument(tx, tenantId, row);
    let pdf = await repo.storedPdf(tx, tenantId, id);
    if (!pdf) {
      pdf = await renderPurchaseOrderPdf(document);
      await repo.keepPdf(tx, tenantId, id, pdf);
    }
    // The order's mail goes to the vendor's address of today (a new contact), the document stays as it was.
    await mailVendor(
      scope,
      ctx.deps,
      actor,
      id,
      { ...document, vendor: { ...document.vendor, email: liveParties(row).vendor.email } },
      pdf,
    );
    return loadOrder(tx, actor, id);
  });
}
