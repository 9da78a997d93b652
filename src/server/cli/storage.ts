// `steward storage migrate`: copies the files of the data directory (<dataDir>/files) into the S3
// bucket STORAGE_URL names, under the same keys, and verifies every copy (size and sha256 of the
// bytes read back). Idempotent and resumable: an object already in the bucket with the same size and
// sha256 is skipped, so a run that stopped halfway simply runs again. Local files are left in place
// (remove them once the instance runs on the bucket).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { configOrExit } from '../config.js';
import { parseStorageUrl, type S3Storage, s3Storage } from '../platform/storage-s3.js';

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

export interface MigrateResult {
  copied: number;
  skipped: number;
  failed: Array<{ key: string; error: string }>;
  bytes: number;
}

/** Copies every file under `root` to the bucket and checks it; see the file comment. */
export async function migrateFiles(root: string, target: S3Storage, log: (line: string) => void = () => {}): Promise<MigrateResult> {
  const result: MigrateResult = { copied: 0, skipped: 0, failed: [], bytes: 0 };
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    const key = path.relative(root, file).split(path.sep).join('/');
    try {
      const local = await sha256Of(createReadStream(file));
      const there = await target.head(key);
      if (there && there.size === local.size && there.sha256 === local.sha256) {
        result.skipped++;
        continue;
      }
      await target.putFile(key, file, (await stat(file)).size, local.sha256);
      const back = await sha256Of(target.get(key));
      if (back.size !== local.size || back.sha256 !== local.sha256)
        throw new Error(`verification failed (${back.size} bytes, sha256 ${back.sha256})`);
      result.copied++;
      result.bytes += local.size;
      log(`copied ${key} (${local.size} bytes)`);
    } catch (err) {
      result.failed.push({ key, error: (err as Error).message });
      log(`FAILED ${key}: ${(err as Error).message}`);
    }
  }
  return result;
}

export async function storageCommand(args: string[]): Promise<number> {
  if (args[0] !== 'migrate') {
    console.log('Usage: steward storage migrate   (needs STORAGE_URL=s3://bucket/prefix and the AWS_* credentials)');
    return 2;
  }
  const config = configOrExit();
  if (!config.storageUrl) {
    console.error('steward: storage migrate needs STORAGE_URL=s3://bucket/prefix (the target bucket)');
    return 2;
  }
  const target = s3Storage({
    ...parseStorageUrl(config.storageUrl),
    region: config.s3Region,
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3ForcePathStyle,
    tmpDir: path.join(config.dataDir, 'tmp'),
  });
  const root = path.join(config.dataDir, 'files');
  const r = await migrateFiles(root, target, (line) => console.log(line));
  console.log(`steward: ${r.copied} copied (${r.bytes} bytes), ${r.skipped} already in the bucket, ${r.failed.length} failed`);
  return r.failed.length ? 1 : 0;
}
