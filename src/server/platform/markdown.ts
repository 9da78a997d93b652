// Markdown typed by people (ticket descriptions, comments) → HTML that is safe to insert as is:
// rendered once here, sanitised after rendering (raw HTML in Markdown is allowed through marked,
// so sanitising its output is what keeps scripts, event handlers and javascript: links out).
import { createHash } from 'node:crypto';
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** The people an @username in a text names: lower-case username → who. */
export type MentionMap = ReadonlyMap<string, { id: string; name: string }>;

// A username ends in neither "." nor "-", so the full stop of "ask @lena.fischer." is not part of it.
const USERNAME = '[a-zA-Z0-9._-]{1,59}[a-zA-Z0-9_]';
/** Whom a text mentions: also what the comment service notifies. */
export const MENTION = new RegExp(`(^|[\\s(])@(${USERNAME})`, 'g');
const MENTION_AT_START = new RegExp(`^@(${USERNAME})`);
const MENTION_START = new RegExp(`(^|[\\s(])@${USERNAME}`);

export function mentionedUsernames(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((m) => m[2].toLowerCase()))];
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function mentionExtension(mentions: MentionMap): TokenizerAndRendererExtension {
  return {
    name: 'mention',
    level: 'inline',
    // Only an @ at the start or after a space or "(" opens a mention, so e-mail addresses stay text.
    start(src) {
      const m = MENTION_START.exec(src);
      return m ? m.index + m[1].length : undefined;
    },
    tokenizer(src) {
      const m = MENTION_AT_START.exec(src);
      const who = m ? mentions.get(m[1].toLowerCase()) : undefined;
      if (!m || !who) return undefined;
      return { type: 'mention', raw: m[0], id: who.id, name: who.name };
    },
    renderer(token) {
      return `<a href="/users/${encodeURIComponent(String(token.id))}" class="mention">@${escapeHtml(String(token.name))}</a>`;
    },
  };
}

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'del', 'input'],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title'],
    code: ['class'],
    // GitHub-style task lists render as disabled checkboxes.
    input: ['type', 'checked', 'disabled'],
    th: ['align'],
    td: ['align'],
  },
  allowedClasses: { a: ['mention'], code: ['language-*'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => {
      const internal = attribs.href?.startsWith('/') && !attribs.href.startsWith('//');
      // Links to other sites open apart and get neither the opener nor the referrer.
      return internal
        ? { tagName, attribs: { ...attribs, rel: 'noopener' } }
        : { tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } };
    },
    // A picture pasted without a description still gets one, for screen readers.
    img: (tagName, attribs) => ({ tagName, attribs: { ...attribs, alt: attribs.alt?.trim() || 'Image' } }),
    input: (tagName, attribs) => (attribs.type === 'checkbox' ? { tagName, attribs: { ...attribs, disabled: '' } } : { tagName: 'span', attribs: {} }),
  },
};

// Comments are read far more often than written; the rendering is a pure function of the text
// and of whom its mentions name, so it is kept in a small bounded cache instead of in a column.
const CACHE_SIZE = 2000;
const cache = new Map<string, string>();

export function renderMarkdown(text: string, mentions: MentionMap = new Map()): string {
  if (!text.trim()) return '';
  const used = mentionedUsernames(text)
    .filter((u) => mentions.has(u))
    .map((u) => [u, mentions.get(u)]);
  const key = createHash('sha256').update(text).update('\0').update(JSON.stringify(used)).digest('base64url');
  const hit = cache.get(key);
  if (hit !== undefined) {
    // Refresh its place so the cache drops the least recently used entry first.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const marked = new Marked({ gfm: true, breaks: true, async: false, extensions: [mentionExtension(mentions)] });
  const html = sanitizeHtml(marked.parse(text) as string, SANITIZE).trim();
  cache.set(key, html);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return html;
}
