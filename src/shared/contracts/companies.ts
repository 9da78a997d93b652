// First-start setup, company signup and the operator's company administration.
import { z } from 'zod';
import { email, listQuery, name, page, password, slug, username } from './common.js';

export const company = z.object({
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
export type Company = z.infer<typeof company>;
export const companyRef = z.object({ id: z.string(), name: z.string(), slug: z.string() });
export type CompanyRef = z.infer<typeof companyRef>;
const userRef = z.object({ id: z.string(), name: z.string(), email: z.string(), username: z.string().nullable() });

export const setupState = z.object({ needed: z.boolean() });
export const setupBody = z.object({
  company: z.object({ name, slug }),
  admin: z.object({ name, email, password }),
  demoData: z.boolean().default(false),
});
export type SetupInput = z.input<typeof setupBody>;
export const signupBody = z.object({ email, key: z.string().min(8).max(200), name, username, password });
export type SignupInput = z.input<typeof signupBody>;
export const companyWithAdmin = z.object({ company: companyRef, user: userRef });

export const companyBody = z.object({ name, slug, contactEmail: email, seats: z.number().int().min(1).max(1_000_000) });
export type CompanyInput = z.input<typeof companyBody>;
export const updateCompanyBody = companyBody.omit({ slug: true }).partial().extend({ suspended: z.boolean().optional() });
export type UpdateCompanyInput = z.input<typeof updateCompanyBody>;
export const companyListQuery = listQuery;
export const companyPage = page(company);
export const createdCompany = z.object({ company, signupKey: z.string() });
export const companyAnswer = z.object({ company });
export const signupKeyAnswer = z.object({ signupKey: z.string() });
