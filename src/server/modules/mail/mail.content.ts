// What a message shows on a ticket: its own words without the quoted earlier conversation (the raw
// message keeps it), HTML sanitised (no scripts, styles, remote images or forms), cid: images pointed
// at their stored attachments.
import EmailReplyParserModule from 'email-reply-parser';
import sanitizeHtml from 'sanitize-html';

const EmailReplyParser =
  (EmailReplyParserModule as unknown as { default?: typeof EmailReplyParserModule }).default ?? EmailReplyParserModule;
const MAX_BODY = 50_000;

/** Plain text of an HTML-only message: block ends become line breaks, entities decoded. */
export function htmlToText(html: string): string {
  const marked = html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h[1-6])\b[^>]*>/gi, '\n');
  const text = sanitizeHtml(marked, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['style', 'script', 'textarea', 'option', 'head', 'title'],
  });
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n');
}

/** The first lines of common quote headers the reply parser misses (Outlook, German, French clients). */
const QUOTE_STARTS = [
  /^-{2,}\s*Original Message\s*-{2,}/im,
  /^-{2,}\s*Ursprüngliche Nachricht\s*-{2,}/im,
  /^_{10,}\s*$\n^(From|Von|De):/im,
  /^(From|Von|De):\s.*\n^(Sent|Gesendet|Envoyé|Date):\s/im,
];

/** The message's own text: quoted history and signatures the parser recognises are dropped. */
export function ownText(text: string, html: string | null): string {
  let body = text.trim() ? text : html ? htmlToText(html.slice(0, 1_000_000)) : '';
  // The comment keeps at most MAX_BODY characters; the reply parser's regexes never see megabytes.
  body = body.slice(0, MAX_BODY * 2).replace(/\r\n/g, '\n');
  for (const re of QUOTE_STARTS) {
    const at = body.search(re);
    if (at > 0) body = body.slice(0, at);
  }
  let reply = body;
  try {
    reply = new EmailReplyParser().parseReply(body);
  } catch {
    reply = body;
  }
  const out = (reply.trim() || body.trim()).slice(0, MAX_BODY);
  return out;
}

/** Where Outlook and others start the quoted conversation in HTML: everything from there is cut. */
const HTML_QUOTE_MARKERS = [
  /<div[^>]+id=["']?divRplyFwdMsg/i,
  /<div[^>]+id=["']?appendonsend/i,
  /<hr[^>]+id=["']?stopSpelling/i,
  /<div[^>]+class=["'][^"']*\bOutlookMessageHeader/i,
];

/** Sanitised HTML of the message's own part; `cidUrl` gives the stored URL of an inline image. */
export function ownHtml(html: string, cidUrl: (cid: string) => string | null): string {
  let cut = html.slice(0, 2_000_000);
  for (const re of HTML_QUOTE_MARKERS) {
    const at = cut.search(re);
    if (at > 0) cut = cut.slice(0, at);
  }
  return sanitizeHtml(cut, {
    allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'span', 'font', 'u', 's'],
    allowedAttributes: {
      a: ['href', 'title', 'rel', 'target'],
      img: ['src', 'alt', 'title'],
      td: ['colspan', 'rowspan', 'align'],
      th: ['colspan', 'rowspan', 'align'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: [] },
    allowProtocolRelative: false,
    // Quoted earlier messages (Gmail, Apple Mail, Thunderbird) and anything marked as a quote.
    exclusiveFilter: (frame) =>
      (frame.tag === 'blockquote' && (frame.attribs.type === 'cite' || /gmail_quote/.test(frame.attribs.class ?? ''))) ||
      (frame.tag === 'div' && /\b(gmail_quote|moz-cite-prefix|yahoo_quoted)\b/.test(frame.attribs.class ?? '')) ||
      (frame.tag === 'img' && !frame.attribs.src),
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
      // Only our own stored inline images are shown: remote images are trackers (and leak the reader's address).
      img: (tagName, attribs) => {
        const src = attribs.src ?? '';
        const url = /^cid:/i.test(src) ? cidUrl(src.slice(4).trim().replace(/^<|>$/g, '').toLowerCase()) : null;
        return url ? { tagName, attribs: { ...attribs, src: url, alt: attribs.alt?.trim() || 'Image' } } : { tagName, attribs: {} };
      },
    },
  }).slice(0, 500_000);
}
