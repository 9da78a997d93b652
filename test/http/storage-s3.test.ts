// Files on S3-compatible storage (s3rver on a free port, a temporary directory): with
// STORAGE_URL=s3://bucket/prefix an attachment goes to the bucket (not the data directory), comes
// back through the authorised route byte for byte, and goes when deleted; `steward storage migrate`
// copies local files to the bucket, verified, skips what is there already and resumes.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateFiles } from '../../src/server/cli/storage.js';
import { s3Storage } from '../../src/server/platform/storage-s3.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { multipart } from '../multipart.js';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200_000)]);

describe('S3 storage', () => {
  let server: S3rver;
  let dir: string;
  let endpoint: string;
  let h: Harness;
  let acme: TestCompany;
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'steward-s3-'));
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: dir,
      configureBuckets: [{ name: 'steward-files', configs: [] }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    // s3rver's fixed credentials, read by the SDK's default chain like real ones.
    process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
    process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
    h = await harness({ storageUrl: 's3://steward-files/prod', s3Endpoint: endpoint, s3ForcePathStyle: true });
    acme = await createCompany(h);
  });
  afterAll(async () => {
    await h?.close();
    await server?.close();
    process.env.AWS_ACCESS_KEY_ID = saved.id;
    process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
    await rm(dir, { recursive: true, force: true });
  });

  const bucketObjects = async () => {
    const entries = await readdir(path.join(dir, 'steward-files'), { recursive: true }).catch(() => []);
    return entries.filter((e) => String(e).endsWith('._S3rver_object')).map(String);
  };

  it('stores an attachment in the bucket under the prefix, serves it through the route and deletes it', async () => {
    const t = await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Photo on S3' });
    const { body, headers } = multipart([{ filename: 'photo.png', content: PNG }]);
    const up = await acme.admin.client.request('POST', `/api/v1/tickets/${t.body.ticket.number}/attachments`, body, headers);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.attachment).toMatchObject({ size: PNG.length, contentType: 'image/png' });
    const { rows } = await h.deps.database.query<{ storage_key: string }>('select storage_key from attachments where tenant_id = $1', [
      acme.id,
    ]);
    const key = rows[0].storage_key;
    // In the bucket, under the prefix; nothing in the data directory.
    const objects = await bucketObjects();
    expect(objects.some((o) => o.startsWith(`prod/${key}`))).toBe(true);
    expect(await readdir(path.join(h.deps.config.dataDir, 'files')).catch(() => [])).toEqual([]);

    const down = await acme.admin.client.get(`/api/v1/attachments/${up.body.attachment.id}`);
    expect(down.status).toBe(200);
    expect(Buffer.compare(down.raw.rawPayload, PNG)).toBe(0);
    // The bucket is never exposed: other companies and anonymous callers get nothing.
    const other = await createCompany(h);
    expect((await other.admin.client.get(`/api/v1/attachments/${up.body.attachment.id}`)).status).toBe(404);
    expect((await h.client().get(`/api/v1/attachments/${up.body.attachment.id}`)).status).toBe(401);

    expect((await acme.admin.client.delete(`/api/v1/attachments/${up.body.attachment.id}`)).status).toBe(204);
    expect((await bucketObjects()).some((o) => o.startsWith(`prod/${key}`))).toBe(false);
  });

  it('a document file goes to the bucket too and a missing object is an error, not a hang', async () => {
    const { body, headers } = multipart([{ filename: 'manual.png', content: PNG }], { title: 'Manual' });
    const up = await acme.admin.client.request('POST', '/api/v1/documents', body, headers);
    expect(up.status).toBe(201);
    const down = await acme.admin.client.get(`/api/v1/documents/${up.body.document.id}/file`);
    expect(Buffer.compare(down.raw.rawPayload, PNG)).toBe(0);
    const missing = h.deps.storage.get('t1/nothing/here');
    await expect(new Promise((resolve, reject) => missing.on('error', reject).on('end', resolve).resume())).rejects.toThrow();
  });

  it('storage migrate copies local files to the bucket with their sha256, verified, and resumes', async () => {
    const local = await mkdtemp(path.join(tmpdir(), 'steward-local-'));
    try {
      const files: Record<string, Buffer> = {
        't1/tickets/5/a': randomBytes(1000),
        't1/tickets/5/b': randomBytes(70_000),
        't2/assets/9/c': Buffer.from('text'),
      };
      for (const [k, v] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(local, k)), { recursive: true });
        await writeFile(path.join(local, k), v);
      }
      const target = s3Storage({
        bucket: 'steward-files',
        prefix: 'migrated',
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        tmpDir: path.join(local, '..', 'tmp-s3'),
      });
      const first = await migrateFiles(local, target);
      expect(first).toMatchObject({ copied: 3, skipped: 0, failed: [] });
      for (const [k, v] of Object.entries(files)) {
        const res = await target.client.send(new GetObjectCommand({ Bucket: 'steward-files', Key: `migrated/${k}` }));
        expect(Buffer.compare(Buffer.from(await res.Body!.transformToByteArray()), v), k).toBe(0);
        expect((await target.head(k))?.sha256).toMatch(/^[0-9a-f]{64}$/);
      }
      // Idempotent: nothing to copy again. A new file and a changed one are copied on the next run.
      expect(await migrateFiles(local, target)).toMatchObject({ copied: 0, skipped: 3 });
      await writeFile(path.join(local, 't1/tickets/5/a'), randomBytes(999));
      await writeFile(path.join(local, 't2/assets/9/d'), 'new');
      expect(await migrateFiles(local, target)).toMatchObject({ copied: 2, skipped: 2, failed: [] });
    } finally {
      await rm(local, { recursive: true, force: true });
    }
  });
});
