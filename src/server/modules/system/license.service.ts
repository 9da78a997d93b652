// The license in the operator's area: what is loaded (licensee, seats, expiry, state, seats used),
// replacing it by an upload (verified first, then written to LICENSE_FILE), and the instance-wide
// seat cap a valid license sets (422 license_seat_limit where users are created or activated).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { BUILTIN_LICENSE_PUBLIC_KEY, verifyLicense } from '../../platform/license.js';
import { licenseNow } from '../../platform/read-only.js';
import * as repo from './license.repo.js';

export async function licenseInfo(deps: Deps) {
  const l = licenseNow(deps);
  const used = await deps.database.system((scope) => repo.instanceSeatsUsed(scope.tx));
  return {
    state: l.state,
    reason: l.reason,
    licensee: l.payload?.licensee ?? null,
    seats: l.payload?.seats ?? null,
    expiresAt: l.payload?.expiresAt ?? null,
    issuedAt: l.payload?.issuedAt ?? null,
    seatsUsed: used,
    readOnly: l.state === 'invalid' || l.state === 'expired',
  };
}

/** Verifies an uploaded license; only a valid one replaces the file (an invalid upload changes nothing). */
export async function uploadLicense(ctx: Ctx, text: string) {
  const { deps } = ctx;
  const status = verifyLicense(text, deps.config.licensePublicKey ?? BUILTIN_LICENSE_PUBLIC_KEY);
  if (status.state !== 'valid')
    throw new AppError('invalid_license', `The license is ${status.state}: ${status.reason}`, {
      state: status.state,
      reason: status.reason,
    });
  const file = deps.config.licenseFile;
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.upload`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
  deps.license.status = { ...status, file };
  await deps.database.system((scope) =>
    writeAudit(scope, ctx.actor, ctx.info.ip, {
      action: 'license.uploaded',
      tenantId: null,
      targetType: 'license',
      details: { licensee: status.payload?.licensee, seats: status.payload?.seats, expiresAt: status.payload?.expiresAt },
    }),
  );
  return licenseInfo(deps);
}

/**
 * With a valid license, `adding` more active users must fit its seats across the instance. Call it
 * in the transaction that adds them (a company's or the system's): it holds the instance's seat lock
 * until that transaction ends, so concurrent additions cannot both pass against the same count.
 */
export async function checkLicenseSeats(deps: Deps, adding: number, tx: Tx): Promise<void> {
  const l = licenseNow(deps);
  if (l.state !== 'valid' || !l.payload) return;
  const used = await repo.lockInstanceSeats(tx);
  if (used + adding > l.payload.seats) {
    throw new AppError('license_seat_limit', `The license of this instance covers ${l.payload.seats} users and ${used} are in use`, {
      seats: l.payload.seats,
      used,
    });
  }
}
