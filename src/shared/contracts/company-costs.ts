// The operator's costs by client company (issue 15 item 1; API.md "Costs and reports"): every company
// of the instance with its labour, parts and purchases over a period. Amounts are numbers in each
// company's own currency, as in the company's own cost report (reports.ts `money`): summed exactly in
// SQL numeric, to the cent, and converted once; never added across companies. `from` and `to` are
// days, each company's in its own zone, `to` inclusive.
import { z } from 'zod';
import { isDateOnly } from '../time/index.js';
import { idString } from './common.js';

const day = z.string().refine(isDateOnly, 'must be a date like 2026-03-31');

export const companyCostsQuery = z.object({
  from: day.describe("First day (each company's zone)"),
  to: day.describe('Last day, inclusive'),
  purchases: z.enum(['received', 'ordered']).default('received').describe('Count purchases by received (default) or by ordered quantities'),
  format: z.enum(['json', 'csv']).default('json').describe('json, or the rows as a csv file'),
});
export type CompanyCostsQuery = z.infer<typeof companyCostsQuery>;

const money = z.number().describe('In the company currency, to the cent (as the company cost report)');
export const companyCostRow = z.object({
  companyId: idString,
  name: z.string(),
  slug: z.string(),
  currency: z.string(),
  labour: money,
  parts: money,
  purchases: money,
  total: money,
});
export type CompanyCostRow = z.infer<typeof companyCostRow>;

export const companyCosts = z.object({
  rows: z.array(companyCostRow).describe('Every company, zeros included, by total descending'),
  from: z.string(),
  to: z.string(),
  purchases: z.enum(['received', 'ordered']),
});
export type CompanyCosts = z.infer<typeof companyCosts>;
