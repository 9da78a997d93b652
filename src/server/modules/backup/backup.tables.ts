// What a company backup holds, decided per table and per column. The tables themselves are found in
// the database (every table with a tenant_id column, plus the company's own row): this file only
// classifies them, and test/http/backup-registry.test.ts fails when a company table or a column whose
// name looks secret is not classified here, so a new table or credential cannot be forgotten.

/** Tables of a company that the archive leaves out on purpose, with the reason (shown in the manifest). */
export const SKIPPED_TABLES: Record<string, string> = {
  sessions: 'sign-ins end with a restore: everyone signs in again',
  presence: 'who is online right now',
  cost_daily: 'derived from the cost lines: rebuilt by the restore',
};

/** Tables without tenant_id that belong to the instance, not to a company (never in a company archive). */
export const INSTANCE_TABLES = new Set(['companies', 'super_admins', 'login_throttle', 'steward_processes']);

/**
 * How a column whose name looks secret is handled:
 * - `secret`: left out (listed in the manifest "to re-enter") unless a passphrase is given, then
 *   included encrypted with it. `sealed` ones are kept at rest encrypted with the instance's key
 *   (SESSION_SECRET): the archive carries their plain text under the passphrase and the restore seals
 *   them again with the new instance's key, so they survive a move between instances.
 * - `credential`: always included (the users' password hashes and 2FA seeds: a restored company
 *   signs in as before), encrypted with the passphrase when one is given.
 * - `plain`: the name looks secret, the value is not (kept as is).
 */
export type ColumnClass =
  | { kind: 'secret'; what: string; sealed?: boolean }
  | { kind: 'credential'; what: string }
  | { kind: 'plain'; why: string };

export const SECRET_COLUMNS: Record<string, ColumnClass> = {
  'users.password_hash': { kind: 'credential', what: 'user password hashes (argon2id)' },
  'users.totp_secret': { kind: 'credential', what: 'two-factor authentication seeds' },
  'api_tokens.token_hash': { kind: 'secret', what: 'API tokens (issue new ones)' },
  'calendar_feeds.token_hash': { kind: 'secret', what: 'calendar feed links (make new links)' },
  'one_time_tokens.token_hash': { kind: 'secret', what: 'pending invitation and password reset links (send new ones)' },
  'report_schedule_runs.link_token_hash': { kind: 'secret', what: 'download links of scheduled reports' },
  'mailboxes.password_enc': { kind: 'secret', what: 'mailbox passwords', sealed: true },
  'mailboxes.client_secret_enc': { kind: 'secret', what: 'Microsoft 365 client secrets of mailboxes', sealed: true },
  'mailboxes.graph_token_enc': { kind: 'secret', what: 'Microsoft 365 access tokens of mailboxes (fetched again)', sealed: true },
  'mailboxes.webhook_token_hash': { kind: 'secret', what: 'mailbox webhook tokens (hash)' },
  'mailboxes.webhook_token_enc': { kind: 'secret', what: 'mailbox webhook tokens', sealed: true },
  'devices.secret_hash': { kind: 'secret', what: 'device credentials (issue new device secrets)' },
  'webhooks.secret_enc': { kind: 'secret', what: 'webhook signing secrets (rotate them after a restore without passphrase)', sealed: true },
  'webhooks.previous_secret_enc': { kind: 'secret', what: 'webhook secrets before their last rotation', sealed: true },
  'webhooks.previous_secret_until': { kind: 'plain', why: 'a time, not a secret' },
  'companies.signup_key_hash': { kind: 'secret', what: 'the signup key (instance level)' },
  'mailboxes.graph_token_expires_at': { kind: 'plain', why: 'a time, not a token' },
  'assets.public_token': { kind: 'plain', why: 'printed on asset labels (QR links): kept so labels keep working' },
};

/** The classified secret columns of a table: column → class. */
export function secretsOf(table: string): Map<string, ColumnClass> {
  const out = new Map<string, ColumnClass>();
  for (const [name, cls] of Object.entries(SECRET_COLUMNS)) {
    const [t, c] = name.split('.') as [string, string];
    if (t === table && cls.kind !== 'plain') out.set(c, cls);
  }
  return out;
}

/** Names that look like a secret: every such column must be classified in SECRET_COLUMNS. */
export const SECRET_NAME = /password|secret|token|hash|_enc$|credential|private|api_?key|signing/;

/** Columns holding a storage key: the archive carries these files, the restore writes them back. */
export const FILE_COLUMNS = ['attachments.storage_key', 'asset_files.storage_key', 'inventory_files.storage_key', 'inbound_messages.raw_key', 'documents.storage_key'];

/**
 * Array columns holding ids of a table keyed by id alone (no foreign key can say so): column → that
 * table. When a restore moves that table's ids up by an offset, these ids follow, as foreign keys do.
 */
export const ID_ARRAY_COLUMNS: Record<string, string> = {
  'report_schedule_runs.mail_ids': 'mail_outbox',
};

/** Names that look like a storage key: every such column must be in FILE_COLUMNS or NOT_FILE_COLUMNS. */
export const FILE_NAME = /storage_key|raw_key|file_key|_path$/;
export const NOT_FILE_COLUMNS = new Set(['assets.location_path']);

/**
 * Upgrades of archives made on an older schema, keyed by the schema version (count of migrations)
 * that needs them: renames of tables or columns. A column an archive lacks gets its default, a table
 * it lacks stays empty; these steps are for what a default cannot express.
 */
export interface UpgradeStep {
  toSchemaVersion: number;
  description: string;
  renameTables?: Record<string, string>;
  renameColumns?: Record<string, Record<string, string>>;
}
export const UPGRADES: UpgradeStep[] = [];

export const FORMAT = 'steward-company-backup';
export const FORMAT_VERSION = 1;
