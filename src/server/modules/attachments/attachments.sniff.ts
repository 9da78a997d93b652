// What an uploaded file really is, from its bytes (never from the client's type or name): a small
// pass-through stream that watches the upload on its way to storage, and the decision afterwards.
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { Storage } from '../../platform/storage.js';
import { AppError } from '../../platform/errors.js';

const HEAD_BYTES = 1024;

/** Watches bytes going through: keeps the first KiB and checks the whole is UTF-8 without NULs. */
export class Inspector extends Transform {
  head = Buffer.alloc(0);
  textual = true;
  private decoder = new TextDecoder('utf-8', { fatal: true });

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, HEAD_BYTES - this.head.length)]);
    if (this.textual) {
      if (chunk.includes(0)) this.textual = false;
      else {
        try {
          this.decoder.decode(chunk, { stream: true });
        } catch {
          this.textual = false;
        }
      }
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.textual) {
      try {
        this.decoder.decode();
      } catch {
        this.textual = false;
      }
    }
    done();
  }
}

const OFFICE: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

const startsWith = (b: Buffer, bytes: number[], at = 0) => b.length >= at + bytes.length && bytes.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Markup or scripts a browser (or a shell) would run: refused whatever the name says. */
function isActiveContent(head: Buffer): boolean {
  let text = head.toString('latin1');
  if (text.startsWith('\xef\xbb\xbf')) text = text.slice(3);
  else if (text.startsWith('\xff\xfe') || text.startsWith('\xfe\xff')) text = head.subarray(2).toString(text.startsWith('\xff\xfe') ? 'utf16le' : 'latin1').replace(/\0/g, '');
  text = text.trimStart().toLowerCase();
  if (text.startsWith('#!')) return true;
  if (/^<(!doctype\s+html|html|head|body|svg|script|iframe|object|embed|xsl:stylesheet)[\s>/]/.test(text)) return true;
  if (text.startsWith('<?xml') || text.startsWith('<!--')) return /<(svg|html|script|xsl:stylesheet)[\s>/]/.test(text);
  return false;
}

/** The content type to store and serve, or 415 for active content. */
export function detectType(head: Buffer, textual: boolean, fileName: string): string {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  // Videos and audio notes (parts and vendors keep them): served with their type, so they play.
  if (startsWith(head, ascii('ftyp'), 4)) {
    const brand = head.subarray(8, 12).toString('latin1');
    return brand === 'M4A ' ? 'audio/mp4' : brand === 'qt  ' ? 'video/quicktime' : 'video/mp4';
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
  if (startsWith(head, ascii('OggS'))) return 'audio/ogg';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WAVE'), 8)) return 'audio/wav';
  if (startsWith(head, ascii('ID3')) || startsWith(head, [0xff, 0xfb]) || startsWith(head, [0xff, 0xf3]) || startsWith(head, [0xff, 0xf2])) return 'audio/mpeg';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const ext = /\.([a-z0-9]{1,8})$/i.exec(fileName)?.[1].toLowerCase() ?? '';
    return OFFICE[ext] ?? 'application/zip';
  }
  if (isActiveContent(head)) {
    throw new AppError('unsupported_media_type', 'HTML, SVG and scripts cannot be attached', { fields: { file: 'active content is not allowed' } });
  }
  if (textual) return /\.csv$/i.test(fileName) ? 'text/csv' : 'text/plain';
  return 'application/octet-stream';
}

/** The original name, made safe to keep and to show: no path, no control characters, 200 characters at most. */
export function sanitiseName(raw: string | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, '');
  if ([...name].length > 200) {
    const ext = /\.[A-Za-z0-9]{1,10}$/.exec(name)?.[0] ?? '';
    name = [...name].slice(0, 200 - ext.length).join('') + ext;
  }
  return name || 'file';
}


/** A file streamed into storage: its server-made key, sanitised name, size and sniffed type. */
export interface StoredUpload {
  key: string;
  name: string;
  size: number;
  contentType: string;
}

/**
 * Streams one uploaded file into storage while sniffing its type. `track` receives the record
 * before any byte is written, so a caller can remove the object if anything fails later; a file
 * cut off at the size limit is refused with 413 (the caller's cleanup removes what was stored).
 */
export async function storeUpload(
  deps: { storage: Storage; config: { uploadLimitBytes: number } },
  key: string,
  part: { filename: string; stream: Readable & { truncated?: boolean } },
  track: (file: StoredUpload) => void,
  what = 'The file',
): Promise<StoredUpload> {
  const inspector = new Inspector();
  part.stream.pipe(inspector);
  part.stream.on('error', (err) => inspector.destroy(err));
  // The upload may fail before storage pipes the inspector (it creates folders first): storage's
  // pipeline sees the error then, and an 'error' with no listener meanwhile would crash the process.
  inspector.on('error', () => {});
  const file: StoredUpload = { key, name: sanitiseName(part.filename), size: 0, contentType: 'application/octet-stream' };
  track(file);
  file.size = (await deps.storage.put(key, inspector)).size;
  if (part.stream.truncated) {
    const limitBytes = deps.config.uploadLimitBytes;
    throw new AppError('payload_too_large', `${what} is larger than ${Math.floor(limitBytes / 1024)} KiB`, { limitBytes });
  }
  file.contentType = detectType(inspector.head, inspector.textual, file.name);
  return file;
}
