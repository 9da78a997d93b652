// Test databases start from a migrated template instead of initdb + every migration: an in-memory
// PGlite loads the files of one migrated once (kept in the temp directory), a PostgreSQL test
// database is created from a template database. Both are keyed by a digest of the migrations and
// the database code, so a changed migration builds a new template.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase } from '../src/server/platform/db.js';

const root = path.resolve(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

let digestMemo: string | undefined;
/** What the template depends on: every migration and the code that runs them. */
export function schemaDigest(): string {
  if (digestMemo) return digestMemo;
  const hash = createHash('sha256');
  for (const f of [...files(path.join(root, 'src/server/db/migrations')), path.join(root, 'src/server/platform/db.ts')]) {
    hash.update(path.relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  digestMemo = hash.digest('hex').slice(0, 16);
  return digestMemo;
}

/** The files of a migrated in-memory PGlite, built on first use and shared by every test file. */
export async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(tmpdir(), `steward-test-template-${schemaDigest()}.tar`);
  if (existsSync(file)) return new Blob([await readFile(file)]);
  const db = await openDatabase({ databaseUrl: null, dataDir: tmpdir(), memory: true });
  try {
    await db.migrate();
    const blob = await (db.dumpFiles as () => Promise<Blob>)();
    // Written aside and renamed: a parallel test file never reads half a template.
    const partial = `${file}.${randomBytes(4).toString('hex')}`;
    await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
    await rename(partial, file);
    // The templates of older schemas go (44 MB each); PostgreSQL's template databases are kept.
    for (const f of readdirSync(tmpdir())) {
      if (/^steward-test-template-[0-9a-f]{16}\.tar$/.test(f) && path.join(tmpdir(), f) !== file) await rm(path.join(tmpdir(), f), { force: true });
    }
    return blob;
  } finally {
    await db.close();
  }
}

async function withAdmin<T>(base: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A new PostgreSQL database for one test file, copied from the migrated template (built under an
 * advisory lock by whichever test file comes first).
 */
export async function createPostgresDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const template = `steward_tpl_${schemaDigest()}`;
  const name = `steward_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(base, async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', [template]);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (!rowCount) {
        const building = `${template}_build_${randomBytes(3).toString('hex')}`;
        await admin.query(`create database ${building}`);
        const db = await openDatabase({ databaseUrl: databaseUrl(base, building), dataDir: tmpdir(), poolSize: 2 });
        try {
          await db.migrate();
        } finally {
          await db.close();
        }
        await admin.query(`alter database ${building} rename to ${template}`);
      }
      // Under the lock too: PostgreSQL refuses to copy a database another copy is reading.
      await admin.query(`create database ${name} template ${template}`);
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [template]);
    }
  });
  return {
    url: databaseUrl(base, name),
    drop: () => withAdmin(base, (c) => c.query(`drop database if exists ${name} with (force)`).then(() => undefined)),
  };
}
