// What a public report reads before it may open a ticket in a company.
import { and, eq } from 'drizzle-orm';
import { categories, companies } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

/** True for a company that exists and is not suspended. */
export async function companyActive(tx: Tx, tenantId: number): Promise<boolean> {
  const [company] = await tx.select({ suspended: companies.suspended }).from(companies).where(eq(companies.id, tenantId));
  return Boolean(company) && !company.suspended;
}

export async function categoryActive(tx: Tx, tenantId: number, id: number): Promise<boolean> {
  const [category] = await tx.select({ active: categories.active }).from(categories).where(and(eq(categories.tenantId, tenantId), eq(categories.id, id)));
  return category?.active ?? false;
}
