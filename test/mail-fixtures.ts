// Raw messages for the mail tests: a builder for the ordinary ones, and the .eml fixtures of
// test/fixtures/mail/ (charsets, broken MIME, auto-replies) read as bytes.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DIR = path.join(import.meta.dirname, 'fixtures/mail');

export const fixture = (name: string): Buffer => readFileSync(path.join(DIR, name));
export const fixtureNames = (): string[] =>
  readdirSync(DIR)
    .filter((f) => f.endsWith('.eml'))
    .sort();

export const newId = (domain = 'client.example') => `${randomBytes(6).toString('hex')}@${domain}`;

export interface Eml {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  text?: string;
  html?: string;
}

/** A plain (or text + HTML) message with CRLF line ends. */
export function eml(m: Eml): Buffer {
  const lines: string[] = [];
  lines.push(`From: ${m.from ?? 'Alice Example <alice@client.example>'}`);
  lines.push(`To: ${m.to ?? 'help@acme.test'}`);
  if (m.cc) lines.push(`Cc: ${m.cc}`);
  lines.push(`Subject: ${m.subject ?? 'Printer on floor 3 is jammed'}`);
  lines.push('Date: Tue, 01 Dec 2026 10:00:00 +0000');
  if (m.messageId !== null) lines.push(`Message-ID: <${m.messageId ?? newId()}>`);
  if (m.inReplyTo) lines.push(`In-Reply-To: <${m.inReplyTo}>`);
  if (m.references?.length) lines.push(`References: ${m.references.map((r) => `<${r}>`).join(' ')}`);
  for (const [k, v] of Object.entries(m.headers ?? {})) lines.push(`${k}: ${v}`);
  lines.push('MIME-Version: 1.0');
  const text = m.text ?? 'It shows error 42 and will not print.';
  if (m.html) {
    const b = `b-${randomBytes(4).toString('hex')}`;
    lines.push(
      `Content-Type: multipart/alternative; boundary="${b}"`,
      '',
      `--${b}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      text,
      `--${b}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      m.html,
      `--${b}--`,
      '',
    );
  } else {
    lines.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', text, '');
  }
  return Buffer.from(lines.join('\r\n'), 'utf8');
}
