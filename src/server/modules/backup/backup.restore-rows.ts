// One part of an archive's table made ready for this instance and inserted: secrets opened with the
// passphrase and sealed again with this instance's key (or renewed when left out), the company row
// renamed, users checked for clashes, ids moved by the table offsets and file keys by the prefix.
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../platform/context.js';
import { encryptSecret } from '../../platform/crypto.js';
import { badArchive, type ManifestTable, unseal } from './backup.archive.js';
import * as repo from './backup.repo.js';
import { FILE_COLUMNS, ID_ARRAY_COLUMNS, secretsOf } from './backup.tables.js';

const INSERT_ROWS = 2000;
const INSERT_BYTES = 8 * 1024 * 1024;

type Row = Record<string, unknown>;

export interface RestoreBatch {
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

export async function restoreRows(deps: Deps, tx: Parameters<typeof repo.insertRows>[0], b: RestoreBatch): Promise<void> {
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
