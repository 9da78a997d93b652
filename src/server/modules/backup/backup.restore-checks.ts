// What a restore checks against this instance besides the archive itself (backup.archive.ts checks
// that): an older archive brought up to this schema, every table and column of it known here, and,
// when the per-row foreign-key triggers were skipped, every foreign key of the company checked once.
import type { Tx } from '../../platform/db.js';
import { badArchive, type Manifest } from './backup.archive.js';
import * as repo from './backup.repo.js';
import { UPGRADES } from './backup.tables.js';

/** Applies the upgrade steps newer than the archive's schema to its manifest (table and column renames). */
export function upgradeManifest(manifest: Manifest): Map<string, Record<string, string>> {
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
 * Refuses an archive with a table or column this instance does not know, unless the archive is older
 * (then the table is left out). Returns the notes for the operator: what was left out or defaulted.
 */
export function checkTablesKnown(manifest: Manifest, tables: Map<string, repo.TableInfo>, currentSchema: number): string[] {
  const notes: string[] = [];
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
  return notes;
}

/** Every foreign key of the company's rows, checked once per constraint (the row triggers were skipped). */
export async function checkForeignKeys(tx: Tx, tenantId: number): Promise<void> {
  for (const fk of await repo.foreignKeys(tx)) {
    if (await repo.foreignKeyBroken(tx, fk, tenantId)) {
      throw badArchive(`rows of ${fk.table} refer to rows of ${fk.references} that are not there (${fk.name})`, { table: fk.table });
    }
  }
}
