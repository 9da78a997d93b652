// Company backups (docs/backup.md): the company's administrators download their own, the operator
// any company's; each is audited once the archive is complete. backup.export.ts writes the archive,
// restore.service.ts restores one.
import type { Readable } from 'node:stream';
import { ALL_PERMISSIONS } from '../../../shared/permissions/index.js';
import { writeAudit } from '../../platform/audit.js';
import { type Ctx, type Deps, requireUser } from '../../platform/context.js';
import { AppError, forbidden, notFound } from '../../platform/errors.js';
import { type BackupOptions, companyBackupStream } from './backup.export.js';
import * as repo from './backup.repo.js';

/** Backups are for the company's administrators: everything the company holds is in them. */
export function requireCompanyAdmin(ctx: Ctx) {
  const actor = requireUser(ctx);
  if (!ALL_PERMISSIONS.every((p) => actor.permissions.has(p))) throw new AppError('forbidden', 'Only an administrator with every permission can download the company backup');
  return actor;
}

export function backupFileName(slug: string, at = new Date()): string {
  return `steward-${slug}-${at.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.tar.gz`;
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

/** The company of a slug, for `steward backup --company`. */
export async function companyIdBySlug(deps: Deps, slug: string): Promise<number | null> {
  const row = await deps.database.system(({ tx }) => repo.companyBySlug(tx, slug));
  return row?.id ?? null;
}
