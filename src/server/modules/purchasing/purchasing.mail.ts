// The order mail to the vendor: a short cover note with the PO's essentials; the PDF is the order.
import { formatMoney } from '../../../shared/money.js';
import type { MailMessage } from '../../platform/mail.js';
import type { PurchaseOrderDocument } from './purchasing.pdf.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function purchaseOrderMail(p: { to: string; document: PurchaseOrderDocument; pdf: Buffer; sender: string }): MailMessage {
  const d = p.document;
  const lines = [
    `Dear ${d.vendor.contactName ?? d.vendor.name},`,
    `please find attached our purchase order ${d.number} of ${d.date} (${d.lines.length} ${d.lines.length === 1 ? 'line' : 'lines'}, total ${d.currency} ${formatMoney(d.totalCents)}).`,
    `Deliver to: ${d.shipTo.name}${d.shipTo.address ? `, ${d.shipTo.address.replace(/\s*\n\s*/g, ', ')}` : ''}.`,
    'Please quote the order number on your delivery note and invoice.',
    `Kind regards,\n${p.sender}\n${d.buyingCompany.name}`,
  ];
  return {
    template: 'purchase_order',
    to: p.to,
    subject: `Purchase order ${d.number} from ${d.buyingCompany.name}`,
    text: `${lines.join('\n\n')}\n`,
    html: lines.map((l) => `<p>${esc(l).replace(/\n/g, '<br>')}</p>`).join(''),
    attachments: [{ name: `${d.number}.pdf`, contentType: 'application/pdf', content: p.pdf }],
  };
}
