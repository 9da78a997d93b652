// Company backups and restores (docs/backup.md). A backup is one snapshot (a REPEATABLE READ, read-only
// transaction) streamed as a gzip'd tar: one NDJSON file per table in parts of about a megabyte, read
// through a cursor, the company's stored files, and manifest.json last with counts and checksums.
// A restore reads the archive three times: to check it whole (nothing is written before it passes),
// to put its files in storage (outside the transaction: storage may be a network service), and to
// insert its rows in ONE transaction with foreign keys deferred (or, as a superuser, checked once per
// constraint at the end instead of per row). A failure removes the files again.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PassThrough, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import { type RestoreAnswer, restoreFields } from '../../../shared/contracts/backup.js';
import { ALL_PERMISSIONS } from '../../../shared/permissions/index.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import { type Ctx, type Deps, requireUser } from '../../platform/context.js';
import { decryptSecret, encryptSecret } from '../../platform/crypto.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import type { UploadPart } from '../../platform/multipart.js';
import { VERSION } from '../../version.js';
import {
  addEntry,
  badArchive,
  CHECK_TEXT,
  inspectArchive,
  type Manifest,
  type ManifestFile,
  type ManifestTable,
  newKdf,
  readArchive,
  type SecretColumn,
  seal,
  sha256hex,
  unseal,
} from './backup.archive.js';
import { pauseCostAggregate, rebuildCostAggregate } from '../reports/reports.service.js';
import * as repo from './backup.repo.js';
import { type ColumnClass, FILE_COLUMNS, FORMAT, ID_ARRAY_COLUMNS, FORMAT_VERSION, SECRET_COLUMNS, SKIPPED_TABLES, UPGRADES } from './backup.tables.js';

const PART_BYTES = 1024 * 1024;
const FETCH_ROWS = 1000;
const INSERT_ROWS = 2000;
const INSERT_BYTES = 8 * 1024 * 1024;

type Row = Record<string, unknown>;

/** The classified secret columns of a table: column → class. */
function secretsOf(table: string): Map<string, ColumnClass> {
  const out = new Map<string, ColumnClass>();
  for (const [name, cls] of Object.entries(SECRET_COLUMNS)) {
    const [t, c] = name.split('.') as [string, string];
    if (t === table && cls.kind !== 'plain') out.set(c, cls);
  }
  return out;
}

/** Backups are for the company's administrators: everything the company holds is in them. */
export function requireCompanyAdmin(ctx: Ctx) {
  const actor = requireUser(ctx);
  if (!ALL_PERMISSIONS.every((p) => actor.permissions.has(p))) throw new AppError('forbidden', 'Only an administrator with every permission can download the company backup');
  return actor;
}

export interface BackupOptions {
  passphrase?: string;
}

export function backupFileName(slug: string, at = new Date()): string {
  return `steward-${slug}-${at.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.tar.gz`;
}

/**
 * The company's archive as a stream (gzip'd tar). Rows are read in one snapshot while the stream is
 * consumed (backpressure reaches the cursor); a failure midway ends the stream with an error, so a
 * partial download never passes for an archive (its manifest, written last, is missing).
 */
export function companyBackupStream(deps: Deps, tenantId: number, options: BackupOptions = {}, onDone?: (m: Manifest) => Promise<void>): Readable {
  const pack = tar.pack();
  const gzip = createGzip({ level: 6 });
  const out = new PassThrough();
  pack.pipe(gzip).pipe(out);
  gzip.on('error', (err) => out.destroy(err));
  writeBackup(deps, tenantId, options, pack)
    .then(async (manifest) => {
      pack.finalize();
      if (onDone) await onDone(manifest);
    })
    .catch((err) => {
      deps.log.error({ err: String(err) }, 'company backup failed');
      pack.destroy(err);
      out.destroy(err);
    });
  return out;
}

async function writeBackup(deps: Deps, tenantId: number, options: BackupOptions, pack: tar.Pack): Promise<Manifest> {
  const crypt = options.passphrase ? newKdf(options.passphrase) : null;
  const toReEnter = new Map<string, SecretColumn>();
  const encrypted = new Map<string, SecretColumn>();
  const count = (map: Map<string, SecretColumn>, table: string, column: string, what: string) => {
    const key = `${table}.${column}`;
    const entry = map.get(key) ?? { table, column, what, rows: 0 };
    entry.rows++;
    map.set(key, entry);
  };
  return deps.database.system(async ({ tx }) => {
    await repo.beginSnapshot(tx);
    const schemaVersion = await repo.appliedMigrations(tx);
    // The company first, then its users (a restore finds clashing users before it writes the rest), then by name.
    const rank = (t: string) => (t === 'companies' ? 0 : t === 'users' ? 1 : 2);
    const tables = (await repo.companyTables(tx)).sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
    await repo.enterCompanyReadOnly(tx, tenantId);
    const company = await repo.companyRow(tx, tenantId);
    if (!company) throw notFound('Company');
    const manifestTables: ManifestTable[] = [];
    for (const table of tables) {
      if (SKIPPED_TABLES[table.name]) continue;
      const secrets = secretsOf(table.name);
      const hasId = table.name !== 'companies' && table.columns.some((c) => c.name === 'id');
      const range = hasId ? await repo.idRange(tx, table.name, tenantId) : { min: null, max: null };
      const entry: ManifestTable = { name: table.name, columns: table.columns.filter((c) => !c.generated).map((c) => c.name), rows: 0, sha256: '', minId: range.min, maxId: range.max, parts: [] };
      let chunk: string[] = [];
      let bytes = 0;
      let rowsInChunk = 0;
      const flush = async () => {
        if (rowsInChunk === 0) return;
        const body = Buffer.from(chunk.join(''), 'utf8');
        const name = `tables/${table.name}.${String(entry.parts.length + 1).padStart(5, '0')}.ndjson`;
        await addEntry(pack, name, body);
        entry.parts.push({ name, rows: rowsInChunk, size: body.length, sha256: sha256hex(body) });
        chunk = [];
        bytes = 0;
        rowsInChunk = 0;
      };
      const cursor = `backup_${table.name}`;
      await repo.openRows(tx, cursor, table, tenantId);
      while (true) {
        const rows = await repo.fetchRows(tx, cursor, FETCH_ROWS);
        for (let line of rows) {
          if (secrets.size > 0) {
            const row = JSON.parse(line) as Row;
            for (const [column, cls] of secrets) {
              const value = row[column];
              if (value === null || value === undefined) continue;
              if (cls.kind === 'plain') continue;
              if (crypt) {
                const plain = cls.kind === 'secret' && cls.sealed ? decryptSecret(deps.config.sessionSecret, String(value)) : String(value);
                if (plain === null) {
                  row[column] = null;
                  count(toReEnter, table.name, column, cls.what);
                } else {
                  row[column] = { $sealed: seal(crypt.key, plain) };
                  count(encrypted, table.name, column, cls.what);
                }
              } else if (cls.kind === 'secret') {
                row[column] = null;
                count(toReEnter, table.name, column, cls.what);
              }
            }
            line = JSON.stringify(row);
          }
          chunk.push(line, '\n');
          bytes += line.length + 1;
          rowsInChunk++;
          entry.rows++;
          if (bytes >= PART_BYTES) await flush();
        }
        if (rows.length < FETCH_ROWS) break;
      }
      await repo.closeRows(tx, cursor);
      await flush();
      entry.sha256 = sha256hex(entry.parts.map((p) => p.sha256).join(''));
      manifestTables.push(entry);
    }
    const files: ManifestFile[] = [];
    const missingFiles: string[] = [];
    for (const fc of FILE_COLUMNS) {
      const [t, c] = fc.split('.') as [string, string];
      if (!tables.some((x) => x.name === t)) continue;
      for (const key of await repo.fileKeys(tx, t, c, tenantId)) {
        let body: Buffer;
        try {
          body = await readAll(deps.storage.get(key));
        } catch {
          missingFiles.push(key);
          continue;
        }
        const name = `files/${String(files.length + 1).padStart(6, '0')}`;
        await addEntry(pack, name, body);
        files.push({ name, key, size: body.length, sha256: sha256hex(body) });
      }
    }
    const manifest: Manifest = {
      format: FORMAT,
      formatVersion: FORMAT_VERSION,
      schemaVersion,
      appVersion: VERSION,
      createdAt: new Date().toISOString(),
      engine: deps.database.kind,
      company,
      secrets: {
        mode: crypt ? 'encrypted' : 'left-out',
        toReEnter: [...toReEnter.values()],
        encrypted: [...encrypted.values()],
        ...(crypt ? { kdf: crypt.kdf, check: seal(crypt.key, CHECK_TEXT) } : {}),
      },
      skippedTables: Object.entries(SKIPPED_TABLES).map(([table, reason]) => ({ table, reason })),
      tables: manifestTables,
      files,
      missingFiles,
    };
    await addEntry(pack, 'manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
    return manifest;
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** POST /api/v1/company/backup: the caller's company, audited once the archive is complete. */
export async function downloadBackup(ctx: Ctx, input: BackupOptions): Promise<{ stream: Readable; fileName: string }> {
  const actor = requireCompanyAdmin(ctx);
  const { deps } = ctx;
  const stream = companyBackupStream(deps, actor.tenantId, input, async (m) => {
    await deps.database.withTenant(actor.tenantId, (scope) =>
      writeAudit(scope, actor, ctx.info.ip, {
        action: 'company.backed_up',
        targetType: 'company',
        targetId: actor.tenantId,
        details: { secrets: m.secrets.mode, tables: m.tables.length, rows: m.tables.reduce((n, t) => n + t.rows, 0), files: m.files.length },
      }),
    );
  });
  return { stream, fileName: backupFileName(actor.profile.companySlug) };
}

/**
 * The operator downloads any company's archive — a suspended one too (it is read-only and refuses
 * logins, so its own admins cannot): "export works while suspended" (SPEC §1).
 */
export async function operatorDownloadBackup(ctx: Ctx, companyId: number, input: BackupOptions): Promise<{ stream: Readable; fileName: string }> {
  const { deps, actor } = ctx;
  if (actor?.kind !== 'superadmin') throw forbidden();
  const company = await deps.database.system(({ tx }) => repo.companyById(tx, companyId));
  if (!company) throw notFound('Company');
  const stream = companyBackupStream(deps, company.id, input, async (m) => {
    await deps.database.withTenant(company.id, (scope) =>
      writeAudit(scope, actor, ctx.info.ip, {
        action: 'company.backed_up',
        tenantId: company.id,
        targetType: 'company',
        targetId: company.id,
        details: { by: 'operator', secrets: m.secrets.mode, tables: m.tables.length, rows: m.tables.reduce((n, t) => n + t.rows, 0), files: m.files.length },
      }),
    );
  });
  return { stream, fileName: backupFileName(company.slug) };
}

export interface RestoreOptions {
  mode: 'new' | 'replace';
  slug: string;
  name?: string;
  passphrase?: string;
}

export interface RestoreResult {
  company: { id: number; name: string; slug: string };
  /** Secrets to enter again, tables and columns an older archive lacked, values renewed to avoid a clash. */
  notes: string[];
  toReEnter: SecretColumn[];
}

/** Applies the upgrade steps newer than the archive's schema to its manifest (table and column renames). */
function upgradeManifest(manifest: Manifest): Map<string, Record<string, string>> {
  const renames = new Map<string, Record<string, string>>();
  for (const step of UPGRADES) {
    if (step.toSchemaVersion <= manifest.schemaVersion) continue;
    for (const t of manifest.tables) {
      const to = step.renameTables?.[t.name];
      if (to) t.name = to;
      const cols = step.renameColumns?.[t.name];
      if (cols) {
        t.columns = t.columns.map((c) => cols[c] ?? c);
        renames.set(t.name, { ...(renames.get(t.name) ?? {}), ...cols });
      }
    }
  }
  return renames;
}

/**
 * Restores an archive (a file on disk) as a new company or in place of one. Ids are kept: keys are
 * (tenant_id, id), so a company's rows keep their ids beside any other company. The company's own id
 * is kept when it is free on this instance (an empty instance: the restore is identical to the
 * original), else it gets a new one. Tables keyed by id alone (audit log, mail outbox, tokens) keep
 * their ids when free and are moved up by one offset when other companies use them (references
 * follow). Values unique across the instance (device keys, asset label tokens) are renewed only if
 * another company holds the same value. Identity sequences move past the restored ids.
 */
export async function restoreCompany(deps: Deps, actor: Actor | null, ip: string | null, file: string, options: RestoreOptions): Promise<RestoreResult> {
  const currentSchema = await deps.database.system(({ tx }) => repo.appliedMigrations(tx));
  const { manifest, key } = await inspectArchive(file, currentSchema, options.passphrase);
  const renames = upgradeManifest(manifest);
  const notes: string[] = [];

  // Decide where the files go before writing them: the original keys when the company keeps its id.
  const target = await deps.database.system(async ({ tx }) => {
    if (options.mode === 'new') {
      if (await repo.companyBySlug(tx, options.slug)) throw new AppError('duplicate', 'A company with this slug exists', { fields: { slug: 'is taken' } });
      return { existing: null, keepId: await repo.companyIdFree(tx, manifest.company.id) };
    }
    const existing = await repo.companyBySlug(tx, options.slug);
    if (!existing) throw notFound('Company');
    return { existing, keepId: false };
  });
  const prefix = target.keepId ? '' : `restored/${randomBytes(6).toString('hex')}/`;

  // Foreign keys deferrable (a catalogue change, once), so rows go in whatever order the archive has.
  await deps.database.system(async ({ tx }) => {
    for (const fk of await repo.nonDeferrableForeignKeys(tx)) await repo.makeDeferrable(tx, fk.t, fk.c);
  });

  const written: string[] = [];
  const fileByName = new Map(manifest.files.map((f) => [f.name, f]));
  try {
    await readArchive(file, async (name, body) => {
      const f = fileByName.get(name);
      if (!f) return;
      await deps.storage.put(prefix + f.key, Readable.from([body]));
      written.push(prefix + f.key);
    });
    const result = await deps.database.system(async (scope) => {
      const { tx } = scope;
      await repo.deferConstraints(tx);
      await pauseCostAggregate(tx);
      // As a superuser (PGlite always), no per-row foreign-key triggers on delete and insert: every
      // key is checked once per constraint before the commit instead (several times faster).
      const bulkChecks = await repo.canSkipRowTriggers(tx);
      if (bulkChecks) await repo.skipRowTriggers(tx);
      const tables = new Map((await repo.companyTables(tx)).map((t) => [t.name, t]));
      for (const t of manifest.tables) {
        const current = tables.get(t.name);
        if (!current) {
          if (manifest.schemaVersion < currentSchema) {
            notes.push(`table ${t.name} of the archive no longer exists: left out`);
            continue;
          }
          throw badArchive(`table ${t.name} is unknown to this instance`, { table: t.name });
        }
        const known = new Set(current.columns.map((c) => c.name));
        const unknown = t.columns.filter((c) => !known.has(c));
        if (unknown.length > 0 && manifest.schemaVersion >= currentSchema) throw badArchive(`columns ${unknown.join(', ')} of ${t.name} are unknown to this instance`, { table: t.name });
        if (manifest.schemaVersion < currentSchema) {
          const missing = current.columns.filter((c) => !c.generated && !t.columns.includes(c.name)).map((c) => c.name);
          if (missing.length > 0) notes.push(`${t.name}: ${missing.join(', ')} not in the older archive, set to their defaults`);
        }
      }

      let tenantId: number;
      const oldFiles: string[] = [];
      if (options.mode === 'new') {
        tenantId = target.keepId && (await repo.companyIdFree(tx, manifest.company.id)) ? manifest.company.id : await repo.nextCompanyId(tx);
        if (target.keepId && tenantId !== manifest.company.id) throw new AppError('conflict', 'The company id was taken meanwhile: restore again');
      } else {
        tenantId = (target.existing as { id: number }).id;
        for (const fc of FILE_COLUMNS) {
          const [t, c] = fc.split('.') as [string, string];
          if (tables.has(t)) oldFiles.push(...(await repo.fileKeys(tx, t, c, tenantId)));
        }
        for (const t of tables.values()) if (t.name !== 'companies') await repo.deleteCompanyRows(tx, t.name, tenantId);
      }

      // Offsets for tables keyed by id alone whose ids other companies use.
      const offsets = new Map<string, number>();
      for (const t of manifest.tables) {
        const current = tables.get(t.name);
        if (!current || current.name === 'companies' || current.pk.length !== 1 || current.pk[0] !== 'id' || t.minId === null || t.maxId === null) continue;
        const offset = await repo.idOffset(tx, t.name, t.minId, t.maxId);
        offsets.set(t.name, offset);
        if (offset !== 0) notes.push(`${t.name}: ids are used by another company, moved up by ${offset}`);
      }

      const clashes = { emails: [] as string[], usernames: [] as string[] };
      const manifestByName = new Map(manifest.tables.map((t) => [t.name, t]));
      const partTable = new Map<string, ManifestTable>();
      for (const t of manifest.tables) for (const p of t.parts) partTable.set(p.name, t);
      // Parts of a renamed table keep their names in the archive.
      await readArchive(file, async (name, body) => {
        const mt = partTable.get(name);
        if (!mt) return;
        const current = tables.get(mt.name);
        if (!current) return;
        const lines = body.toString('utf8').split('\n');
        lines.pop();
        await restoreRows(deps, tx, {
          table: current,
          archived: manifestByName.get(mt.name) as ManifestTable,
          lines,
          tenantId,
          mode: options.mode,
          slug: options.slug,
          name: options.name,
          key,
          prefix,
          offsets,
          renames: renames.get(mt.name),
          clashes,
        });
      });
      if (clashes.emails.length > 0 || clashes.usernames.length > 0) {
        throw new AppError('users_exist', 'Users of the archive already exist on this instance', { emails: clashes.emails, usernames: clashes.usernames });
      }
      for (const t of tables.values()) if (t.columns.some((c) => c.name === 'id' && c.identity)) await repo.advanceSequence(tx, t.name);
      if (bulkChecks) {
        for (const fk of await repo.foreignKeys(tx)) {
          if (await repo.foreignKeyBroken(tx, fk, tenantId)) {
            throw badArchive(`rows of ${fk.table} refer to rows of ${fk.references} that are not there (${fk.name})`, { table: fk.table });
          }
        }
      }
      await rebuildCostAggregate(tx, tenantId);
      const company = (await repo.companyRow(tx, tenantId)) as { id: number; slug: string; name: string };
      await writeAudit(scope, actor, ip, {
        action: 'company.restored',
        tenantId: null,
        targetType: 'company',
        targetId: tenantId,
        details: { mode: options.mode, slug: company.slug, from: manifest.company.slug, createdAt: manifest.createdAt, schemaVersion: manifest.schemaVersion },
      });
      scope.afterCommit(async () => {
        deps.authCache.clear();
        for (const k of oldFiles) if (!written.includes(k)) await deps.storage.remove(k).catch(() => {});
      });
      return company;
    });
    for (const s of manifest.secrets.toReEnter) notes.push(`to re-enter: ${s.what} (${s.table}.${s.column}, ${s.rows})`);
    return { company: result, notes, toReEnter: manifest.secrets.toReEnter };
  } catch (err) {
    for (const k of written) await deps.storage.remove(k).catch(() => {});
    throw err;
  }
}

interface RestoreBatch {
  table: repo.TableInfo;
  archived: ManifestTable;
  lines: string[];
  tenantId: number;
  mode: 'new' | 'replace';
  slug: string;
  name: string | undefined;
  key: Buffer | null;
  prefix: string;
  offsets: Map<string, number>;
  renames: Record<string, string> | undefined;
  clashes: { emails: string[]; usernames: string[] };
}

async function restoreRows(deps: Deps, tx: Parameters<typeof repo.insertRows>[0], b: RestoreBatch): Promise<void> {
  const { table } = b;
  const secrets = secretsOf(table.name);
  const notNull = new Set(table.columns.filter((c) => !c.nullable).map((c) => c.name));
  const present = new Set(b.archived.columns);
  const columns = table.columns.filter((c) => !c.generated && present.has(c.name)).map((c) => c.name);
  const parse = secrets.size > 0 || b.renames !== undefined || table.name === 'companies' || table.name === 'users';
  let lines = b.lines;
  if (parse) {
    const out: string[] = [];
    const emails: string[] = [];
    const usernames: string[] = [];
    for (const line of lines) {
      const row = JSON.parse(line) as Row;
      if (b.renames) for (const [from, to] of Object.entries(b.renames)) if (from in row) row[to] = row[from];
      for (const [column, cls] of secrets) {
        const value = row[column];
        if (value && typeof value === 'object' && '$sealed' in value) {
          const plain = b.key ? unseal(b.key, String((value as { $sealed: unknown }).$sealed)) : null;
          if (plain === null) throw badArchive(`a secret in ${table.name}.${column} cannot be decrypted`);
          row[column] = cls.kind === 'secret' && cls.sealed ? encryptSecret(deps.config.sessionSecret, plain) : plain;
        } else if ((value === null || value === undefined) && notNull.has(column)) {
          // Left out of the archive: an unusable value; the credential is issued again. A sealed column
          // gets a random secret sealed with this instance's key (readable, so its module keeps working
          // — a webhook signs with it until the admin rotates it).
          row[column] = cls.kind === 'secret' && cls.sealed ? encryptSecret(deps.config.sessionSecret, randomBytes(32).toString('base64')) : randomBytes(32).toString('hex');
        }
      }
      if (table.name === 'companies') {
        row.id = b.tenantId;
        row.slug = b.slug;
        if (b.name) row.name = b.name;
        row.signup_key_hash = null;
      }
      if (table.name === 'users') {
        if (typeof row.email === 'string') emails.push(row.email.toLowerCase());
        if (typeof row.username === 'string') usernames.push(row.username.toLowerCase());
      }
      out.push(JSON.stringify(row));
    }
    lines = out;
    if (table.name === 'users') {
      const found = await repo.clashingUsers(tx, emails, usernames);
      b.clashes.emails.push(...found.emails);
      b.clashes.usernames.push(...found.usernames);
    }
  }
  if (b.clashes.emails.length > 0 || b.clashes.usernames.length > 0) return;
  if (table.name === 'companies') {
    const json = lines[0];
    if (!json) throw badArchive('the company row is missing');
    if (b.mode === 'replace') {
      const keep = new Set(['id', 'slug', 'seats', 'suspended', 'signup_key_hash', 'signed_up_at']);
      return repo.updateCompanyFrom(
        tx,
        columns.filter((c) => !keep.has(c)),
        json,
        b.tenantId,
      );
    }
    return repo.insertRows(tx, { table: 'companies', columns, expr: {} }, `[${json}]`, b.tenantId);
  }
  const plan: repo.InsertPlan = { table: table.name, columns, expr: {} };
  for (const c of columns) {
    if (c === 'tenant_id') plan.expr[c] = 'tenant';
    else if (c === 'id' && b.offsets.has(table.name)) plan.expr[c] = { offset: b.offsets.get(table.name) ?? 0 };
    else if (table.globalRefs[c] && b.offsets.has(table.globalRefs[c] as string)) plan.expr[c] = { offset: b.offsets.get(table.globalRefs[c] as string) ?? 0 };
    else if (ID_ARRAY_COLUMNS[`${table.name}.${c}`] && b.offsets.get(ID_ARRAY_COLUMNS[`${table.name}.${c}`] as string)) {
      plan.expr[c] = { offsetEach: b.offsets.get(ID_ARRAY_COLUMNS[`${table.name}.${c}`] as string) ?? 0 };
    } else if (FILE_COLUMNS.includes(`${table.name}.${c}`) && b.prefix) plan.expr[c] = { prefix: b.prefix };
    else if (table.globalUnique.includes(c) && table.name !== 'users') plan.expr[c] = 'renew-on-clash';
  }
  let batch: string[] = [];
  let bytes = 0;
  const send = async () => {
    if (batch.length === 0) return;
    await repo.insertRows(tx, plan, `[${batch.join(',')}]`, b.tenantId);
    batch = [];
    bytes = 0;
  };
  for (const line of lines) {
    batch.push(line);
    bytes += line.length;
    if (batch.length >= INSERT_ROWS || bytes >= INSERT_BYTES) await send();
  }
  await send();
}

/** The largest archive the restore route takes (the operator's own upload). */
export const RESTORE_LIMIT_BYTES = 64 * 1024 ** 3;

/** POST /api/v1/admin/companies/restore: fields, then the archive spooled to a temporary file. */
export async function restoreUpload(ctx: Ctx, parts: AsyncIterable<UploadPart>): Promise<RestoreAnswer> {
  if (ctx.actor?.kind !== 'superadmin') throw new AppError('forbidden', 'Only the instance operator restores companies');
  const fields: Record<string, unknown> = {};
  const dir = await mkdtemp(path.join(tmpdir(), 'steward-restore-'));
  const file = path.join(dir, 'archive.tar.gz');
  let haveFile = false;
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        fields[part.name] = part.value === '' ? undefined : part.value;
        continue;
      }
      if (part.name !== 'file' || haveFile) {
        part.stream.resume();
        continue;
      }
      await pipeline(part.stream, createWriteStream(file, { mode: 0o600 }));
      if (part.stream.truncated) throw new AppError('payload_too_large', 'The archive is too large', { limitBytes: RESTORE_LIMIT_BYTES });
      haveFile = true;
    }
    if (!haveFile) throw invalid({ file: 'send the archive in the field "file"' });
    const input = restoreFields.safeParse(fields);
    if (!input.success) throw invalid(Object.fromEntries(input.error.issues.map((i) => [i.path.join('.') || 'body', i.message])));
    const result = await restoreCompany(ctx.deps, ctx.actor, ctx.info.ip, file, input.data);
    return { company: { id: String(result.company.id), name: result.company.name, slug: result.company.slug }, notes: result.notes, toReEnter: result.toReEnter };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The company of a slug, for `steward backup --company`. */
export async function companyIdBySlug(deps: Deps, slug: string): Promise<number | null> {
  const row = await deps.database.system(({ tx }) => repo.companyBySlug(tx, slug));
  return row?.id ?? null;
}
