// Company settings.
import { z } from 'zod';
import { name, timezone } from './common.js';

export const LOCALES = ['en'] as const;
const days = z.number().int().min(1, 'at least one day').max(36_500);

export const companySettings = z.object({
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  locale: z.string(),
  seats: z.number(),
  archiveAfterDays: z.number().describe('Closed tickets are archived after this many days'),
  rejectedRetentionDays: z.number().describe('Rejected tickets and their files are purged after this many days'),
  can: z.object({ update: z.boolean() }),
});
export type CompanySettings = z.infer<typeof companySettings>;
export const settingsAnswer = z.object({ settings: companySettings });
export const updateSettingsBody = z.object({
  name: name.optional(),
  timezone: timezone.optional(),
  locale: z.enum(LOCALES).optional(),
  archiveAfterDays: days.optional(),
  rejectedRetentionDays: days.optional(),
});
export type UpdateSettingsInput = z.infer<typeof updateSettingsBody>;
