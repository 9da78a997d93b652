// Writing a company's archive (docs/backup.md): one snapshot (a REPEATABLE READ, read-only
// transaction) streamed as a gzip'd tar: one NDJSON file per table in parts of about a megabyte, read
// through a cursor, the company's stored files, and manifest.json last with counts and checksums.
import { PassThrough, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';
import type { Deps } from '../../platform/context.js';
import { decryptSecret } from '../../platform/crypto.js';
import { notFound } from '../../platform/errors.js';
import { VERSION } from '../../version.js';
import { addEntry, CHECK_TEXT, type Manifest, type ManifestFile, type ManifestTable, newKdf, type SecretColumn, seal, sha256hex } from './backup.archive.js';
import * as repo from './backup.repo.js';
import { FILE_COLUMNS, FORMAT, FORMAT_VERSION, SKIPPED_TABLES, secretsOf } from './backup.tables.js';

const PART_BYTES = 1024 * 1024;
const FETCH_ROWS = 1000;

type Row = Record<string, unknown>;

export interface BackupOptions {
  passphrase?: string;
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
