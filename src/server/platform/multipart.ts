// The one reader of multipart uploads, shared by every upload route: the request's parts in the
// services' terms, with a malformed body (no boundary, cut off, NUL in a field) turned into a 4xx.
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError, invalid } from './errors.js';
import { NUL_MESSAGE } from './input.js';

/** One part of a multipart upload, as the route hands it over (services never see the request). */
export type UploadPart =
  | { type: 'field'; name: string; value: unknown }
  | { type: 'file'; name: string; filename: string; stream: Readable & { truncated?: boolean } };

const unreadable = (reason: string) => new AppError('bad_request', 'The multipart body cannot be read', { reason });

/** Errors of the multipart plugin carry their own 4xx (413 for limits); busboy's parse errors carry none. */
function asClientError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status < 500) return err;
  return unreadable((err as Error).message ?? String(err));
}

/**
 * The file's bytes through a stream that fails with a 400 when the body ends before the part does:
 * the multipart plugin destroys a cut-off file stream without an error (often before the part is
 * handed over), so a consumer piping it (csv-parse, storage) would wait for an end that never comes.
 * The error is raised only while the consumer reads, so it always has a listener (an 'error' with
 * none would crash the process) and never fires before the consumer looks.
 */
function guarded(file: Readable & { truncated?: boolean }): Readable & { truncated?: boolean } {
  let waiting = false;
  let failure: Error | null = null;
  const out = new Readable({
    read() {
      if (failure) return this.destroy(failure);
      waiting = true;
      file.resume();
    },
    destroy(err, callback) {
      // A consumer that gives up on the file lets the rest of the body flow on.
      if (!file.readableEnded) file.resume();
      callback(err);
    },
  });
  const fail = (err: Error) => {
    if (file.readableEnded || failure) return;
    failure = err;
    if (waiting) out.destroy(err);
  };
  file.on('data', (chunk: Buffer) => {
    waiting = false;
    if (!out.push(chunk)) file.pause();
  });
  file.on('end', () => out.push(null));
  file.on('error', (err) => fail(asClientError(err) as Error));
  const cutOff = () => fail(unreadable('the upload ended before the file did'));
  if (file.destroyed) cutOff();
  else file.on('close', cutOff);
  Object.defineProperty(out, 'truncated', { get: () => file.truncated === true });
  return out;
}

/** `fileSize` raises the upload limit for one route (a restore takes a whole company's archive). */
export async function* uploadParts(req: FastifyRequest, notMultipart: string, limits?: { fileSize: number }): AsyncGenerator<UploadPart> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', notMultipart);
  const parts = limits ? req.parts({ limits }) : req.parts();
  while (true) {
    let next: IteratorResult<Awaited<ReturnType<typeof parts.next>>['value']>;
    try {
      next = await parts.next();
    } catch (err) {
      throw asClientError(err);
    }
    if (next.done) return;
    const part = next.value;
    if (part.type === 'file') {
      yield { type: 'file', name: part.fieldname, filename: part.filename, stream: guarded(part.file) };
    } else {
      if (typeof part.value === 'string' && part.value.includes('\u0000')) throw invalid({ [part.fieldname]: NUL_MESSAGE });
      yield { type: 'field', name: part.fieldname, value: part.value };
    }
  }
}
