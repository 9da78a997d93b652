// Companies (tenants): the operator creates them and hands out a one-time signup key; the
// company's first admin signs up with it. A single-company install is created by the setup screen.
import { writeAudit } from '../../platform/audit.js';
import type { Ctx, Deps } from '../../platform/context.js';
import { newToken, sha256 } from '../../platform/crypto.js';
import { AppError, notFound } from '../../platform/errors.js';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../http.js';
import { insertCompanyUser } from '../users/users.service.js';
import { toCompanyDto, toCompanyRef } from './companies.dto.js';
import * as repo from './companies.repo.js';
import { seedDemoData } from './companies.demo.js';

export interface NewCompany {
  name: string;
  slug: string;
  contactEmail: string;
  seats: number;
}

/** Used by the admin screen and by `steward create-company`. */
export async function createCompanyWithKey(deps: Deps, ctx: Ctx | null, input: NewCompany) {
  const signupKey = newToken(18);
  const company = await deps.database.system(async (scope) => {
    const { company } = await repo.insertCompany(scope.tx, { ...input, signupKeyHash: sha256(signupKey) });
    await writeAudit(scope, ctx?.actor ?? null, ctx?.info.ip ?? null, {
      action: 'company.created',
      tenantId: company.id,
      targetType: 'company',
      targetId: company.id,
      details: { name: company.name, slug: company.slug, seats: company.seats },
    });
    return company;
  });
  return { company: toCompanyDto(company, 0), signupKey };
}

export async function listCompanies(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, z.tuple([z.number()]))?.[0] ?? null;
  const rows = await ctx.deps.database.system((scope) => repo.listCompanies(scope.tx, after, q.limit));
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => toCompanyDto(r.company, r.used ?? 0)),
    nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.company.id]) : null,
  };
}

export async function updateCompany(
  ctx: Ctx,
  id: number,
  input: { name?: string; contactEmail?: string; seats?: number; suspended?: boolean },
) {
  return ctx.deps.database.system(async (scope) => {
    const before = await repo.findCompany(scope.tx, id);
    if (!before) throw notFound('Company');
    const row = await repo.updateCompany(scope.tx, id, input);
    if (!row) throw notFound('Company');
    // Suspension refuses logins and ends the sessions that are open.
    if (input.suspended === true && !before.suspended) await repo.endCompanySessions(scope.tx, id);
    await ctx.deps.authCache.invalidate(scope);
    const changed = Object.fromEntries(
      Object.entries(input).filter(([k, v]) => before[k as keyof repo.CompanyRow] !== v),
    );
    await writeAudit(scope, ctx.actor, ctx.info.ip, {
      action: input.suspended === true && !before.suspended ? 'company.suspended' : input.suspended === false && before.suspended ? 'company.unsuspended' : 'company.updated',
      tenantId: id,
      targetType: 'company',
      targetId: id,
      details: { changed },
    });
    return toCompanyDto(row, await repo.seatsUsed(scope.tx, id));
  });
}

export async function regenerateSignupKey(ctx: Ctx, id: number) {
  const signupKey = newToken(18);
  await ctx.deps.database.system(async (scope) => {
    const company = await repo.findCompany(scope.tx, id);
    if (!company) throw notFound('Company');
    if (company.signedUpAt) throw new AppError('already_signed_up', 'This company already has its administrator');
    await repo.updateCompany(scope.tx, id, { signupKeyHash: sha256(signupKey) });
    await writeAudit(scope, ctx.actor, ctx.info.ip, { action: 'company.signup_key_regenerated', tenantId: id, targetType: 'company', targetId: id });
  });
  return { signupKey };
}

export async function signup(ctx: Ctx, input: { email: string; key: string; name: string; username: string; password: string }) {
  return ctx.deps.database.system(async (scope) => {
    const company = await repo.findCompanyForSignup(scope.tx, input.email, sha256(input.key));
    if (!company) throw new AppError('invalid_signup_key', 'The e-mail and signup key do not match a company waiting for its administrator');
    const adminRole = await repo.roleIdByName(scope.tx, company.id, 'Admin');
    if (!adminRole) throw new AppError('invalid_signup_key', 'The company has no Admin role');
    const user = await insertCompanyUser(
      scope,
      ctx.deps,
      company.id,
      { name: input.name, email: input.email, username: input.username, password: input.password, roleId: adminRole },
      { inviterName: input.name, companyName: company.name, checkSeats: true },
    );
    await repo.updateCompany(scope.tx, company.id, { signedUpAt: new Date(), signupKeyHash: null });
    await writeAudit(scope, null, ctx.info.ip, {
      action: 'company.signed_up',
      tenantId: company.id,
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email },
    });
    return { company: toCompanyRef(company), user: { id: String(user.id), name: user.name, email: user.email, username: user.username } };
  });
}

export async function setupNeeded(deps: Deps): Promise<boolean> {
  return deps.database.system(async (scope) => (await repo.countCompanies(scope.tx)) === 0);
}

export interface SetupInput {
  company: { name: string; slug: string };
  admin: { name: string; email: string; password: string };
  demoData: boolean;
}

/** First start of a single-company install: the company, its admin and optionally demo data. */
export async function setup(ctx: Ctx, input: SetupInput) {
  return ctx.deps.database.system(async (scope) => {
    // Two setup requests at once: the second waits here and then finds the company.
    await repo.lockSetup(scope.tx);
    if ((await repo.countCompanies(scope.tx)) > 0) throw new AppError('already_set_up', 'Steward is already set up');
    const { company, roleIds, departmentIds } = await repo.insertCompany(scope.tx, {
      name: input.company.name,
      slug: input.company.slug,
      contactEmail: input.admin.email,
      seats: 1000,
      signupKeyHash: null,
    });
    await repo.updateCompany(scope.tx, company.id, { signedUpAt: new Date() });
    const admin = await insertCompanyUser(
      scope,
      ctx.deps,
      company.id,
      { ...input.admin, roleId: roleIds.get('Admin')!, departmentId: departmentIds.get('IT') },
      { inviterName: input.admin.name, companyName: company.name, checkSeats: false },
    );
    if (input.demoData) await seedDemoData(scope, ctx.deps, company.id, input.admin.password);
    await writeAudit(scope, null, ctx.info.ip, {
      action: 'setup.completed',
      tenantId: company.id,
      targetType: 'company',
      targetId: company.id,
      details: { demoData: input.demoData },
    });
    return {
      company: toCompanyRef(company),
      user: { id: String(admin.id), name: admin.name, email: admin.email, username: admin.username },
    };
  });
}
