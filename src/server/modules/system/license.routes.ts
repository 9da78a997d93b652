import { licenseFileBody, licenseInfo, readOnlyState } from '../../../shared/contracts/license.js';
import { readOnlyReason } from '../../platform/read-only.js';
import { ctxOf, type ModulePlugin } from '../http.js';
import * as service from './license.service.js';

export const licenseRoutes: ModulePlugin = async (app, { deps }) => {
  app.get('/api/v1/admin/license', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['system'],
      summary: "The instance's license: licensee, seats (and used), expiry, state (none: no cap)",
      response: { 200: licenseInfo },
    },
    handler: () => service.licenseInfo(deps),
  });

  app.put('/api/v1/admin/license', {
    config: { access: 'superadmin' },
    schema: {
      tags: ['system'],
      summary:
        'Upload or replace the license file ({payload, signature}); verified first (422 invalid_license changes nothing); open in read-only mode',
      body: licenseFileBody,
      response: { 200: licenseInfo },
    },
    handler: (req) => service.uploadLicense(ctxOf(deps, req), `${JSON.stringify(req.body, null, 2)}\n`),
  });

  app.get('/api/v1/read-only', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['system'],
      summary: 'Whether changes are refused right now (invalid or expired license, suspended company) and why: the banner',
      response: { 200: readOnlyState },
    },
    handler: (req) => {
      const why = readOnlyReason(deps, req);
      return { readOnly: why !== null, reason: why?.reason ?? null, message: why?.message ?? null };
    },
  });
};
