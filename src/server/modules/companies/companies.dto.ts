import { z } from 'zod';
import type { CompanyRow } from './companies.repo.js';

export const companyDto = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  contactEmail: z.string(),
  seats: z.number(),
  usedSeats: z.number(),
  suspended: z.boolean(),
  signedUp: z.boolean(),
  createdAt: z.string(),
});

export const companyRef = z.object({ id: z.string(), name: z.string(), slug: z.string() });

export const toCompanyRef = (c: CompanyRow) => ({ id: String(c.id), name: c.name, slug: c.slug });

export function toCompanyDto(c: CompanyRow, usedSeats: number): z.infer<typeof companyDto> {
  return {
    ...toCompanyRef(c),
    contactEmail: c.contactEmail,
    seats: c.seats,
    usedSeats,
    suspended: c.suspended,
    signedUp: c.signedUpAt !== null,
    createdAt: c.createdAt.toISOString(),
  };
}
