// First-start setup (with demo data), and the operator's companies: create, list, signup keys,
// suspension, and refusal for everyone else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEPARTMENTS, DEFAULT_ROLES } from '../../src/shared/permissions/index.js';
import { createSuperAdmin, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, snapshot } from '../helpers.js';

const ADMIN_PASSWORD = 'setup-admin-password';

describe('companies', () => {
  let h: Harness;
  let operator: TestUser;
  let firstCompanyId: string;

  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());

  describe('setup', () => {
    it('is needed on a fresh instance and refuses bad input without writing', async () => {
      const res = await h.client().get('/api/v1/setup');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ needed: true });
      const bad = await h.client().post('/api/v1/setup', {
        company: { name: 'Acme', slug: 'Not A Slug' },
        admin: { name: 'Ada', email: 'ada@acme.test', password: 'short' },
      });
      expect(bad.status).toBe(400);
      expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['admin.password', 'company.slug']);
      expect(await count(h, 'select count(*) from companies')).toBe(0);
    });

    it('creates the company, its admin and 19 demo people; then it is done', async () => {
      const res = await h.client().post('/api/v1/setup', {
        company: { name: 'Acme Corp', slug: 'acme' },
        admin: { name: 'Ada Admin', email: 'Ada@Acme.test', password: ADMIN_PASSWORD },
        demoData: true,
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        company: { id: expect.stringMatching(/^\d+$/), name: 'Acme Corp', slug: 'acme' },
        user: { id: expect.stringMatching(/^\d+$/), name: 'Ada Admin', email: 'Ada@Acme.test', username: null },
      });
      firstCompanyId = res.body.company.id;
      expect(await count(h, 'select count(*) from users where tenant_id = $1', [Number(firstCompanyId)])).toBe(20);
      expect(await count(h, "select count(*) from users where tenant_id = $1 and status = 'active'", [Number(firstCompanyId)])).toBe(20);
      expect((await h.client().get('/api/v1/setup')).body).toEqual({ needed: false });

      const admin = h.client();
      const login = await admin.login('ada@acme.test', ADMIN_PASSWORD);
      expect(login.status).toBe(200);
      const me = await admin.get('/api/v1/me');
      expect(me.body).toMatchObject({
        role: { name: 'Admin', level: 100 },
        company: { id: firstCompanyId, slug: 'acme' },
        superAdmin: false,
      });
      const users = await admin.get('/api/v1/users?limit=200');
      expect(users.body.items).toHaveLength(20);
      // Demo people share the admin's password, never a well-known one.
      const maria = users.body.items.find((u: { name: string }) => u.name === 'Maria Lopez');
      expect(maria.role.name).toBe('Manager');
      expect((await h.client().login(maria.email, ADMIN_PASSWORD)).status).toBe(200);
      expect((await h.client().login(maria.email, 'password')).status).toBe(401);
      const depts = await admin.get('/api/v1/departments');
      expect(depts.body.items.filter((d: { head: unknown }) => d.head !== null).length).toBe(3);
    });

    it('a second setup is refused with 409 already_set_up and writes nothing', async () => {
      const before = await count(h, 'select count(*) from companies');
      const usersBefore = await count(h, 'select count(*) from users');
      const res = await h.client().post('/api/v1/setup', {
        company: { name: 'Evil', slug: 'evil' },
        admin: { name: 'Eve', email: 'eve@evil.test', password: 'eve-password-1' },
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('already_set_up');
      expect(await count(h, 'select count(*) from companies')).toBe(before);
      expect(await count(h, 'select count(*) from users')).toBe(usersBefore);
      expect((await h.client().login('eve@evil.test', 'eve-password-1')).status).toBe(401);
    });
  });

  describe('operator', () => {
    beforeAll(async () => {
      operator = await createSuperAdmin(h);
    });

    let globexId: string;
    let signupKey: string;

    it('creates a company and shows its signup key once', async () => {
      const res = await operator.client.post('/api/v1/admin/companies', {
        name: 'Globex',
        slug: 'globex',
        contactEmail: 'Boss@Globex.test',
        seats: 5,
      });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['company', 'signupKey']);
      expect(res.body.company).toMatchObject({
        id: expect.any(String),
        name: 'Globex',
        slug: 'globex',
        contactEmail: 'Boss@Globex.test',
        seats: 5,
        usedSeats: 0,
        suspended: false,
        signedUp: false,
      });
      expect(res.body.signupKey).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      globexId = res.body.company.id;
      signupKey = res.body.signupKey;
      const { rows } = await h.deps.database.query<{ signup_key_hash: string }>('select signup_key_hash from companies where id = $1', [
        Number(globexId),
      ]);
      expect(rows[0].signup_key_hash).not.toContain(signupKey);
      const dup = await operator.client.post('/api/v1/admin/companies', {
        name: 'Globex 2',
        slug: 'globex',
        contactEmail: 'x@globex.test',
        seats: 5,
      });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('duplicate');
    });

    it('lists the companies with their used seats', async () => {
      const res = await operator.client.get('/api/v1/admin/companies');
      expect(res.status).toBe(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items.map((c: { slug: string }) => c.slug)).toEqual(['acme', 'globex']);
      expect(res.body.items[0]).toMatchObject({ id: firstCompanyId, usedSeats: 20, signedUp: true });
      const paged = await operator.client.get('/api/v1/admin/companies?limit=1');
      expect(paged.body.items).toHaveLength(1);
      const next = await operator.client.get(`/api/v1/admin/companies?limit=1&cursor=${paged.body.nextCursor}`);
      expect(next.body.items[0].slug).toBe('globex');
      expect(next.body.nextCursor).toBeNull();
    });

    it('refuses a wrong key or e-mail (422) and writes nothing', async () => {
      for (const body of [
        { email: 'boss@globex.test', key: 'wrong-key-wrong-key', name: 'Boss', username: 'boss', password: 'boss-password-1' },
        { email: 'other@globex.test', key: signupKey, name: 'Boss', username: 'boss', password: 'boss-password-1' },
      ]) {
        const res = await h.client().post('/api/v1/signup', body);
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('invalid_signup_key');
      }
      expect(await count(h, 'select count(*) from users where tenant_id = $1', [Number(globexId)])).toBe(0);
    });

    it('signup with the e-mail in any case and the key creates the admin; the key works once', async () => {
      const res = await h
        .client()
        .post('/api/v1/signup', { email: 'BOSS@globex.TEST', key: signupKey, name: 'Boss', username: 'boss', password: 'boss-password-1' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        company: { id: globexId, name: 'Globex', slug: 'globex' },
        user: { id: expect.any(String), name: 'Boss', email: 'BOSS@globex.TEST', username: 'boss' },
      });
      const boss = h.client();
      expect((await boss.login('boss', 'boss-password-1')).status).toBe(200);
      const me = await boss.get('/api/v1/me');
      expect(me.body).toMatchObject({ role: { name: 'Admin', level: 100 }, company: { id: globexId } });
      const roles = await boss.get('/api/v1/roles');
      expect(roles.body.items.map((r: { name: string }) => r.name).sort()).toEqual(DEFAULT_ROLES.map((r) => r.name).sort());
      expect(roles.body.items.map((r: { name: string }) => r.name).sort()).toEqual([
        'Admin',
        'Department Head',
        'Manager',
        'Requester',
        'Technician',
        'Viewer',
      ]);
      for (const r of roles.body.items) {
        const def = DEFAULT_ROLES.find((d) => d.name === r.name)!;
        expect(r).toMatchObject({ level: def.level, builtin: true, permissions: [...def.permissions].sort() });
      }
      const depts = await boss.get('/api/v1/departments');
      expect(depts.body.items.map((d: { name: string }) => d.name).sort()).toEqual([...DEFAULT_DEPARTMENTS].sort());

      const before = await snapshot(h, Number(globexId), { skip: ['sessions', 'presence'] });
      const again = await h.client().post('/api/v1/signup', {
        email: 'boss@globex.test',
        key: signupKey,
        name: 'Boss 2',
        username: 'boss2',
        password: 'boss-password-2',
      });
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe('invalid_signup_key');
      expect(await snapshot(h, Number(globexId), { skip: ['sessions', 'presence'] })).toEqual(before);
      const regen = await operator.client.post(`/api/v1/admin/companies/${globexId}/signup-key`);
      expect(regen.status).toBe(422);
      expect(regen.body.error.code).toBe('already_signed_up');
      const listed = await operator.client.get('/api/v1/admin/companies');
      expect(listed.body.items.find((c: { id: string }) => c.id === globexId)).toMatchObject({ signedUp: true, usedSeats: 1 });
    });

    it('a regenerated key replaces the old one', async () => {
      const made = await operator.client.post('/api/v1/admin/companies', {
        name: 'Initech',
        slug: 'initech',
        contactEmail: 'bill@initech.test',
        seats: 2,
      });
      const regen = await operator.client.post(`/api/v1/admin/companies/${made.body.company.id}/signup-key`);
      expect(regen.status).toBe(200);
      expect(regen.body.signupKey).not.toBe(made.body.signupKey);
      const old = await h.client().post('/api/v1/signup', {
        email: 'bill@initech.test',
        key: made.body.signupKey,
        name: 'Bill',
        username: 'bill',
        password: 'bill-password-1',
      });
      expect(old.status).toBe(422);
      const ok = await h.client().post('/api/v1/signup', {
        email: 'bill@initech.test',
        key: regen.body.signupKey,
        name: 'Bill',
        username: 'bill',
        password: 'bill-password-1',
      });
      expect(ok.status).toBe(201);
    });

    it('edits a company; an unknown id is 404', async () => {
      const res = await operator.client.patch(`/api/v1/admin/companies/${globexId}`, { seats: 7, name: 'Globex Inc' });
      expect(res.status).toBe(200);
      expect(res.body.company).toMatchObject({ id: globexId, seats: 7, name: 'Globex Inc', slug: 'globex', usedSeats: 1 });
      const missing = await operator.client.patch('/api/v1/admin/companies/999999', { seats: 7 });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('not_found');
      const audit = await h.deps.database.query<{ action: string; details: { changed: Record<string, unknown> } }>(
        "select action, details from audit_log where tenant_id = $1 and action like 'company.%' order by id desc limit 1",
        [Number(globexId)],
      );
      expect(audit.rows[0]).toMatchObject({ action: 'company.updated', details: { changed: { seats: 7, name: 'Globex Inc' } } });
    });

    it('company users, admins included, get 403 on every operator route and write nothing', async () => {
      const admin = h.client();
      await admin.login('ada@acme.test', ADMIN_PASSWORD);
      const before = await count(h, 'select count(*) from companies');
      const calls: Array<[string, string, unknown]> = [
        ['GET', '/api/v1/admin/companies', undefined],
        ['POST', '/api/v1/admin/companies', { name: 'Mine', slug: 'mine', contactEmail: 'me@mine.test', seats: 9 }],
        ['PATCH', `/api/v1/admin/companies/${firstCompanyId}`, { seats: 100000 }],
        ['POST', `/api/v1/admin/companies/${globexId}/signup-key`, {}],
      ];
      for (const [method, url, body] of calls) {
        const res = await admin.request(method, url, body);
        expect(res.status, url).toBe(403);
        expect(res.body.error.code, url).toBe('forbidden');
        const anon = await h.client().request(method, url, body);
        expect(anon.status, url).toBe(401);
      }
      expect(await count(h, 'select count(*) from companies')).toBe(before);
      expect(await count(h, 'select seats from companies where id = $1', [Number(firstCompanyId)])).toBe(1000);
    });
  });
});
