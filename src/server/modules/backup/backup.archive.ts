// The archive's container: a gzip'd tar written and read as streams, its manifest, and the
// passphrase encryption of secrets (scrypt → AES-256-GCM).
import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { AppError } from '../../platform/errors.js';
import { FORMAT, FORMAT_VERSION } from './backup.tables.js';

export interface ManifestPart {
  name: string;
  rows: number;
  size: number;
  sha256: string;
}

export interface ManifestTable {
  name: string;
  columns: string[];
  rows: number;
  /** sha256 of the table's parts in order (its NDJSON as one stream). */
  sha256: string;
  minId: number | null;
  maxId: number | null;
  parts: ManifestPart[];
}

export interface ManifestFile {
  name: string;
  key: string;
  size: number;
  sha256: string;
}

export interface SecretColumn {
  table: string;
  column: string;
  what: string;
  rows: number;
}

export interface Manifest {
  format: typeof FORMAT;
  formatVersion: number;
  schemaVersion: number;
  appVersion: string;
  createdAt: string;
  engine: 'pglite' | 'postgres';
  company: { id: number; slug: string; name: string };
  secrets: {
    mode: 'left-out' | 'encrypted';
    /** Left out of the archive: to enter again after a restore. */
    toReEnter: SecretColumn[];
    /** In the archive, encrypted with the passphrase. */
    encrypted: SecretColumn[];
    kdf?: { name: 'scrypt'; salt: string; N: number; r: number; p: number };
    /** "steward" sealed with the key: tells a wrong passphrase from a damaged archive. */
    check?: string;
  };
  skippedTables: Array<{ table: string; reason: string }>;
  tables: ManifestTable[];
  files: ManifestFile[];
  missingFiles: string[];
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };

export function deriveKey(passphrase: string, salt: Buffer, params = SCRYPT): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { ...params, maxmem: 128 * params.N * params.r * 2 });
}

export function newKdf(passphrase: string): { key: Buffer; kdf: NonNullable<Manifest['secrets']['kdf']> } {
  const salt = randomBytes(16);
  return { key: deriveKey(passphrase, salt), kdf: { name: 'scrypt', salt: salt.toString('base64url'), ...SCRYPT } };
}

export function seal(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(key: Buffer, sealed: string): string | null {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export const CHECK_TEXT = 'steward';

export const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export const badArchive = (problem: string, details: Record<string, unknown> = {}) =>
  new AppError('bad_archive', `The archive cannot be restored: ${problem}`, { problem, ...details });

/** Adds one entry; resolves once the pack has taken it (tar-stream waits for the reader: backpressure). */
export function addEntry(pack: tar.Pack, name: string, body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: body.length, mode: 0o600, mtime: new Date(0) }, body, (err) => (err ? reject(err) : resolve()));
  });
}

/** What went wrong in reading an archive, in words for the operator. */
function readProblem(err: unknown): string {
  const e = err as { code?: string; message?: string };
  if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message ?? '')) return 'the archive is truncated (it ends too early)';
  if (typeof e.code === 'string' && e.code.startsWith('Z_')) return 'the file is not a gzip archive or it is damaged';
  if (/header|tar/i.test(e.message ?? '')) return 'the file is not a tar archive (a Steward backup is a .tar.gz)';
  return `the archive cannot be read (${e.message ?? String(err)})`;
}

/**
 * Reads every entry of the archive in order; `onEntry` gets its name and bytes (entries are small: a
 * table part of about a megabyte or one stored file). A damaged archive becomes 422 bad_archive.
 */
export async function readArchive(file: string, onEntry: (name: string, body: Buffer) => Promise<void>): Promise<void> {
  const extract = tar.extract();
  const feeding = pipeline(createReadStream(file), createGunzip(), extract);
  let failure: unknown = null;
  feeding.catch((err) => {
    failure = err;
  });
  try {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type !== 'file') continue;
      await onEntry(entry.header.name, Buffer.concat(chunks));
    }
    await feeding;
  } catch (err) {
    if (err instanceof AppError) {
      extract.destroy();
      await feeding.catch(() => {});
      throw err;
    }
    throw badArchive(readProblem(failure ?? err));
  }
}

export interface Inspected {
  manifest: Manifest;
  key: Buffer | null;
}

/**
 * Pass one over an archive, before anything is written: the manifest is there and ours, its format
 * and schema are not newer than this instance's, every entry it lists is present with its size,
 * checksum and row count, nothing else is there, and the passphrase opens its secrets.
 */
export async function inspectArchive(file: string, currentSchema: number, passphrase: string | undefined): Promise<Inspected> {
  const seen = new Map<string, { size: number; sha256: string; lines: number }>();
  let manifestText: string | null = null;
  await readArchive(file, async (name, body) => {
    if (name === 'manifest.json') {
      manifestText = body.toString('utf8');
      return;
    }
    let lines = 0;
    for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) lines++;
    seen.set(name, { size: body.length, sha256: sha256hex(body), lines });
  });
  if (manifestText === null) throw badArchive('there is no manifest.json: this is not a Steward company backup');
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
  } catch {
    throw badArchive('manifest.json is not valid JSON');
  }
  if (manifest?.format !== FORMAT) throw badArchive('this is not a Steward company backup (unknown format)', { format: (manifest as { format?: unknown })?.format ?? null });
  if (!Number.isInteger(manifest.formatVersion) || manifest.formatVersion > FORMAT_VERSION || manifest.formatVersion < 1) {
    throw badArchive(`archive format version ${manifest.formatVersion} is not supported (this Steward reads version ${FORMAT_VERSION})`);
  }
  if (!Number.isInteger(manifest.schemaVersion) || manifest.schemaVersion > currentSchema) {
    throw badArchive(`the archive comes from a newer Steward (schema version ${manifest.schemaVersion}, this instance has ${currentSchema}): upgrade this instance first`, {
      archiveSchema: manifest.schemaVersion,
      instanceSchema: currentSchema,
    });
  }
  if (!Array.isArray(manifest.tables) || !Array.isArray(manifest.files) || !manifest.company || !manifest.secrets) throw badArchive('manifest.json is incomplete');
  const listed = new Set<string>();
  for (const t of manifest.tables) {
    const whole = createHash('sha256');
    let rows = 0;
    for (const p of t.parts) {
      listed.add(p.name);
      const got = seen.get(p.name);
      if (!got) throw badArchive(`${p.name} is missing`, { entry: p.name });
      if (got.sha256 !== p.sha256 || got.size !== p.size) throw badArchive(`${p.name} does not match its checksum (altered or damaged)`, { entry: p.name });
      if (got.lines !== p.rows) throw badArchive(`${p.name} has ${got.lines} rows, the manifest says ${p.rows}`, { entry: p.name });
      whole.update(p.sha256);
      rows += p.rows;
    }
    if (rows !== t.rows || whole.digest('hex') !== t.sha256) throw badArchive(`table ${t.name} does not match its checksum`, { table: t.name });
  }
  for (const f of manifest.files) {
    listed.add(f.name);
    const got = seen.get(f.name);
    if (!got) throw badArchive(`${f.name} (a stored file) is missing`, { entry: f.name });
    if (got.sha256 !== f.sha256 || got.size !== f.size) throw badArchive(`${f.name} (a stored file) does not match its checksum`, { entry: f.name });
  }
  for (const name of seen.keys()) if (!listed.has(name)) throw badArchive(`${name} is not listed in the manifest`, { entry: name });
  let key: Buffer | null = null;
  if (manifest.secrets.mode === 'encrypted') {
    const kdf = manifest.secrets.kdf;
    if (!passphrase) throw badArchive('its secrets are encrypted: give the passphrase the backup was made with', { passphraseRequired: true });
    if (!kdf || kdf.name !== 'scrypt' || !manifest.secrets.check) throw badArchive('manifest.json is incomplete (encryption parameters)');
    if (kdf.N > 2 ** 20 || kdf.r > 32 || kdf.p > 16) throw badArchive('unsupported encryption parameters');
    key = deriveKey(passphrase, Buffer.from(kdf.salt, 'base64url'), { N: kdf.N, r: kdf.r, p: kdf.p });
    if (unseal(key, manifest.secrets.check) !== CHECK_TEXT) throw badArchive('the passphrase is not the one the backup was made with', { wrongPassphrase: true });
  }
  return { manifest, key };
}
