// The text of a PDF made by pdfkit, page by page, without external tools: inflate each page's
// content stream and decode the strings of its text operators (pdfkit writes WinAnsi hex strings).
import { inflateSync } from 'node:zlib';

function decodeHex(hex: string): string {
  const bytes = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
  return bytes.toString('latin1');
}

/** Text of each content stream in file order (pdfkit writes one per page), lines joined by newlines. */
export function pdfPages(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const pages: string[] = [];
  const re = /<<([\s\S]*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) {
    const dict = m[1];
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? -1);
    if (length < 0 || /\/Subtype \/Image/.test(dict)) continue;
    const start = m.index + m[0].length;
    let body = pdf.subarray(start, start + length);
    if (/\/FlateDecode/.test(dict)) {
      try {
        body = inflateSync(body);
      } catch {
        continue;
      }
    }
    const ops = body.toString('latin1');
    if (!/\bBT\b/.test(ops)) continue;
    const lines: string[] = [];
    for (const t of ops.matchAll(/\[((?:<[0-9a-fA-F\s]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F\s]*)>\s*Tj/g)) {
      const parts = t[1] !== undefined ? [...t[1].matchAll(/<([0-9a-fA-F\s]*)>/g)].map((p) => decodeHex(p[1])) : [decodeHex(t[2])];
      lines.push(parts.join(''));
    }
    pages.push(lines.join('\n'));
  }
  return pages;
}
