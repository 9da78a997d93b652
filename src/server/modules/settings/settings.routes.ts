// Company settings: name, time zone, default locale. Every change is audited.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { companies } from '../../db/schema/index.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { ctxOf, type ModulePlugin, name, timezone } from '../http.js';

const settingsDto = z.object({
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  locale: z.string(),
  seats: z.number(),
  can: z.object({ update: z.boolean() }),
});
const LOCALES = ['en'] as const;

type Company = typeof companies.$inferSelect;
const toDto = (c: Company, canUpdate: boolean) => ({
  name: c.name,
  slug: c.slug,
  timezone: c.timezone,
  locale: typeof c.settings.locale === 'string' ? c.settings.locale : 'en',
  seats: c.seats,
  can: { update: canUpdate },
});

async function getSettings(ctx: Ctx) {
  const actor = requireUser(ctx);
  const [row] = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => tx.select().from(companies).where(eq(companies.id, actor.tenantId)));
  return toDto(row, actor.permissions.has('settings.manage'));
}

async function updateSettings(ctx: Ctx, input: { name?: string; timezone?: string; locale?: string }) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const [before] = await scope.tx.select().from(companies).where(eq(companies.id, actor.tenantId)).for('update');
    const [row] = await scope.tx
      .update(companies)
      .set({
        name: input.name,
        timezone: input.timezone,
        settings: input.locale ? sql`${companies.settings} || ${JSON.stringify({ locale: input.locale })}::jsonb` : undefined,
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
    schema: { tags: ['settings'], summary: "The company's settings", response: { 200: z.object({ settings: settingsDto }) } },
    handler: async (req) => ({ settings: await getSettings(ctxOf(deps, req)) }),
  });

  app.patch('/api/v1/settings', {
    config: { access: 'settings.manage' },
    schema: {
      tags: ['settings'],
      summary: "Change the company's name, time zone or locale",
      body: z.object({ name: name.optional(), timezone: timezone.optional(), locale: z.enum(LOCALES).optional() }),
      response: { 200: z.object({ settings: settingsDto }) },
    },
    handler: async (req) => ({ settings: await updateSettings(ctxOf(deps, req), req.body) }),
  });
};
