// The backup's registry against the schema: every company table is in the archive (or skipped on
// purpose, with a reason), every column whose name looks secret is classified, every column holding
// a storage key is known. A table or credential column added later (webhooks, say) fails here until
// src/server/modules/backup/backup.tables.ts says what to do with it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyBackupStream } from '../../src/server/modules/backup/backup.export.js';
import {
  FILE_COLUMNS,
  FILE_NAME,
  ID_ARRAY_COLUMNS,
  INSTANCE_TABLES,
  NOT_FILE_COLUMNS,
  SECRET_COLUMNS,
  SECRET_NAME,
  SKIPPED_TABLES,
} from '../../src/server/modules/backup/backup.tables.js';
import { createCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { tenantTables, unpack } from './backup-helpers.js';

describe('backup registry', () => {
  let h: Harness;
  let columns: Array<{ t: string; c: string; tenant: boolean }>;

  beforeAll(async () => {
    h = await harness();
    columns = (
      await h.deps.database.query<{ t: string; c: string; tenant: boolean }>(
        `select c.relname as t, a.attname as c,
                exists (select 1 from pg_attribute x where x.attrelid = c.oid and x.attname = 'tenant_id' and not x.attisdropped) as tenant
         from pg_class c join pg_attribute a on a.attrelid = c.oid
         where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped`,
      )
    ).rows;
  });
  afterAll(() => h.close());

  it('puts every company table in the archive, except the ones skipped with a reason', async () => {
    const company = await createCompany(h);
    const chunks: Buffer[] = [];
    for await (const c of companyBackupStream(h.deps, company.id)) chunks.push(c as Buffer);
    const entries = await unpack(Buffer.concat(chunks));
    const manifest = JSON.parse(entries.find((e) => e.name === 'manifest.json')?.body.toString() ?? '{}');
    const inArchive = new Set<string>(manifest.tables.map((t: { name: string }) => t.name));
    const missing = (await tenantTables(h)).filter((t) => !inArchive.has(t) && !SKIPPED_TABLES[t]);
    expect(missing, 'company tables missing from the archive').toEqual([]);
    expect(inArchive.has('companies')).toBe(true);
    for (const t of Object.keys(SKIPPED_TABLES)) expect(inArchive.has(t), t).toBe(false);
  });

  it('knows every table: company tables have tenant_id, the others are instance tables', () => {
    const tables = new Map<string, boolean>();
    for (const c of columns) tables.set(c.t, c.tenant);
    const unknown = [...tables].filter(([t, tenant]) => !tenant && !INSTANCE_TABLES.has(t)).map(([t]) => t);
    expect(unknown, 'tables without tenant_id that are not instance tables').toEqual([]);
    for (const t of Object.keys(SKIPPED_TABLES)) expect(tables.get(t), `skipped table ${t} exists`).toBe(true);
  });

  it('classifies every column whose name looks secret', () => {
    const covered = columns.filter((c) => (c.tenant || c.t === 'companies') && !SKIPPED_TABLES[c.t]);
    const unclassified = covered.filter((c) => SECRET_NAME.test(c.c) && !SECRET_COLUMNS[`${c.t}.${c.c}`]).map((c) => `${c.t}.${c.c}`);
    expect(unclassified, 'add these to SECRET_COLUMNS in backup.tables.ts').toEqual([]);
    const all = new Set(columns.map((c) => `${c.t}.${c.c}`));
    const stale = Object.keys(SECRET_COLUMNS).filter((k) => !all.has(k));
    expect(stale, 'SECRET_COLUMNS entries without a column').toEqual([]);
  });

  it('knows every column that holds a storage key', () => {
    const all = new Set(columns.map((c) => `${c.t}.${c.c}`));
    const unknown = columns.filter((c) => c.tenant && FILE_NAME.test(c.c) && !FILE_COLUMNS.includes(`${c.t}.${c.c}`) && !NOT_FILE_COLUMNS.has(`${c.t}.${c.c}`));
    expect(unknown.map((c) => `${c.t}.${c.c}`)).toEqual([]);
    for (const f of FILE_COLUMNS) expect(all.has(f), f).toBe(true);
  });

  it('knows the arrays of ids of tables keyed by id alone (a restore that moves those ids moves them too)', async () => {
    const arrays = new Set(
      (
        await h.deps.database.query<{ k: string }>(
          `select c.relname || '.' || a.attname as k from pg_class c join pg_attribute a on a.attrelid = c.oid
           where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and a.atttypid = 'bigint[]'::regtype`,
        )
      ).rows.map((r) => r.k),
    );
    for (const [k, table] of Object.entries(ID_ARRAY_COLUMNS)) {
      expect(arrays.has(k), k).toBe(true);
      const pk = await h.deps.database.query<{ c: string }>(
        `select a.attname as c from pg_index x join pg_attribute a on a.attrelid = x.indrelid and a.attnum = any (x.indkey) where x.indrelid = $1::regclass and x.indisprimary`,
        [table],
      );
      expect(pk.rows.map((r) => r.c), `${k} → ${table}`).toEqual(['id']);
    }
  });

  it('catches the names a webhook or integration table would use for its secrets', () => {
    for (const name of ['secret', 'signing_secret', 'previous_secret', 'secret_enc', 'api_key', 'private_key', 'access_token', 'key_hash', 'password']) {
      expect(SECRET_NAME.test(name), name).toBe(true);
    }
    for (const name of ['name', 'url', 'events', 'tenant_id', 'storage_key']) expect(SECRET_NAME.test(name), name).toBe(false);
  });
});
