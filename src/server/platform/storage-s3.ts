// Files on S3-compatible object storage (AWS S3, MinIO, Ceph), chosen by STORAGE_URL=s3://bucket/prefix:
// web processes on several hosts share the files. Downloads still go through the authorised routes,
// streamed by the server (the bucket stays private). Uploads are spooled to a temporary file first
// (S3 needs the length up front; memory stays bounded), then sent with their sha256 as metadata.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Storage } from './storage.js';

export interface S3Options {
  bucket: string;
  prefix: string;
  region: string;
  endpoint: string | null;
  forcePathStyle: boolean;
  /** Where uploads are spooled before they are sent. */
  tmpDir: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** `s3://bucket/some/prefix` → bucket and prefix (without slashes at either end). */
export function parseStorageUrl(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3:// URL: ${url}`);
  return { bucket: m[1], prefix: m[2].replace(/^\/+|\/+$/g, '') };
}

const SAFE_KEY = /^[a-zA-Z0-9/_.-]+$/;

export interface S3Storage extends Storage {
  readonly bucket: string;
  objectKey(key: string): string;
  /** Size and the sha256 recorded at upload, or null when there is no such object. */
  head(key: string): Promise<{ size: number; sha256: string | null } | null>;
  /** Uploads with a known length and sha256 (the migration's path). */
  putFile(key: string, file: string, size: number, sha256: string): Promise<void>;
  client: S3Client;
}

export function s3Storage(o: S3Options): S3Storage {
  const client = new S3Client({
    region: o.region,
    endpoint: o.endpoint ?? undefined,
    forcePathStyle: o.forcePathStyle,
    credentials: o.credentials,
    // Only the checksums every S3-compatible server understands.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const objectKey = (key: string) => {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`unsafe storage key ${key}`);
    return o.prefix ? `${o.prefix}/${key}` : key;
  };
  const notFound = (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
  };
  const putFile = async (key: string, file: string, size: number, sha256: string) => {
    await client.send(
      new PutObjectCommand({
        Bucket: o.bucket,
        Key: objectKey(key),
        Body: createReadStream(file),
        ContentLength: size,
        Metadata: { sha256 },
      }),
    );
  };
  return {
    bucket: o.bucket,
    client,
    objectKey,
    putFile,
    async put(key, body) {
      objectKey(key);
      await mkdir(o.tmpDir, { recursive: true });
      const spool = path.join(o.tmpDir, `upload-${randomUUID()}`);
      const hash = createHash('sha256');
      let size = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(body, counter, createWriteStream(spool, { mode: 0o600 }));
        await putFile(key, spool, (await stat(spool)).size, hash.digest('hex'));
        return { size };
      } finally {
        await rm(spool, { force: true });
      }
    },
    get(key) {
      const out = new PassThrough();
      client
        .send(new GetObjectCommand({ Bucket: o.bucket, Key: objectKey(key) }))
        .then((res) => {
          const body = res.Body as Readable | undefined;
          if (!body) throw new Error(`empty object ${key}`);
          body.on('error', (err) => out.destroy(err));
          body.pipe(out);
        })
        .catch((err) => out.destroy(err));
      return out;
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket: o.bucket, Key: objectKey(key) }));
    },
    async head(key) {
      try {
        const res = await client.send(new HeadObjectCommand({ Bucket: o.bucket, Key: objectKey(key) }));
        return { size: res.ContentLength ?? 0, sha256: res.Metadata?.sha256 ?? null };
      } catch (err) {
        if (notFound(err)) return null;
        throw err;
      }
    },
  };
}
