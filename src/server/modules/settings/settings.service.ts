// Company settings: name, time zone, locale and currency, the public address QR codes carry, ticket
// archive and retention periods. Every change is audited.
import { DEFAULT_CURRENCY, DEFAULT_LOCALE } from '../../../shared/locale.js';
import type { Config } from '../../config.js';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { ARCHIVE_AFTER_DAYS, daysSetting, REJECTED_RETENTION_DAYS } from '../tickets/tickets.service.js';
import { RETENTION_KEYS, type RetentionSettings, retentionOf } from '../retention/retention.service.js';
import * as repo from './settings.repo.js';
import { meterAlertReminderHours } from '../meters/alert-reminders.service.js';
import { meterRetentionDays } from '../meters/meters-retention.service.js';

const text = (settings: Record<string, unknown>, key: string) => (typeof settings[key] === 'string' && settings[key] ? (settings[key] as string) : null);

export type PublicUrlSource = 'env' | 'company' | 'default';

/**
 * The address QR codes and public links carry. PUBLIC_URL is the operator's word and wins; then the
 * company's own setting (asked by the setup screen); else a guess from HOST and PORT, which the
 * screens warn about because it is often `localhost`.
 */
export function resolvePublicUrl(config: Pick<Config, 'publicUrl' | 'publicUrlSet'>, companyUrl: string | null): { url: string; source: PublicUrlSource } {
  if (config.publicUrlSet) return { url: config.publicUrl, source: 'env' };
  if (companyUrl) return { url: companyUrl, source: 'company' };
  return { url: config.publicUrl, source: 'default' };
}

/** The public address for a company, read in the caller's transaction. */
export async function publicUrlOf(tx: Tx, config: Config, tenantId: number): Promise<string> {
  if (config.publicUrlSet) return config.publicUrl;
  return resolvePublicUrl(config, await repo.findPublicUrl(tx, tenantId)).url;
}

const toDto = (c: repo.Company, canUpdate: boolean, config: Config) => {
  const address = resolvePublicUrl(config, text(c.settings, 'publicUrl'));
  return {
    name: c.name,
    slug: c.slug,
    timezone: c.timezone,
    locale: text(c.settings, 'locale') ?? DEFAULT_LOCALE,
    currency: text(c.settings, 'currency') ?? DEFAULT_CURRENCY,
    publicUrl: text(c.settings, 'publicUrl'),
    qrBaseUrl: address.url,
    qrBaseSource: address.source,
    seats: c.seats,
    archiveAfterDays: daysSetting(c.settings, 'archiveAfterDays', ARCHIVE_AFTER_DAYS),
    rejectedRetentionDays: daysSetting(c.settings, 'rejectedRetentionDays', REJECTED_RETENTION_DAYS),
    ...retentionOf(c.settings),
    meterRetentionDays: meterRetentionDays(c.settings),
    meterAlertReminderHours: meterAlertReminderHours(c.settings),
    can: { update: canUpdate },
  };
};

/** The company's currency (ISO 4217), read in the caller's transaction. */
export async function currencyOf(tx: Tx, tenantId: number): Promise<string> {
  return text((await repo.findCompany(tx, tenantId)).settings, 'currency') ?? DEFAULT_CURRENCY;
}

/** The company's time zone and currency, read in the caller's transaction (workers have no request). */
export async function companyBasics(tx: Tx, tenantId: number): Promise<{ name: string; timezone: string; currency: string }> {
  const c = await repo.findCompany(tx, tenantId);
  return { name: c.name, timezone: c.timezone, currency: text(c.settings, 'currency') ?? DEFAULT_CURRENCY };
}

export async function getSettings(ctx: Ctx) {
  const actor = requireUser(ctx);
  const row = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.findCompany(tx, actor.tenantId));
  return toDto(row, actor.permissions.has('settings.manage'), ctx.deps.config);
}

export interface SettingsInput {
  name?: string;
  timezone?: string;
  locale?: string;
  currency?: string;
  /** null clears the company's address, so the guess (or PUBLIC_URL) applies again. */
  publicUrl?: string | null;
  archiveAfterDays?: number;
  rejectedRetentionDays?: number;
  meterRetentionDays?: number;
  meterAlertReminderHours?: number;
}
export type SettingsInputAll = SettingsInput & Partial<RetentionSettings>;

export async function updateSettings(ctx: Ctx, input: SettingsInputAll) {
  const actor = requireUser(ctx);
  return ctx.deps.database.withTenant(actor.tenantId, async (scope) => {
    const before = await repo.findCompany(scope.tx, actor.tenantId, true);
    const { locale, currency, archiveAfterDays, rejectedRetentionDays, meterRetentionDays, meterAlertReminderHours } = input;
    const retention = Object.fromEntries(RETENTION_KEYS.map((k) => [k, input[k]]));
    const stored: Record<string, unknown> = Object.fromEntries(
      Object.entries({ locale, currency, archiveAfterDays, rejectedRetentionDays, meterRetentionDays, meterAlertReminderHours, ...retention }).filter(([, v]) => v !== undefined),
    );
    // JSON null, not a missing key: the merge keeps keys it is not given.
    if (input.publicUrl !== undefined) stored.publicUrl = input.publicUrl;
    const row = await repo.updateCompany(scope.tx, actor.tenantId, { name: input.name, timezone: input.timezone, stored });
    await ctx.deps.authCache.invalidate(scope);
    await writeAudit(scope, actor, ctx.info.ip, {
      action: 'settings.updated',
      targetType: 'company',
      targetId: actor.tenantId,
      details: { before: toDto(before, true, ctx.deps.config), after: input },
    });
    return toDto(row, true, ctx.deps.config);
  });
}
