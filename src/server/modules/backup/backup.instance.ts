// Instance backups (docs/backup.md): `steward backup --all` (and the daily job: backup.jobs.ts) and `steward restore --all`.
// PostgreSQL with pg_dump on the PATH: pg_dump's own consistent dump (custom format) plus the files.
// PostgreSQL without it: every company's archive (secrets encrypted with SESSION_SECRET as the
// passphrase) plus the instance's operators. PGlite: its data directory dumped by PGlite itself.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip, gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { Deps } from '../../platform/context.js';
import { VERSION } from '../../version.js';
import * as repo from './backup.instance.repo.js';
import { companyBackupStream } from './backup.export.js';
import { restoreCompany } from './restore.service.js';

export const INSTANCE_FORMAT = 'steward-instance-backup';

export interface InstanceManifest {
  format: typeof INSTANCE_FORMAT;
  formatVersion: 1;
  kind: 'pg_dump' | 'companies' | 'pglite';
  createdAt: string;
  appVersion: string;
  schemaVersion: number;
  companies: string[];
}

/** The directory name of a backup made at `at`: sortable, one per second. */
export const backupName = (at: Date) => `steward-${at.toISOString().slice(0, 19).replace(/[:T]/g, '-')}`;
/** The names backupName gives (retention reads their dates: backup.jobs.ts). */
export const BACKUP_NAME = /^steward-(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$/;

/** Whether an executable is on the PATH (pg_dump, pg_restore). */
export function onPath(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${err.trim().slice(0, 2000)}`))));
  });
}

async function* walk(dir: string, base = dir): AsyncGenerator<string> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = path.join(dir, n);
    const s = await stat(p);
    if (s.isDirectory()) yield* walk(p, base);
    else if (s.isFile()) yield path.relative(base, p);
  }
}

/** The storage directory as a .tar.gz (streamed file by file). */
async function packFiles(root: string, out: string): Promise<number> {
  const pack = tar.pack();
  const writing = pipeline(pack, createGzip(), createWriteStream(out, { mode: 0o600 }));
  let n = 0;
  for await (const rel of walk(root)) {
    const file = path.join(root, rel);
    const size = (await stat(file)).size;
    await new Promise<void>((resolve, reject) => {
      const entry = pack.entry({ name: rel.split(path.sep).join('/'), size, mode: 0o600 }, (err) => (err ? reject(err) : resolve()));
      pipeline(createReadStream(file), entry).catch(reject);
    });
    n++;
  }
  pack.finalize();
  await writing;
  return n;
}

async function unpackFiles(archive: string, root: string): Promise<void> {
  const extract = tar.extract();
  const feeding = pipeline(createReadStream(archive), createGunzip(), extract);
  for await (const entry of extract) {
    const name = entry.header.name;
    if (entry.header.type !== 'file' || name.includes('..') || path.isAbsolute(name)) {
      entry.resume();
      continue;
    }
    const file = path.join(root, name);
    await mkdir(path.dirname(file), { recursive: true });
    await pipeline(entry, createWriteStream(file, { mode: 0o600 }));
  }
  await feeding;
}

/**
 * One instance backup in a new directory under `outDir` (written aside and renamed when complete,
 * so a half-written backup never looks like one). Returns its directory.
 */
export async function backupInstance(deps: Deps, outDir: string, options: { pgDump?: boolean } = {}): Promise<{ dir: string; manifest: InstanceManifest }> {
  const { database, config } = deps;
  const name = backupName(new Date());
  const dir = path.join(outDir, name);
  const partial = `${dir}.partial`;
  await mkdir(partial, { recursive: true, mode: 0o700 });
  try {
    const schemaVersion = await database.system(({ tx }) => repo.schemaVersion(tx));
    const companies = await database.system(({ tx }) => repo.companies(tx));
    let kind: InstanceManifest['kind'];
    if (database.kind === 'pglite') {
      kind = 'pglite';
      const blob = await (database.dumpFiles as () => Promise<Blob>)();
      await writeFile(path.join(partial, 'pglite-data.tar.gz'), gzipSync(Buffer.from(await blob.arrayBuffer())), { mode: 0o600 });
    } else if (config.databaseUrl && (options.pgDump ?? onPath('pg_dump'))) {
      kind = 'pg_dump';
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(partial, 'database.dump')}`, `--dbname=${config.databaseUrl}`]);
    } else {
      kind = 'companies';
      await mkdir(path.join(partial, 'companies'));
      for (const c of companies) {
        await pipeline(
          companyBackupStream(deps, c.id, { passphrase: config.sessionSecret }),
          createWriteStream(path.join(partial, 'companies', `${c.slug}.tar.gz`), { mode: 0o600 }),
        );
      }
      const admins = await database.system(({ tx }) => repo.superAdminRows(tx));
      await writeFile(path.join(partial, 'instance.ndjson'), admins.map((r) => `${r}\n`).join(''), { mode: 0o600 });
    }
    // Files are not in the database dumps: the storage directory goes beside them.
    if (kind !== 'companies') await packFiles(path.join(config.dataDir, 'files'), path.join(partial, 'files.tar.gz'));
    const manifest: InstanceManifest = {
      format: INSTANCE_FORMAT,
      formatVersion: 1,
      kind,
      createdAt: new Date().toISOString(),
      appVersion: VERSION,
      schemaVersion,
      companies: companies.map((c) => c.slug),
    };
    await writeFile(path.join(partial, 'backup.json'), JSON.stringify(manifest, null, 2), { mode: 0o600 });
    await rename(partial, dir);
    return { dir, manifest };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}

export class RestoreRefused extends Error {}

/**
 * Restores an instance backup into an EMPTY database (and storage). PostgreSQL dumps go through
 * pg_restore; per-company archives are restored as new companies (same SESSION_SECRET needed);
 * a PGlite dump becomes the data directory (which must not exist yet).
 */
export async function restoreInstance(
  config: Deps['config'],
  dir: string,
  open: () => Promise<Deps>,
): Promise<InstanceManifest> {
  const manifest = JSON.parse(await readFile(path.join(dir, 'backup.json'), 'utf8')) as InstanceManifest;
  if (manifest.format !== INSTANCE_FORMAT) throw new RestoreRefused(`${dir} is not a Steward instance backup`);
  const files = path.join(dir, 'files.tar.gz');
  if (manifest.kind === 'pglite') {
    if (config.databaseUrl) throw new RestoreRefused('this backup is of an embedded (PGlite) database: unset DATABASE_URL, or restore its companies one by one');
    const dbDir = path.join(config.dataDir, 'db');
    if (existsSync(path.join(dbDir, 'PG_VERSION'))) throw new RestoreRefused(`${dbDir} already holds a database: restore --all needs an empty data directory`);
    const { PGlite } = await import('@electric-sql/pglite');
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { btree_gin } = await import('@electric-sql/pglite/contrib/btree_gin');
    const { btree_gist } = await import('@electric-sql/pglite/contrib/btree_gist');
    await mkdir(dbDir, { recursive: true });
    const data = await readFile(path.join(dir, 'pglite-data.tar.gz'));
    const client = await PGlite.create(dbDir, {
      extensions: { pg_trgm, btree_gin, btree_gist },
      loadDataDir: new Blob([new Uint8Array(await gunzipBuffer(data))]),
    });
    await client.close();
    if (existsSync(files)) await unpackFiles(files, path.join(config.dataDir, 'files'));
    const deps = await open();
    await deps.database.close();
    return manifest;
  }
  if (!config.databaseUrl) {
    if (manifest.kind === 'pg_dump') throw new RestoreRefused('this backup is a PostgreSQL dump: set DATABASE_URL to an empty PostgreSQL database');
  }
  if (manifest.kind === 'pg_dump') {
    const deps = await open();
    try {
      if (!(await deps.database.system(({ tx }) => repo.isEmpty(tx)))) throw new RestoreRefused('the database is not empty: restore --all needs an empty database');
    } finally {
      await deps.database.close();
    }
    await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${config.databaseUrl}`, path.join(dir, 'database.dump')]);
    if (existsSync(files)) await unpackFiles(files, path.join(config.dataDir, 'files'));
    const after = await open();
    await after.database.migrate();
    await after.database.close();
    return manifest;
  }
  const deps = await open();
  try {
    await deps.database.migrate();
    if (!(await deps.database.system(({ tx }) => repo.hasNoCompanies(tx)))) throw new RestoreRefused('the instance already has companies: restore --all needs an empty database');
    const admins = (await readFile(path.join(dir, 'instance.ndjson'), 'utf8')).split('\n').filter(Boolean);
    await deps.database.system(({ tx }) => repo.insertSuperAdmins(tx, admins));
    for (const slug of manifest.companies) {
      await restoreCompany(deps, null, null, path.join(dir, 'companies', `${slug}.tar.gz`), { mode: 'new', slug, passphrase: config.sessionSecret });
    }
  } finally {
    await deps.database.close();
  }
  return manifest;
}

async function gunzipBuffer(data: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of Readable.from([data]).pipe(createGunzip())) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
