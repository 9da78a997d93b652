// Company settings.
import { z } from 'zod';
import { isCurrency, isLocale, normalisePublicUrl } from '../locale.js';
import { name, timezone } from './common.js';

/** A company's formatting locale, currency and public address (settings and the setup screen). */
export const localeTag = z.string().trim().max(35).refine(isLocale, 'must be a language tag such as en-GB');
export const currencyCode = z.string().trim().toUpperCase().refine(isCurrency, 'must be a currency code such as EUR');
export const publicAddress = z
  .string()
  .max(300)
  .refine((v) => normalisePublicUrl(v) !== null, 'must be an http(s) address such as https://steward.example.com')
  .transform((v) => normalisePublicUrl(v) as string);
export const QR_BASE_SOURCES = ['env', 'company', 'default'] as const;
const days = z.number().int().min(1, 'at least one day').max(36_500);

export const companySettings = z.object({
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  locale: z.string().describe('BCP 47 tag numbers, money and dates are formatted in, e.g. en-GB'),
  currency: z.string().describe('ISO 4217 code money is shown in, e.g. EUR'),
  publicUrl: z.string().nullable().describe("The company's public address (asked at setup); null when not set"),
  qrBaseUrl: z.string().describe('The address QR codes and public report links carry now'),
  qrBaseSource: z.enum(QR_BASE_SOURCES).describe('env: PUBLIC_URL; company: publicUrl; default: a guess from HOST and PORT'),
  seats: z.number(),
  archiveAfterDays: z.number().describe('Closed tickets are archived after this many days'),
  rejectedRetentionDays: z.number().describe('Rejected tickets and their files are purged after this many days'),
  auditRetentionDays: z.number().describe('Audit entries are purged after this many days'),
  notificationRetentionDays: z.number().describe('Notifications are purged after this many days'),
  mailRetentionDays: z.number().describe('Sent mail is purged from the outbox after this many days'),
  webhookRetentionDays: z.number().describe('Delivered and failed webhook deliveries are purged after this many days'),
  sensitiveRetentionDays: z
    .number()
    .describe('Mail with sign-in or password-reset links, and the audit entries of their requests, are purged after this many days'),
  meterRetentionDays: z.number().describe('Meter readings and their rollups are deleted after this many days (default 730)'),
  meterAlertReminderHours: z
    .number()
    .describe('An open meter alert nobody acknowledged is notified again every this many hours; 0 is off (the default)'),
  can: z.object({ update: z.boolean() }),
});
export type CompanySettings = z.infer<typeof companySettings>;
export const settingsAnswer = z.object({ settings: companySettings });
export const updateSettingsBody = z.object({
  name: name.optional(),
  timezone: timezone.optional(),
  locale: localeTag.optional(),
  currency: currencyCode.optional(),
  publicUrl: publicAddress.nullable().optional().describe('null clears it'),
  archiveAfterDays: days.optional(),
  rejectedRetentionDays: days.optional(),
  auditRetentionDays: days.optional(),
  notificationRetentionDays: days.optional(),
  mailRetentionDays: days.optional(),
  webhookRetentionDays: days.optional(),
  sensitiveRetentionDays: days.optional(),
  meterRetentionDays: days.optional(),
  meterAlertReminderHours: z.number().int().min(0).max(168, 'at most 168 hours (a week)').optional().describe('0 turns reminders off'),
});
export type UpdateSettingsInput = z.infer<typeof updateSettingsBody>;
