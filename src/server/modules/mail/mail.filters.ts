// Loop and noise protection, and the company's sender rules: pure decisions over a parsed message.
import type { InboundReason } from '../../../shared/contracts/mail.js';
import { LOOP_HEADER as SENT_LOOP_HEADER } from '../../platform/mail.js';
import type { Parsed } from './mail.parse.js';

const AUTO_HEADERS = ['x-autoreply', 'x-autorespond', 'x-auto-reply', 'x-autoresponder', 'x-mail-autoreply', 'x-fc-machinegenerated'];
const BOUNCE_SENDERS = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;
const AUTO_SUBJECT =
  /^(auto(matic)?[ -]?(reply|response|antwort)|out of (the )?office|abwesenheitsnotiz|r[ée]ponse automatique|undeliverable|undelivered mail|delivery status notification|mail delivery failed)\b/i;

/** The header that marks Steward's own mail (lower case, as parsed headers are keyed). */
export const LOOP_HEADER = SENT_LOOP_HEADER.toLowerCase();

/** Why a message must not make or touch a ticket, from its headers alone; null when it may. */
export function noiseReason(m: Parsed, own: { addresses: ReadonlySet<string> }): InboundReason | null {
  const h = m.headers;
  const from = m.from?.address ?? '';
  if (h.has(LOOP_HEADER)) return 'loop';
  if (from && own.addresses.has(from)) return 'loop';
  if (
    m.contentType === 'multipart/report' ||
    m.contentType === 'message/delivery-status' ||
    BOUNCE_SENDERS.test(from) ||
    (h.get('return-path') ?? '').trim() === '<>'
  ) {
    return 'bounce';
  }
  const autoSubmitted = (h.get('auto-submitted') ?? '').split(';')[0].trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (AUTO_HEADERS.some((k) => h.has(k))) return 'auto_reply';
  if ((h.get('x-auto-response-suppress') ?? '').toLowerCase().includes('all') && AUTO_SUBJECT.test(m.subject)) return 'auto_reply';
  const precedence = (h.get('precedence') ?? '').trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') return 'bulk';
  if (precedence === 'auto_reply') return 'auto_reply';
  if (!from) return 'no_sender';
  return null;
}

/** `*` matches any run of characters; a bare domain (`@x.example`, `x.example`) matches every address there. */
function matches(pattern: string, address: string): boolean {
  const p = pattern.trim().toLowerCase();
  if (!p) return false;
  if (!p.includes('@') && !p.includes('*')) return address.endsWith(`@${p}`) || address.endsWith(`.${p}`);
  if (p.startsWith('@') && !p.includes('*')) return address.endsWith(p);
  const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(address);
}

/** The company's allowed domains and deny list (empty allowed list: every domain). */
export function senderReason(address: string, settings: { allowedDomains: string[]; denySenders: string[] }): InboundReason | null {
  const a = address.toLowerCase();
  if (settings.denySenders.some((p) => matches(p, a))) return 'sender_not_allowed';
  if (settings.allowedDomains.length > 0) {
    const domain = a.slice(a.lastIndexOf('@') + 1);
    if (!settings.allowedDomains.some((d) => domain === d.toLowerCase() || domain.endsWith(`.${d.toLowerCase()}`)))
      return 'sender_not_allowed';
  }
  return null;
}
