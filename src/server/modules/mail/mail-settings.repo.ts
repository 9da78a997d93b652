// The company's mail-in settings: allowed domains, refused senders, size limit, reopen window, rate limit.
import { eq, sql } from 'drizzle-orm';
import { mailSettings } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export type SettingsRow = {
  allowedDomains: string[];
  denySenders: string[];
  maxMessageMb: number;
  reopenDays: number;
  senderHourlyLimit: number;
};

export const DEFAULT_SETTINGS: SettingsRow = {
  allowedDomains: [],
  denySenders: [],
  maxMessageMb: 25,
  reopenDays: 14,
  senderHourlyLimit: 30,
};

export async function settingsOf(tx: Tx, tenantId: number): Promise<SettingsRow> {
  const [row] = await tx.select().from(mailSettings).where(eq(mailSettings.tenantId, tenantId));
  return row
    ? {
        allowedDomains: row.allowedDomains,
        denySenders: row.denySenders,
        maxMessageMb: row.maxMessageMb,
        reopenDays: row.reopenDays,
        senderHourlyLimit: row.senderHourlyLimit,
      }
    : DEFAULT_SETTINGS;
}

export async function saveSettings(tx: Tx, tenantId: number, set: Partial<SettingsRow>): Promise<SettingsRow> {
  const values = { ...DEFAULT_SETTINGS, ...(await settingsOf(tx, tenantId)), ...set };
  await tx
    .insert(mailSettings)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: mailSettings.tenantId, set: { ...set, updatedAt: sql`now()` } });
  return values;
}
