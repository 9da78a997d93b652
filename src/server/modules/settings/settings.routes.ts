// Company settings: name, time zone, default locale, ticket archive and retention periods. Every change is audited.
import { settingsAnswer, updateSettingsBody } from '../../../shared/contracts/settings.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import { getSettings, updateSettings } from './settings.service.js';

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
