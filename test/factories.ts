// Factories that create what a test needs through the real services, parents included.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { ALL_PERMISSIONS, type Permission } from '../src/shared/permissions/index.js';
import { roles, superAdmins } from '../src/server/db/schema/index.js';
import { hashPassword } from '../src/server/platform/crypto.js';
import * as companiesRepo from '../src/server/modules/companies/companies.repo.js';
import { insertUser } from '../src/server/modules/users/users.repo.js';
import type { Client, Harness } from './harness.js';

export const PASSWORD = 'correct-horse-battery';
let passwordHash: Promise<string> | null = null;
const hashed = () => (passwordHash ??= hashPassword(PASSWORD));
const unique = () => randomBytes(4).toString('hex');

export interface TestCompany {
  id: number;
  slug: string;
  roleIds: Map<string, number>;
  departmentIds: Map<string, number>;
  admin: TestUser;
}

export interface TestUser {
  id: number;
  email: string;
  tenantId: number;
  client: Client;
}

/** A company with the default roles and departments and a logged-in Admin. */
export async function createCompany(h: Harness, opts: { seats?: number; name?: string } = {}): Promise<TestCompany> {
  const slug = `co-${unique()}`;
  const made = await h.deps.database.system((scope) =>
    companiesRepo.insertCompany(scope.tx, {
      name: opts.name ?? `Company ${slug}`,
      slug,
      contactEmail: `admin@${slug}.test`,
      seats: opts.seats ?? 100,
      signupKeyHash: null,
    }),
  );
  const company: TestCompany = {
    id: made.company.id,
    slug,
    roleIds: made.roleIds,
    departmentIds: made.departmentIds,
    admin: null as unknown as TestUser,
  };
  company.admin = await createUser(h, company, { role: 'Admin' });
  return company;
}

/** A user of a company with a named role (default roles or one made with createRole), logged in. */
export async function createUser(
  h: Harness,
  company: TestCompany,
  opts: { role?: string; roleId?: number; department?: string; login?: boolean } = {},
): Promise<TestUser> {
  const email = `u-${unique()}@${company.slug}.test`;
  const roleId = opts.roleId ?? company.roleIds.get(opts.role ?? 'Requester');
  if (!roleId) throw new Error(`no role ${opts.role}`);
  const user = await h.deps.database.system(async (scope) =>
    insertUser(scope.tx, {
      tenantId: company.id,
      name: `User ${email}`,
      email,
      username: email.split('@')[0],
      passwordHash: await hashed(),
      roleId,
      departmentId: opts.department ? company.departmentIds.get(opts.department) : null,
      status: 'active',
    }),
  );
  const client = h.client();
  if (opts.login !== false) {
    const res = await client.login(email, PASSWORD);
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return { id: user.id, email, tenantId: company.id, client };
}

/** A role with exactly these permissions (at a level below Admin). */
export async function createRole(h: Harness, company: TestCompany, permissions: readonly Permission[], level = 90): Promise<number> {
  const [row] = await h.deps.database.system(({ tx }) =>
    tx
      .insert(roles)
      .values({ tenantId: company.id, name: `Role ${unique()}`, level, permissions: [...permissions] })
      .returning({ id: roles.id }),
  );
  return row.id;
}

export const allPermissionsBut = (p: Permission) => ALL_PERMISSIONS.filter((x) => x !== p);

export async function createSuperAdmin(h: Harness): Promise<TestUser> {
  const email = `op-${unique()}@operator.test`;
  const [row] = await h.deps.database.system(async ({ tx }) =>
    tx
      .insert(superAdmins)
      .values({ name: 'Operator', email, passwordHash: await hashed() })
      .returning({ id: superAdmins.id }),
  );
  const client = h.client();
  const res = await client.login(email, PASSWORD);
  if (res.status !== 200) throw new Error(`super admin login failed: ${res.status}`);
  return { id: row.id, email, tenantId: 0, client };
}

export async function roleId(h: Harness, company: TestCompany, name: string): Promise<number> {
  const [row] = await h.deps.database.system(({ tx }) =>
    tx
      .select({ id: roles.id })
      .from(roles)
      .where(and(eq(roles.tenantId, company.id), eq(roles.name, name))),
  );
  return row.id;
}
