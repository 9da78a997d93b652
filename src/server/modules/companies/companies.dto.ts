// Company rows → the contract's company (src/shared/contracts/companies.ts).
import type { Company, CompanyRef } from '../../../shared/contracts/companies.js';
import type { CompanyRow } from './companies.repo.js';

export const toCompanyRef = (c: CompanyRow): CompanyRef => ({ id: String(c.id), name: c.name, slug: c.slug });

export function toCompanyDto(c: CompanyRow, usedSeats: number): Company {
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
