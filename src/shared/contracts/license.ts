// The license (operator area) and the read-only state (the banner every user sees).
import { z } from 'zod';

export const LICENSE_STATES = ['none', 'valid', 'invalid', 'expired'] as const;
export const licenseInfo = z.object({
  state: z.enum(LICENSE_STATES),
  reason: z.string().nullable(),
  licensee: z.string().nullable(),
  seats: z.number().nullable(),
  expiresAt: z.string().nullable(),
  issuedAt: z.string().nullable(),
  seatsUsed: z.number(),
  readOnly: z.boolean(),
});
export type LicenseInfo = z.infer<typeof licenseInfo>;
/** The license file as issued: the payload and the base64 Ed25519 signature over it. */
export const licenseFileBody = z.object({
  payload: z.object({
    licensee: z.string().max(300),
    seats: z.number().int(),
    expiresAt: z.string().max(40),
    issuedAt: z.string().max(40),
  }),
  signature: z.string().max(200),
});
export const readOnlyState = z.object({ readOnly: z.boolean(), reason: z.string().nullable(), message: z.string().nullable() });
export type ReadOnlyState = z.infer<typeof readOnlyState>;
