// Company backups (POST /api/v1/company/backup) and restores (POST /api/v1/admin/companies/restore).
import { z } from 'zod';
import { companyRef } from './companies.js';
import { slug } from './common.js';

/** A passphrase encrypts the archive's secrets; without one they are left out and listed "to re-enter". */
export const backupPassphrase = z.string().min(10, 'must be at least 10 characters').max(1000);
export const backupBody = z.object({ passphrase: backupPassphrase.optional() }).strict();
export const backupArchive = z.string().describe('application/gzip: a tar of manifest.json, tables/*.ndjson and files/* (docs/backup.md)');

export const RESTORE_MODES = ['new', 'replace'] as const;
/** The multipart fields beside `file` (sent before it). */
export const restoreFields = z
  .object({
    mode: z.enum(RESTORE_MODES),
    slug,
    name: z.string().trim().min(1).max(200).optional(),
    passphrase: z.string().min(1).max(1000).optional(),
  })
  .strict();
export type RestoreFields = z.infer<typeof restoreFields>;

export const secretColumn = z.object({ table: z.string(), column: z.string(), what: z.string(), rows: z.number() });
export const restoreAnswer = z.object({ company: companyRef, notes: z.array(z.string()), toReEnter: z.array(secretColumn) });
export type RestoreAnswer = z.infer<typeof restoreAnswer>;
