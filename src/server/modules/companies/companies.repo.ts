import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DEFAULT_DEPARTMENTS, DEFAULT_ROLES } from '../../../shared/permissions/index.js';
import { companies, departments, roles, sessions, users } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';
import { seedPicklists } from '../picklists/picklists.service.js';
import { seedSlaDefaults } from '../sla/sla.service.js';

export type CompanyRow = typeof companies.$inferSelect;

/** A new company with the default roles and departments. Runs in an owner transaction. */
export async function insertCompany(
  tx: Tx,
  values: { name: string; slug: string; contactEmail: string; seats: number; signupKeyHash: string | null },
) {
  const [company] = await tx.insert(companies).values(values).returning();
  const roleRows = await tx
    .insert(roles)
    .values(DEFAULT_ROLES.map((r) => ({ tenantId: company.id, name: r.name, level: r.level, permissions: [...r.permissions], builtin: true })))
    .returning({ id: roles.id, name: roles.name });
  const departmentRows = await tx
    .insert(departments)
    .values(DEFAULT_DEPARTMENTS.map((name) => ({ tenantId: company.id, name })))
    .returning({ id: departments.id, name: departments.name });
  await seedPicklists(tx, company.id);
  await seedSlaDefaults(tx, company.id, company.timezone);
  return {
    company,
    roleIds: new Map(roleRows.map((r) => [r.name, r.id])),
    departmentIds: new Map(departmentRows.map((d) => [d.name, d.id])),
  };
}

export async function countCompanies(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(companies);
  return row.n;
}

export async function listCompanies(tx: Tx, after: number | null, limit: number) {
  const used = tx
    .select({ tenantId: users.tenantId, used: sql<number>`count(*)::int`.as('used') })
    .from(users)
    .where(inArray(users.status, ['active', 'invited']))
    .groupBy(users.tenantId)
    .as('used');
  return tx
    .select({ company: companies, used: used.used })
    .from(companies)
    .leftJoin(used, eq(used.tenantId, companies.id))
    .where(after ? sql`${companies.id} > ${after}` : undefined)
    .orderBy(asc(companies.id))
    .limit(limit + 1);
}

export async function findCompany(tx: Tx, id: number) {
  const [row] = await tx.select().from(companies).where(eq(companies.id, id));
  return row ?? null;
}

export async function updateCompany(tx: Tx, id: number, values: Partial<typeof companies.$inferInsert>) {
  const [row] = await tx
    .update(companies)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(companies.id, id))
    .returning();
  return row ?? null;
}

export async function findCompanyForSignup(tx: Tx, email: string, keyHash: string) {
  const [row] = await tx
    .select()
    .from(companies)
    .where(
      and(
        eq(sql`lower(${companies.contactEmail})`, email.toLowerCase()),
        eq(companies.signupKeyHash, keyHash),
        isNull(companies.signedUpAt),
      ),
    )
    .for('update');
  return row ?? null;
}

export async function roleIdByName(tx: Tx, tenantId: number, name: string): Promise<number | null> {
  const [row] = await tx
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.name, name)));
  return row?.id ?? null;
}

/** Suspension ends the company's open sessions. */
export async function endCompanySessions(tx: Tx, tenantId: number) {
  await tx.delete(sessions).where(eq(sessions.tenantId, tenantId));
}

/** Seats taken: active and invited users. */
export async function seatsUsed(tx: Tx, tenantId: number): Promise<number> {
  const result = (await tx.execute(
    sql`select count(*)::int as used from users where tenant_id = ${tenantId} and status in ('active','invited')`,
  )) as unknown as { rows: Array<{ used: number }> };
  return result.rows[0]?.used ?? 0;
}

/** Serialises first-start setups: a second one waits here and then finds the company. */
export async function lockSetup(tx: Tx) {
  await tx.execute(sql`select pg_advisory_xact_lock(727275)`);
}
