// Company restores (docs/backup.md), by the instance operator. A restore reads the archive three times:
// to check it whole (nothing is written before it passes), to put its files in storage (outside the
// transaction: storage may be a network service), and to insert its rows in ONE transaction with
// foreign keys deferred (or, as a superuser, checked once per constraint at the end instead of per
// row). A failure removes the files again.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type RestoreAnswer, restoreFields } from '../../../shared/contracts/backup.js';
import type { Actor } from '../../platform/actor.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { UploadPart } from '../../platform/multipart.js';
import { pauseCostAggregate, rebuildCostAggregate } from '../reports/reports.service.js';
import { inspectArchive, type ManifestTable, readArchive, type SecretColumn } from './backup.archive.js';
import * as repo from './backup.repo.js';
import { checkForeignKeys, checkTablesKnown, upgradeManifest } from './backup.restore-checks.js';
import { restoreRows } from './backup.restore-rows.js';
import { FILE_COLUMNS } from './backup.tables.js';

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
      notes.push(...checkTablesKnown(manifest, tables, currentSchema));

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
      if (bulkChecks) await checkForeignKeys(tx, tenantId);
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
