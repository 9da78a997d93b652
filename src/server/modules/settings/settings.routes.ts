// Company settings: name, time zone, default locale, ticket archive and retention periods. Every change is audited.
import { z } from 'zod';
import { ctxOf, type ModulePlugin, name, timezone } from '../http.js';
import { getSettings, updateSettings } from './settings.service.js';

const settingsDto = z.object({
  name: z.string(),
  slug: z.string(),
  timezone: z.string(),
  locale: z.string(),
  seats: z.number(),
  archiveAfterDays: z.number().describe('Closed tickets are archived after this many days'),
  rejectedRetentionDays: z.number().describe('Rejected tickets and their files are purged after this many days'),
  can: z.object({ update: z.boolean() }),
});
const LOCALES = ['en'] as const;
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
      summary: "Change the company's name, time zone, locale, or when closed tickets are archived and rejected ones purged",
      body: z.object({
        name: name.optional(),
        timezone: timezone.optional(),
        locale: z.enum(LOCALES).optional(),
        archiveAfterDays: days.optional(),
        rejectedRetentionDays: days.optional(),
      }),
      response: { 200: z.object({ settings: settingsDto }) },
    },
    handler: async (req) => ({ settings: await updateSettings(ctxOf(deps, req), req.body) }),
  });
};
