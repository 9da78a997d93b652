// Company settings: name, time zone, locale and currency, public address, ticket archive and retention periods. Every change is audited.
import { z } from 'zod';
import { ctxOf, currencyCode, localeTag, type ModulePlugin, name, publicAddress, timezone } from '../http.js';
import { getSettings, updateSettings } from './settings.service.js';

const settingsDto = z.object({
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  locale: z.string().describe('BCP 47 tag numbers, money and dates are formatted in, e.g. en-GB'),
  currency: z.string().describe('ISO 4217 code money is shown in, e.g. EUR'),
  publicUrl: z.string().nullable().describe("The company's public address (asked at setup); null when not set"),
  qrBaseUrl: z.string().describe('The address QR codes and public report links carry now'),
  qrBaseSource: z.enum(['env', 'company', 'default']).describe('env: PUBLIC_URL; company: publicUrl; default: a guess from HOST and PORT'),
  seats: z.number(),
  archiveAfterDays: z.number().describe('Closed tickets are archived after this many days'),
  rejectedRetentionDays: z.number().describe('Rejected tickets and their files are purged after this many days'),
  can: z.object({ update: z.boolean() }),
});
const days = z.number().int().min(1, 'at least one day').max(36_500);

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
      summary: "Change the company's name, time zone, locale, currency, public address, or when closed tickets are archived and rejected ones purged",
      body: z.object({
        name: name.optional(),
        timezone: timezone.optional(),
        locale: localeTag.optional(),
        currency: currencyCode.optional(),
        publicUrl: publicAddress.nullable().optional(),
        archiveAfterDays: days.optional(),
        rejectedRetentionDays: days.optional(),
      }),
      response: { 200: z.object({ settings: settingsDto }) },
    },
    handler: async (req) => ({ settings: await updateSettings(ctxOf(deps, req), req.body) }),
  });
};
