// Read-only mode: an invalid or expired license puts the whole instance in it, a suspended company
// puts its own API tokens in it. Reads go on; every mutating request is refused with 403
// `read_only` and the reason, except signing in and out, the operator's license upload and the
// company export/backup (so nobody is locked out of their data).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from './context.js';
import { AppError } from './errors.js';
import { currentLicense, type LicenseStatus } from './license.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes that stay open in read-only mode (method and route pattern). */
export const READ_ONLY_EXEMPT = new Set([
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  // A forgotten password must not lock anyone out either.
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/password-reset/complete',
  'PUT /api/v1/admin/license',
  'POST /api/v1/company/backup',
  'POST /api/v1/admin/companies/:id/backup',
  'POST /api/v1/admin/companies/:id/export',
]);

/** The instance's license right now (expiry is re-checked on every call). */
export function licenseNow(deps: Pick<Deps, 'license'>): LicenseStatus {
  return currentLicense(deps.license.status);
}

/** Why this request may not change anything, or null. */
export function readOnlyReason(deps: Pick<Deps, 'license'>, request: FastifyRequest): { reason: string; message: string } | null {
  const license = licenseNow(deps);
  if (license.state === 'invalid' || license.state === 'expired') {
    return {
      reason: `license_${license.state}`,
      message: `Steward is read-only: ${license.reason}. The operator can upload a valid license.`,
    };
  }
  const actor = request.actor;
  if (actor?.kind === 'user' && actor.readOnly === 'company_suspended') {
    return { reason: 'company_suspended', message: 'This company is suspended: its data can be read and exported, not changed' };
  }
  return null;
}

export function registerReadOnly(app: FastifyInstance, deps: Deps): void {
  // Registered after registerAuth: the actor is known when this runs.
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const route = request.routeOptions.url;
    if (!route || READ_ONLY_EXEMPT.has(`${request.method} ${route}`)) return;
    const why = readOnlyReason(deps, request);
    if (why) throw new AppError('read_only', why.message, { reason: why.reason });
  });
}
