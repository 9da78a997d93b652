// Company settings: name, time zone, default locale, ticket archive and retention periods. Every change is audited.
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { ARCHIVE_AFTER_DAYS, daysSetting, REJECTED_RETENTION_DAYS } from '../tickets/tickets.jobs.js';
import * as repo from './settings.repo.js';

const toDto = (c: repo.Company, canUpdate: boolean) => ({
  name: c.name,
  slug: c.slug,
  timezone: c.timezone,
  locale: typeof c.settings.locale === 'string' ? c.settings.locale : 'en',
  seats: c.seats,
  archiveAfterDays: daysSetting(c.settings, 'archiveAfterDays', ARCHIVE_AFTER_DAYS),
  rejectedRetentionDays: daysSetting(c.settings, 'rejectedRetentionDays', REJECTED_RETENTION_DAYS),
  can: { update: canUpdate },
});

export async function getSettings(ctx: Ctx) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findCompany(tx, actor.tenantId));
  return toDto(row, actor.permissions.has('settings.manage'));
}

export async function updateSettings(
  ctx: Ctx,
  input: { name?: string; timezone?: string; locale?: string; archiveAfterDays?: number; rejectedRetentionDays?: number },
) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findCompany(scope.tx, actor.tenantId, true);
    const { locale, archiveAfterDays, rejectedRetentionDays } = input;
    const stored = Object.fromEntries(Object.entries({ locale, archiveAfterDays, rejectedRetentionDays }).filter(([, v]) => v !== undefined));
    const row = await repo.updateCompany(scope.tx, actor.tenantId, { name: input.name, timezone: input.timezone, stored });
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'settings.updated',
      targetType: 'company',
      targetId: actor.tenantId,
      details: { before: toDto(before, true), after: input },
    });
    return toDto(row, true);
  });
}
