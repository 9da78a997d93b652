// The mailparser wrapper: any charset (mailparser decodes through iconv-lite and encoding-japanese),
// encoded words in headers, broken MIME on a best effort. It never throws: a message it cannot
// make sense of comes back with what could be read and `broken: true`.
import { createHash } from 'node:crypto';
import { type AddressObject, type ParsedMail, simpleParser } from 'mailparser';

export interface MailAddress {
  address: string;
  name: string;
}

export interface MailPart {
  filename: string;
  contentType: string;
  content: Buffer;
  /** Content-ID without brackets, for an inline image (cid:). */
  cid: string | null;
  inline: boolean;
}

export interface Parsed {
  /** Message-ID, lower case, without brackets; null when absent. */
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress | null;
  subject: string;
  text: string;
  html: string | null;
  /** Header names lower case → the value as a string (first occurrence). */
  headers: Map<string, string>;
  /** The top-level content type, lower case (multipart/report for a DSN). */
  contentType: string;
  attachments: MailPart[];
  date: Date | null;
  broken: boolean;
}

const ID = /<([^<>\s]+)>/g;
/** `<a@b>` → `a@b`: lower case, no brackets. */
export const normaliseId = (id: string): string => id.trim().replace(/^<|>$/g, '').trim().toLowerCase();

/** Every id in a References / In-Reply-To value (bracketed ones, else whitespace-separated tokens). */
export function idsIn(value: unknown): string[] {
  const text = Array.isArray(value) ? value.join(' ') : typeof value === 'string' ? value : '';
  const bracketed = [...text.matchAll(ID)].map((m) => normaliseId(m[1]));
  const ids =
    bracketed.length > 0
      ? bracketed
      : text
          .split(/[\s,]+/)
          .filter((t) => t.includes('@'))
          .map(normaliseId);
  return [...new Set(ids.filter((id) => id.length > 0 && id.length <= 500))];
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const out: MailAddress[] = [];
  const walk = (entries: Array<{ address?: string; name?: string; group?: unknown[] }>) => {
    for (const e of entries) {
      if (Array.isArray(e.group)) walk(e.group as typeof entries);
      else if (e.address && /^[^\s@]+@[^\s@]+$/.test(e.address))
        out.push({ address: e.address.trim().toLowerCase(), name: (e.name ?? '').trim() });
    }
  };
  for (const a of list) walk(a.value ?? []);
  return out;
}

function headerMap(parsed: ParsedMail): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of parsed.headerLines ?? []) {
    const key = line.key.toLowerCase();
    if (map.has(key)) continue;
    const colon = line.line.indexOf(':');
    map.set(key, (colon >= 0 ? line.line.slice(colon + 1) : '').replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return map;
}

/** The raw header block (up to the first blank line), unfolded, for the parts mailparser left out. */
function rawHeaders(raw: Buffer): Map<string, string> {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const block = raw.subarray(0, end >= 0 ? Math.min(end, 256 * 1024) : Math.min(raw.length, 256 * 1024)).toString('latin1');
  const map = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
    if (m && !map.has(m[1].toLowerCase())) map.set(m[1].toLowerCase(), m[2].trim());
  }
  return map;
}

export const rawHash = (raw: Buffer): string => createHash('sha256').update(raw).digest('hex');

/** The Message-ID from the headers alone (cheap: for a message refused before it is parsed). */
export function headerMessageId(raw: Buffer): string | null {
  const id = idsIn(rawHeaders(raw).get('message-id') ?? '')[0];
  return id ?? null;
}

/**
 * The Message-IDs a message is keyed and threaded by, from its headers alone (its own, In-Reply-To,
 * References), lower-cased: a connector that ingests several messages at once runs two that share
 * one (a reply and what it answers, two replies to one message) one after the other.
 */
export function threadKeys(raw: Buffer): string[] {
  const h = rawHeaders(raw);
  const ids = [...idsIn(h.get('message-id') ?? ''), ...idsIn(h.get('in-reply-to') ?? ''), ...idsIn(h.get('references') ?? '')];
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/** The sender from the headers alone (a refused, oversized message still gets its bounce). */
export function headerFrom(raw: Buffer): string | null {
  const from = rawHeaders(raw).get('from') ?? '';
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(from) ?? /([^\s<>"]+@[^\s<>"]+)/.exec(from);
  return m ? m[1].toLowerCase() : null;
}

/**
 * Raw 8-bit bytes in a header (no encoded words: common from old clients) were read as UTF-8 and came
 * out with replacement characters: read them again in the message's own charset, else Windows-1252.
 */
function redecode(value: string, rawValue: string | undefined, contentType: string | undefined): string {
  if (!value.includes('\ufffd') || !rawValue) return value;
  const label = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1] ?? 'windows-1252';
  for (const charset of [label, 'windows-1252']) {
    try {
      return new TextDecoder(charset, { fatal: false }).decode(Buffer.from(rawValue, 'latin1')).replace(/\s+/g, ' ').trim();
    } catch {
      // An unknown label: try the next.
    }
  }
  return value;
}

function fromParsed(parsed: ParsedMail, raw: Buffer, broken: boolean): Parsed {
  const headers = headerMap(parsed);
  for (const [k, v] of rawHeaders(raw)) if (!headers.has(k)) headers.set(k, v);
  const from = addresses(parsed.from)[0] ?? null;
  const replyTo = addresses(parsed.replyTo)[0] ?? null;
  const messageId = parsed.messageId
    ? (idsIn(parsed.messageId)[0] ?? normaliseId(parsed.messageId))
    : (idsIn(headers.get('message-id'))[0] ?? null);
  const contentType = (headers.get('content-type') ?? 'text/plain').split(';')[0].trim().toLowerCase();
  const attachments: MailPart[] = (parsed.attachments ?? []).map((a, i) => ({
    filename: a.filename ?? (a.contentType === 'message/rfc822' ? `message-${i + 1}.eml` : `attachment-${i + 1}`),
    contentType: (a.contentType ?? 'application/octet-stream').toLowerCase(),
    content: Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content ?? ''),
    cid: a.contentId ? normaliseId(a.contentId) : a.cid ? normaliseId(a.cid) : null,
    inline: a.contentDisposition === 'inline' || Boolean(a.related),
  }));
  return {
    messageId: messageId && messageId.length <= 500 ? messageId : null,
    inReplyTo: idsIn(parsed.inReplyTo ?? headers.get('in-reply-to')),
    references: idsIn(parsed.references ?? headers.get('references')),
    from,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    replyTo,
    subject: redecode((parsed.subject ?? '').replace(/\s+/g, ' ').trim(), rawHeaders(raw).get('subject'), headers.get('content-type')),
    text: (parsed.text ?? '').replace(/\r\n/g, '\n'),
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headers,
    contentType,
    attachments,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    broken,
  };
}

/** Parses a raw message; never throws. */
export async function parseMail(raw: Buffer): Promise<Parsed> {
  try {
    const parsed = await simpleParser(raw, {
      skipTextToHtml: true,
      skipTextLinks: true,
      keepCidLinks: true,
      maxHtmlLengthToParse: 2_000_000,
    });
    return fromParsed(parsed, raw, false);
  } catch {
    // A charset label iconv does not know, a cut-off multipart: read it as Latin-1 text, headers first.
    try {
      const parsed = await simpleParser(
        Buffer.from(raw.toString('latin1').replace(/charset\s*=\s*"?[^";\s]+"?/gi, 'charset=latin1'), 'latin1'),
        {
          skipTextToHtml: true,
          skipTextLinks: true,
          keepCidLinks: true,
        },
      );
      return fromParsed(parsed, raw, true);
    } catch {
      const headers = rawHeaders(raw);
      const body = raw.toString('latin1');
      const split = body.search(/\r?\n\r?\n/);
      return {
        messageId: idsIn(headers.get('message-id'))[0] ?? null,
        inReplyTo: idsIn(headers.get('in-reply-to')),
        references: idsIn(headers.get('references')),
        from: headerFrom(raw) ? { address: headerFrom(raw) as string, name: '' } : null,
        to: [],
        cc: [],
        replyTo: null,
        subject: headers.get('subject') ?? '',
        text: split >= 0 ? body.slice(split).trim() : '',
        html: null,
        headers,
        contentType: (headers.get('content-type') ?? 'text/plain').split(';')[0].trim().toLowerCase(),
        attachments: [],
        date: null,
        broken: true,
      };
    }
  }
}
