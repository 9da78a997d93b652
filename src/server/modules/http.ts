// Small pieces every module's routes share: the plugin type, the service context, id conversion and
// keyset cursors. The field schemas are the contracts' (src/shared/contracts/common.ts), re-exported.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { requestInfo } from '../platform/auth.js';
import { uploadParts } from '../platform/multipart.js';
import type { Ctx, Deps } from '../platform/context.js';
import { AppError } from '../platform/errors.js';

export {
  color,
  email,
  errorBody,
  idParam,
  idString,
  listQuery,
  name,
  password,
  slug,
  theme,
  timezone,
  username,
  wrapped,
} from '../../shared/contracts/common.js';
export { THEMES } from '../../shared/contracts/enums.js';

export type ModulePlugin = FastifyPluginAsyncZod<{ deps: Deps }>;

export const ctxOf = (deps: Deps, request: FastifyRequest): Ctx => ({ deps, actor: request.actor, info: requestInfo(request) });

export const toId = (id: string): number => Number(id);
export const optionalId = (id: string | null | undefined): number | null | undefined =>
  id === undefined ? undefined : id === null ? null : Number(id);

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor<T extends unknown[]>(cursor: string | undefined, shape: z.ZodType<T>): T | null {
  if (!cursor) return null;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('validation', 'The cursor is not valid', { fields: { cursor: 'not a cursor from this list' } });
  }
}

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export function wrap<K extends string, T extends object>(key: K, value: T): T & { [P in K]: T } {
  return { ...value, [key]: value } as T & { [P in K]: T };
}

/** `If-Match: 3`, `"3"` or `W/"3"`. */
export function versionFrom(header: string | string[] | undefined, required: boolean): number | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) {
    if (required) throw new AppError('precondition_required', 'Send the If-Match header with the ticket version you edited', { header: 'If-Match' });
    return null;
  }
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(raw.trim());
  if (!m) throw new AppError('validation', 'If-Match must be the ticket version', { fields: { 'If-Match': 'must be a version number' } });
  return Number(m[1]);
}

/** The request's multipart parts in the service's terms; a body that is not multipart is refused (415). */
export const partsOf = (req: FastifyRequest, limits?: { fileSize: number }) => uploadParts(req, 'Send the file as multipart/form-data in the field "file"', limits);

export const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf']);

/** `attachment; filename="ascii"; filename*=UTF-8''…` (inline for images and PDF). */
export function contentDisposition(name: string, contentType: string): string {
  const kind = INLINE_TYPES.has(contentType) ? 'inline' : 'attachment';
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** Sends a stored file for download with the headers every file route uses (typed, no sniffing, sandboxed). */
export function sendStoredFile(reply: FastifyReply, file: { name: string; size: number; contentType: string; stream: unknown }) {
  return reply
    .header('content-type', file.contentType.startsWith('text/') ? `${file.contentType}; charset=utf-8` : file.contentType)
    .header('content-length', String(file.size))
    .header('content-disposition', contentDisposition(file.name, file.contentType))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-cache')
    .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
    .send(file.stream);
}

/** The page of a keyset query that fetched `limit + 1` rows, and the cursor to the next one (null on the last). */
export function cutPage<R>(rows: R[], limit: number, cursorOf: (last: R) => unknown[]): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
