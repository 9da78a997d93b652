// Instance backups: `steward backup --all` and `steward restore --all` into an empty database
// (PGlite: its data directory dump into a new data directory; PostgreSQL: pg_dump/pg_restore into a
// fresh database, and the per-company fallback without pg_dump), and the retention of the daily job.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/server/config.js';
import { backupInstance, restoreInstance } from '../../src/server/modules/backup/backup.instance.js';
import { backupsToRemove, scheduledBackup } from '../../src/server/modules/backup/backup.jobs.js';
import { createLogger } from '../../src/server/platform/logger.js';
import { createDeps } from '../../src/server/runtime.js';
import { createCompany, createUser } from '../factories.js';
import { type Harness, harness, TEST_DB } from '../harness.js';

async function counts(query: (t: string) => Promise<{ rows: Array<{ n: number }> }>) {
  const out: Record<string, number> = {};
  for (const t of ['companies', 'users', 'roles', 'departments', 'super_admins']) out[t] = (await query(`select count(*)::int as n from ${t}`)).rows[0]?.n ?? 0;
  return out;
}

describe('instance backup', () => {
  let h: Harness;
  let out: string;
  let before: Record<string, number>;

  beforeAll(async () => {
    h = await harness();
    out = await mkdtemp(path.join(tmpdir(), 'steward-instance-backup-'));
    const a = await createCompany(h, { name: 'Alpha' });
    await createUser(h, a, {});
    await createCompany(h, { name: 'Beta' });
    await h.deps.storage.put('test/instance/file.bin', Readable.from([Buffer.from('instance file')]));
    before = await counts((t) => h.deps.database.query(t));
  });
  afterAll(async () => {
    await h.close();
    await rm(out, { recursive: true, force: true });
  });

  it('keeps the newest backup of each of the last N days and M weeks', () => {
    const names = [
      'steward-2026-12-01-02-00-00',
      'steward-2026-11-30-02-00-00',
      'steward-2026-11-30-14-00-00',
      'steward-2026-11-29-02-00-00',
      'steward-2026-11-22-02-00-00',
      'steward-2026-11-15-02-00-00',
      'steward-2026-11-08-02-00-00',
      'not-a-backup',
    ];
    expect(backupsToRemove(names, 2, 2).sort()).toEqual(['steward-2026-11-08-02-00-00', 'steward-2026-11-15-02-00-00', 'steward-2026-11-22-02-00-00', 'steward-2026-11-30-02-00-00']);
    expect(backupsToRemove(names, 7, 4)).toEqual(['steward-2026-11-30-02-00-00']);
  });

  it('writes a scheduled backup into BACKUP_DIR and applies retention', async () => {
    const dir = path.join(out, 'scheduled');
    const deps = { ...h.deps, config: { ...h.deps.config, backupDir: dir, backupKeepDaily: 1, backupKeepWeekly: 0 } };
    await scheduledBackup(deps);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await scheduledBackup(deps);
    const left = await readdir(dir);
    expect(left).toEqual([path.basename(second.dir)]);
  });

  it.runIf(TEST_DB === 'pglite')('PGlite: dumps the data directory and restores it into an empty one', async () => {
    const { dir, manifest } = await backupInstance(h.deps, out);
    expect(manifest.kind).toBe('pglite');
    const dataDir = path.join(out, `restored-${randomBytes(3).toString('hex')}`);
    const config = testConfig({ dataDir, databaseUrl: null });
    const open = () => createDeps(config, { log: createLogger('silent') });
    await restoreInstance(config, dir, open);
    const deps = await open();
    try {
      expect(await counts((t) => deps.database.query(t))).toEqual(before);
      expect(await deps.database.migrationsPending()).toBe(0);
      const chunks: Buffer[] = [];
      for await (const c of deps.storage.get('test/instance/file.bin')) chunks.push(c as Buffer);
      expect(Buffer.concat(chunks).toString()).toBe('instance file');
      await expect(restoreInstance(config, dir, open)).rejects.toThrow(/empty/);
    } finally {
      await deps.database.close();
    }
  });

  for (const pgDump of [true, false]) {
    it.runIf(TEST_DB === 'postgres')(`PostgreSQL (${pgDump ? 'pg_dump' : 'company archives'}): restores into a fresh database`, async () => {
      const { dir, manifest } = await backupInstance(h.deps, out, { pgDump });
      expect(manifest.kind).toBe(pgDump ? 'pg_dump' : 'companies');
      const base = process.env.TEST_DATABASE_URL as string;
      const name = `steward_restore_test_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const url = new URL(base);
      url.pathname = `/${name}`;
      const dataDir = path.join(out, name);
      const config = testConfig({ dataDir, databaseUrl: url.toString(), sessionSecret: h.deps.config.sessionSecret });
      const open = () => createDeps(config, { log: createLogger('silent') });
      try {
        await restoreInstance(config, dir, open);
        const deps = await open();
        try {
          expect(await counts((t) => deps.database.query(t))).toEqual(before);
          if (pgDump) {
            const chunks: Buffer[] = [];
            for await (const c of deps.storage.get('test/instance/file.bin')) chunks.push(c as Buffer);
            expect(Buffer.concat(chunks).toString()).toBe('instance file');
          }
        } finally {
          await deps.database.close();
        }
        await expect(restoreInstance(config, dir, open)).rejects.toThrow(/empty|companies/);
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    });
  }
});
