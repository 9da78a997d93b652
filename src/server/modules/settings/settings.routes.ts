// Company settings: name, time zone, default locale, ticket archive and retention periods. Every change is audited.
import { eq, sql } from 'drizzle-orm';
import { companies } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { settingsAnswer, type UpdateSettingsInput, updateSettingsBody } from '../../../shared/contracts/settings.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import { ARCHIVE_AFTER_DAYS, daysSetting, REJECTED_RETENTION_DAYS } from '../tickets/tickets.jobs.js';

type Company = typeof companies.$inferSelect;
const toDto = (c: Company, canUpdate: boolean) => ({
  name: c.name,
  slug: c.slug,
  timezone: c.timezone,
  locale: typeof c.settings.locale === 'string' ? c.settings.locale : 'en',
  seats: c.seats,
  archiveAfterDays: daysSetting(c.settings, 'archiveAfterDays', ARCHIVE_AFTER_DAYS),
  rejectedRetentionDays: daysSetting(c.settings, 'rejectedRetentionDays', REJECTED_RETENTION_DAYS),
  can: { update: canUpdate },
});

async function getSettings(ctx: Ctx) {
  const actor = requireUser(ctx);
  const [row] = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => tx.select().from(companies).where(eq(companies.id, actor.tenantId)));
  return toDto(row, actor.permissions.has('settings.manage'));
}

async function updateSettings(ctx: Ctx, input: UpdateSettingsInput) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [before] = await scope.tx.select().from(companies).where(eq(companies.id, actor.tenantId)).for('update');
    const { locale, archiveAfterDays, rejectedRetentionDays } = input;
    const stored = Object.fromEntries(Object.entries({ locale, archiveAfterDays, rejectedRetentionDays }).filter(([, v]) => v !== undefined));
    const [row] = await scope.tx
      .update(companies)
      .set({
        name: input.name,
        timezone: input.timezone,
        settings: Object.keys(stored).length ? sql`${companies.settings} || ${JSON.stringify(stored)}::jsonb` : undefined,
        updatedAt: sql`now()`,
      })
      .where(eq(companies.id, actor.tenantId))
      .returning();
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

export const settingsRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/settings', {
    config: { access: 'authenticated' },
    schema: { tags: ['settings'], summary: "The company's settings", response: { 200: settingsAnswer } },
    handler: async (req) => ({ settings: await getSettings(ctxOf(deps, req)) }),
  });

  app.patch('/api/v1/settings', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['settings'],
      summary: "Change the company's name, time zone, locale, or when closed tickets are archived and rejected ones purged",
      body: updateSettingsBody,
      response: { 200: settingsAnswer },
    },
    handler: async (req) => ({ settings: await updateSettings(ctxOf(deps, req), req.body) }),
  });
};
