// The optional license file (seed 000, SPEC §1): an Ed25519 signature over a small JSON payload
// {licensee, seats, expiresAt, issuedAt}. No file: no cap. A valid one caps the instance's active
// users at `seats`. An invalid or expired one does not lock anyone out: the instance serves
// read-only (see read-only.ts) until a valid license is uploaded.
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/**
 * The vendor's public key (SPKI DER, base64). Releases are built with the vendor's own key here;
 * the matching private key never lives in this repository (docs/license.md: how a vendor signs).
 */
export const BUILTIN_LICENSE_PUBLIC_KEY = 'MCowBQYDK2VwAyEAyBvn8LGmyYIJw35btqFLk2q+ytCj9XBjgEQb6DtgBKg=';

export interface LicensePayload {
  licensee: string;
  seats: number;
  expiresAt: string;
  issuedAt: string;
}

export type LicenseState = 'none' | 'valid' | 'invalid' | 'expired';

export interface LicenseStatus {
  state: LicenseState;
  /** Why the license is not valid (shown in the banner and in every read_only refusal). */
  reason: string | null;
  payload: LicensePayload | null;
  file: string | null;
}

export const NO_LICENSE: LicenseStatus = { state: 'none', reason: null, payload: null, file: null };

/** The exact bytes that are signed: the four fields in this order, as JSON. */
export function signedBytes(p: LicensePayload): Buffer {
  return Buffer.from(JSON.stringify({ licensee: p.licensee, seats: p.seats, expiresAt: p.expiresAt, issuedAt: p.issuedAt }), 'utf8');
}

function payloadOf(raw: unknown): LicensePayload | string {
  if (!raw || typeof raw !== 'object') return 'the license has no payload';
  const p = raw as Record<string, unknown>;
  if (typeof p.licensee !== 'string' || !p.licensee.trim()) return 'the licensee is missing';
  if (typeof p.seats !== 'number' || !Number.isInteger(p.seats) || p.seats < 1) return 'seats must be a whole number of at least 1';
  for (const k of ['expiresAt', 'issuedAt'] as const) {
    if (typeof p[k] !== 'string' || Number.isNaN(Date.parse(p[k] as string))) return `${k} must be a date`;
  }
  return { licensee: p.licensee, seats: p.seats, expiresAt: p.expiresAt as string, issuedAt: p.issuedAt as string };
}

/** Checks a license file's text: its shape, its signature against the key, then its dates. */
export function verifyLicense(text: string, publicKey: string = BUILTIN_LICENSE_PUBLIC_KEY, now = new Date()): LicenseStatus {
  let doc: { payload?: unknown; signature?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    return { state: 'invalid', reason: 'the license file is not JSON', payload: null, file: null };
  }
  const payload = payloadOf(doc?.payload);
  if (typeof payload === 'string') return { state: 'invalid', reason: payload, payload: null, file: null };
  if (typeof doc.signature !== 'string' || !/^[A-Za-z0-9+/_-]+=*$/.test(doc.signature)) {
    return { state: 'invalid', reason: 'the signature is missing', payload, file: null };
  }
  let ok = false;
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    ok = verify(null, signedBytes(payload), key, Buffer.from(doc.signature, 'base64'));
  } catch {
    ok = false;
  }
  if (!ok)
    return {
      state: 'invalid',
      reason: 'the signature does not match (the file was changed or not issued for Steward)',
      payload,
      file: null,
    };
  if (Date.parse(payload.issuedAt) > now.getTime() + 24 * 3600_000)
    return { state: 'invalid', reason: 'the license is issued in the future', payload, file: null };
  if (Date.parse(payload.expiresAt) <= now.getTime())
    return { state: 'expired', reason: `the license expired on ${payload.expiresAt.slice(0, 10)}`, payload, file: null };
  return { state: 'valid', reason: null, payload, file: null };
}

/** The license of this instance: none without the file, else the file's verdict. */
export function loadLicense(file: string, publicKey: string | null, now = new Date()): LicenseStatus {
  if (!existsSync(file)) return { ...NO_LICENSE };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { state: 'invalid', reason: `the license file cannot be read (${(err as Error).message})`, payload: null, file };
  }
  return { ...verifyLicense(text, publicKey ?? BUILTIN_LICENSE_PUBLIC_KEY, now), file };
}

/** Expiry is checked again on every use: a license that runs out while the process runs turns read-only then. */
export function currentLicense(status: LicenseStatus, now = new Date()): LicenseStatus {
  if (status.state === 'valid' && status.payload && Date.parse(status.payload.expiresAt) <= now.getTime()) {
    return { ...status, state: 'expired', reason: `the license expired on ${status.payload.expiresAt.slice(0, 10)}` };
  }
  return status;
}
