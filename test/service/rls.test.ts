// Row-level security as the last line of defence: inside withTenant(A) a query without any WHERE
// sees only A's rows in every table with a tenant_id (found in the catalogue, so new tables are
// covered), cannot write B's rows, and runs as the non-owner role steward_app.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, tenantTables } from '../helpers.js';
import { openLive } from '../live.js';

type Rows = { rows: Array<Record<string, unknown>> };

/** Drizzle wraps the driver's error ("Failed query: ..."); the database's message is in the cause. */
async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const e = error as { message: string; cause?: { message?: string } };
    return `${e.message} | ${e.cause?.message ?? ''}`;
  }
  return 'did not fail';
}

describe('row-level security', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let tables: string[];

  async function seed(c: TestCompany) {
    const admin = c.admin.client;
    await admin.post('/api/v1/users', { name: 'Invitee', email: `invitee@${c.slug}.test`, roleId: String(c.roleIds.get('Requester')) });
    await admin.post('/api/v1/api-tokens', { name: 'token' });
    await admin.post('/api/v1/roles', { name: 'Custom', level: 10, permissions: [] });
    await createUser(h, c);
  }

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    await seed(A);
    await seed(B);
    tables = await tenantTables(h);
  });
  afterAll(() => h.close());

  const inTenant = <T>(tenantId: number, fn: (tx: { execute(q: unknown): Promise<unknown> }) => Promise<T>) =>
    h.deps.database.withTenant(tenantId, ({ tx }) => fn(tx as never));

  it('finds the tenant tables in the catalogue', () => {
    for (const t of [
      'users',
      'roles',
      'departments',
      'sessions',
      'api_tokens',
      'one_time_tokens',
      'mail_outbox',
      'audit_log',
      'presence',
    ]) {
      expect(tables).toContain(t);
    }
  });

  it('every tenant table has row-level security on and a tenant policy', async () => {
    const { rows } = await h.deps.database.query<{ relname: string; rls: boolean; policies: number }>(
      `select c.relname, c.relrowsecurity as rls,
              (select count(*)::int from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname
                 and p.qual like '%app.tenant_id%' and p.with_check like '%app.tenant_id%') as policies
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')`,
    );
    const byName = new Map(rows.map((r) => [r.relname, r]));
    const missing = [...tables, 'companies'].filter((t) => !byName.get(t)?.rls || Number(byName.get(t)?.policies) < 1);
    expect(missing).toEqual([]);
  });

  it('select * without WHERE inside A sees only A, in every tenant table', async () => {
    // Presence rows for both companies, through real sockets.
    const aLive = await openLive(h, A.admin.client.cookie!);
    const bLive = await openLive(h, B.admin.client.cookie!);
    try {
      await new Promise((r) => setTimeout(r, 200));
      const failures: string[] = [];
      for (const table of tables) {
        const total = await count(h, `select count(*) from "${table}" where tenant_id = $1`, [B.id]);
        const own = await count(h, `select count(*) from "${table}" where tenant_id = $1`, [A.id]);
        const seen = (await inTenant(A.id, (tx) => tx.execute(sql.raw(`select tenant_id from "${table}"`)))) as Rows;
        const foreign = seen.rows.filter((r) => Number(r.tenant_id) !== A.id);
        if (foreign.length > 0) failures.push(`${table}: ${foreign.length} foreign rows`);
        if (seen.rows.length !== own) failures.push(`${table}: saw ${seen.rows.length} of A's ${own} rows`);
        // The check means something only where B has rows: the known tables must all have some.
        if (
          total === 0 &&
          ['users', 'roles', 'departments', 'sessions', 'api_tokens', 'one_time_tokens', 'mail_outbox', 'audit_log', 'presence'].includes(
            table,
          )
        ) {
          failures.push(`${table}: no rows of B to hide (seed them)`);
        }
      }
      const companies = (await inTenant(A.id, (tx) => tx.execute(sql`select id from companies`))) as Rows;
      expect(companies.rows.map((r) => Number(r.id))).toEqual([A.id]);
      expect(failures).toEqual([]);
    } finally {
      await aLive.close();
      await bLive.close();
    }
  });

  it("cannot insert, update or delete B's rows inside A's transaction", async () => {
    expect(
      await failure(inTenant(A.id, (tx) => tx.execute(sql`insert into departments (tenant_id, name) values (${B.id}, 'Smuggled')`))),
    ).toMatch(/row-level security/);
    expect(
      await failure(inTenant(A.id, (tx) => tx.execute(sql`insert into audit_log (tenant_id, action) values (${B.id}, 'forged')`))),
    ).toMatch(/row-level security/);
    // Moving an own row to B is refused too.
    expect(
      await failure(inTenant(A.id, (tx) => tx.execute(sql`update departments set tenant_id = ${B.id} where tenant_id = ${A.id}`))),
    ).toMatch(/row-level security/);
    const updated = (await inTenant(A.id, (tx) =>
      tx.execute(sql`update users set name = 'Hijacked' where tenant_id = ${B.id} returning id`),
    )) as Rows;
    expect(updated.rows).toEqual([]);
    const deleted = (await inTenant(A.id, (tx) => tx.execute(sql`delete from sessions where tenant_id = ${B.id} returning id`))) as Rows;
    expect(deleted.rows).toEqual([]);
    expect(await count(h, "select count(*) from departments where name = 'Smuggled'")).toBe(0);
    expect(await count(h, "select count(*) from users where name = 'Hijacked'")).toBe(0);
    expect(await count(h, 'select count(*) from sessions where tenant_id = $1', [B.id])).toBeGreaterThan(0);
  });

  it('runs as steward_app with the tenant set, and instance-only tables are out of reach', async () => {
    const who = (await inTenant(A.id, (tx) =>
      tx.execute(sql`select current_user as u, current_setting('app.tenant_id', true) as t`),
    )) as Rows;
    expect(who.rows[0]).toEqual({ u: 'steward_app', t: String(A.id) });
    for (const table of ['super_admins', 'login_throttle']) {
      expect(await failure(inTenant(A.id, (tx) => tx.execute(sql.raw(`select * from ${table}`))))).toMatch(/permission denied/);
    }
    // The settings are local to the transaction: afterwards the owner sees everything again.
    const after = await h.deps.database.query<{ u: string; t: string | null }>(
      "select current_user as u, nullif(current_setting('app.tenant_id', true), '') as t",
    );
    expect(after.rows[0].u).not.toBe('steward_app');
    expect(after.rows[0].t).toBeNull();
  });

  it('a transaction that throws rolls back and gives its connection back clean', async () => {
    const boom = new Error('refused by the service');
    const insert = (tx: { execute(q: unknown): Promise<unknown> }) =>
      tx.execute(sql`insert into departments (tenant_id, name) values (${A.id}, 'Rolled back')`);
    await expect(inTenant(A.id, (tx) => insert(tx).then(() => Promise.reject(boom)))).rejects.toBe(boom);
    expect(await failure(inTenant(A.id, (tx) => insert(tx).then(() => tx.execute(sql.raw('select 1/0')))))).toMatch(/division by zero/);
    expect(await count(h, "select count(*) from departments where name = 'Rolled back'")).toBe(0);
    // Every pooled connection is out of the transaction, back to the owner, with no company set.
    const states = await Promise.all(
      Array.from({ length: 12 }, () =>
        h.deps.database.query<{ u: string; t: string | null; x: string }>(
          "select current_user as u, nullif(current_setting('app.tenant_id', true), '') as t, txid_current_if_assigned()::text as x",
        ),
      ),
    );
    for (const s of states) expect(s.rows[0]).toEqual({ u: expect.not.stringMatching(/^steward_app$/), t: null, x: null });
    const who = (await inTenant(B.id, (tx) => tx.execute(sql`select current_setting('app.tenant_id', true) as t`))) as Rows;
    expect(who.rows[0]).toEqual({ t: String(B.id) });
  });

  it('a transaction without a tenant set sees no tenant rows as steward_app', async () => {
    const rows = (await h.deps.database.system(({ tx }) =>
      tx.execute(sql.raw('set local role steward_app')).then(() => tx.execute(sql`select count(*)::int as n from users`)),
    )) as Rows;
    expect(rows.rows[0].n).toBe(0);
  });
});
