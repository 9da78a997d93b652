// `steward license verify FILE`: prints a license file's payload and whether it is valid for this
// build (its built-in key); exit code 0 when valid, 1 when not (invalid, expired, unreadable).
import { readFileSync } from 'node:fs';
import { BUILTIN_LICENSE_PUBLIC_KEY, verifyLicense } from '../platform/license.js';

export function licenseCommand(args: string[], out: (line: string) => void = console.log, publicKey = BUILTIN_LICENSE_PUBLIC_KEY): number {
  const [sub, file] = args;
  if (sub !== 'verify' || !file) {
    out('Usage: steward license verify FILE');
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    out(`steward: cannot read ${file}: ${(err as Error).message}`);
    return 1;
  }
  const status = verifyLicense(text, publicKey);
  if (status.payload) {
    out(`licensee:   ${status.payload.licensee}`);
    out(`seats:      ${status.payload.seats}`);
    out(`issued at:  ${status.payload.issuedAt}`);
    out(`expires at: ${status.payload.expiresAt}`);
  }
  out(`state:      ${status.state}${status.reason ? ` (${status.reason})` : ''}`);
  return status.state === 'valid' ? 0 : 1;
}
