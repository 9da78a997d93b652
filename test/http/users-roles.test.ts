// Users, roles and departments: seat limits, level and permission rules, custom role lifecycle,
// deactivation, search and keyset pagination, validation, and the shape of GET /api/v1/me.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, PASSWORD, type TestCompany, type TestUser } from '../factories.js';
import { type Answer, type Harness, harness } from '../harness.js';
import { count, snapshot } from '../helpers.js';

describe('users, roles and departments', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let manager: TestUser;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    // The default Manager (level 80) may manage users and roles here, to test the level rules.
    await h.deps.database.query(
      "update roles set permissions = permissions || '{users.manage,roles.manage}'::text[] where tenant_id = $1 and name = 'Manager'",
      [acme.id],
    );
    manager = await createUser(h, acme, { role: 'Manager' });
  });
  afterAll(() => h.close());

  const role = (name: string, c = acme) => String(c.roleIds.get(name));

  describe('seat limit', () => {
    it('counts invitations, answers 422 seat_limit and creates nothing', async () => {
      const small = await createCompany(h, { seats: 3 });
      const admin = small.admin.client;
      const a = await admin.post('/api/v1/users', {
        name: 'With Password',
        email: `pw@${small.slug}.test`,
        password: 'long-enough-pw',
        roleId: role('Requester', small),
      });
      expect(a.status).toBe(201);
      expect(a.body.status).toBe('active');
      const b = await admin.post('/api/v1/users', { name: 'Invited', email: `inv@${small.slug}.test`, roleId: role('Requester', small) });
      expect(b.status).toBe(201);
      expect(b.body.status).toBe('invited');
      const before = await snapshot(h, small.id, { skip: ['sessions', 'presence'] });
      for (const body of [
        { name: 'Too Many', email: `full@${small.slug}.test`, roleId: role('Requester', small) },
        { name: 'Too Many', email: `full2@${small.slug}.test`, password: 'long-enough-pw', roleId: role('Requester', small) },
      ]) {
        const res = await admin.post('/api/v1/users', body);
        expect(res.status).toBe(422);
        expect(res.body.error).toMatchObject({ code: 'seat_limit', details: { seats: 3, used: 3 } });
      }
      expect(await snapshot(h, small.id, { skip: ['sessions', 'presence'] })).toEqual(before);
      // A deactivated user frees the seat; reactivating one then finds the company full.
      expect((await admin.patch(`/api/v1/users/${a.body.id}`, { active: false })).status).toBe(200);
      expect(
        (await admin.post('/api/v1/users', { name: 'Now Fits', email: `fits@${small.slug}.test`, roleId: role('Requester', small) }))
          .status,
      ).toBe(201);
      const back = await admin.patch(`/api/v1/users/${a.body.id}`, { active: true });
      expect(back.status).toBe(422);
      expect(back.body.error.code).toBe('seat_limit');
      expect((await admin.get(`/api/v1/users/${a.body.id}`)).body.status).toBe('deactivated');
    });
  });

  describe('levels and permissions', () => {
    it('a Manager cannot create a user with a role at or above their level', async () => {
      const before = await snapshot(h, acme.id, { skip: ['sessions', 'presence'] });
      for (const r of ['Admin', 'Manager']) {
        const res = await manager.client.post('/api/v1/users', {
          name: 'Power Grab',
          email: `grab-${r}@${acme.slug}.test`,
          roleId: role(r),
        });
        expect(res.status, r).toBe(422);
        expect(res.body.error.code, r).toBe('level_too_high');
      }
      expect(await snapshot(h, acme.id, { skip: ['sessions', 'presence'] })).toEqual(before);
      const ok = await manager.client.post('/api/v1/users', {
        name: 'Fine Tech',
        email: `tech@${acme.slug}.test`,
        roleId: role('Technician'),
      });
      expect(ok.status).toBe(201);
    });

    it('a Manager cannot edit an Admin, promote someone to Admin, or edit themselves', async () => {
      const tech = await createUser(h, acme, { role: 'Technician', login: false });
      const before = await snapshot(h, acme.id, { skip: ['sessions', 'presence'] });
      const edit = await manager.client.patch(`/api/v1/users/${acme.admin.id}`, { name: 'Demoted', active: false });
      expect(edit.status).toBe(422);
      expect(edit.body.error.code).toBe('level_too_high');
      const promote = await manager.client.patch(`/api/v1/users/${tech.id}`, { roleId: role('Admin') });
      expect(promote.status).toBe(422);
      expect(promote.body.error.code).toBe('level_too_high');
      const self = await manager.client.patch(`/api/v1/users/${manager.id}`, { roleId: role('Technician') });
      expect(self.status).toBe(422);
      expect(self.body.error.code).toBe('cannot_manage_self');
      expect(await snapshot(h, acme.id, { skip: ['sessions', 'presence'] })).toEqual(before);
      const listed = await manager.client.get(`/api/v1/users/${acme.admin.id}`);
      expect(listed.body.can.update).toBe(false);
      expect((await manager.client.get(`/api/v1/users/${tech.id}`)).body.can.update).toBe(true);
    });

    it('a Manager cannot create or widen a role with a permission they lack, or at level ≥ 80', async () => {
      const before = await snapshot(h, acme.id, { skip: ['sessions', 'presence'] });
      const lacks = await manager.client.post('/api/v1/roles', {
        name: 'Sneaky',
        level: 50,
        permissions: ['tickets.create', 'settings.manage'],
      });
      expect(lacks.status).toBe(422);
      expect(lacks.body.error).toMatchObject({ code: 'permission_not_held', details: { permissions: ['settings.manage'] } });
      for (const level of [80, 81, 1000]) {
        const high = await manager.client.post('/api/v1/roles', { name: `High ${level}`, level, permissions: ['tickets.create'] });
        expect(high.status, String(level)).toBe(422);
        expect(high.body.error.code, String(level)).toBe('level_too_high');
      }
      const widen = await manager.client.patch(`/api/v1/roles/${role('Technician')}`, { permissions: ['tickets.create', 'audit.view'] });
      expect(widen.status).toBe(422);
      expect(widen.body.error.code).toBe('permission_not_held');
      const raise = await manager.client.patch(`/api/v1/roles/${role('Technician')}`, { level: 90 });
      expect(raise.status).toBe(422);
      expect(raise.body.error.code).toBe('level_too_high');
      const adminRole = await manager.client.patch(`/api/v1/roles/${role('Admin')}`, { name: 'Mine now' });
      expect(adminRole.status).toBe(422);
      expect(adminRole.body.error.code).toBe('level_too_high');
      const ownRole = await manager.client.patch(`/api/v1/roles/${role('Manager')}`, { permissions: ['settings.manage'] });
      expect(ownRole.status).toBe(422);
      expect(await snapshot(h, acme.id, { skip: ['sessions', 'presence'] })).toEqual(before);
      const ok = await manager.client.post('/api/v1/roles', { name: 'Helper', level: 50, permissions: ['tickets.create'] });
      expect(ok.status).toBe(201);
    });
  });

  describe('custom roles', () => {
    it('create, read, list, update, delete', async () => {
      const admin = acme.admin.client;
      const made = await admin.post('/api/v1/roles', {
        name: 'Auditor',
        level: 30,
        permissions: ['audit.view', 'users.view', 'audit.view'],
      });
      expect(made.status).toBe(201);
      const expected = {
        id: expect.stringMatching(/^\d+$/),
        name: 'Auditor',
        level: 30,
        permissions: ['audit.view', 'users.view'],
        builtin: false,
        userCount: 0,
        can: { update: true, delete: true },
      };
      expect(made.body).toMatchObject({ ...expected, role: expected });
      const id = made.body.id;
      expect((await admin.get(`/api/v1/roles/${id}`)).body).toMatchObject(expected);
      expect((await admin.get('/api/v1/roles')).body.items.map((r: { id: string }) => r.id)).toContain(id);

      const dup = await admin.post('/api/v1/roles', { name: 'auditor', level: 30, permissions: [] });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('duplicate');

      const unknown = await admin.post('/api/v1/roles', { name: 'Bogus', level: 30, permissions: ['tickets.fly'] });
      expect(unknown.status).toBe(400);
      expect(Object.keys(unknown.body.error.details.fields)[0]).toMatch(/^permissions/);

      const upd = await admin.patch(`/api/v1/roles/${id}`, { name: 'Auditor II', permissions: ['audit.view'] });
      expect(upd.status).toBe(200);
      expect(upd.body).toMatchObject({ name: 'Auditor II', level: 30, permissions: ['audit.view'] });
      const audit = await admin.get('/api/v1/audit?action=role.updated');
      expect(audit.body.items[0]).toMatchObject({ targetId: id, details: { removed: ['users.view'], added: [] } });

      expect((await admin.delete(`/api/v1/roles/${id}`)).status).toBe(204);
      const gone = await admin.get(`/api/v1/roles/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.error.code).toBe('not_found');
    });

    it('refuses deleting a builtin role or a role in use', async () => {
      const admin = acme.admin.client;
      const builtin = await admin.delete(`/api/v1/roles/${role('Viewer')}`);
      expect(builtin.status).toBe(422);
      expect(builtin.body.error.code).toBe('role_builtin');
      const used = await admin.post('/api/v1/roles', { name: 'In Use', level: 25, permissions: [] });
      const u = await admin.post('/api/v1/users', { name: 'Role Holder', email: `holder@${acme.slug}.test`, roleId: used.body.id });
      expect(u.status).toBe(201);
      const res = await admin.delete(`/api/v1/roles/${used.body.id}`);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('role_in_use');
      expect((await admin.get(`/api/v1/roles/${used.body.id}`)).body.userCount).toBe(1);
      expect(await count(h, 'select count(*) from roles where tenant_id = $1 and id = $2', [acme.id, Number(used.body.id)])).toBe(1);
    });
  });

  describe('deactivation', () => {
    it('ends the sessions and refuses login; reactivation lets them back', async () => {
      const u = await createUser(h, acme, { role: 'Technician' });
      const second = h.client();
      await second.login(u.email, PASSWORD);
      // Both sessions used first, so a cached session would show.
      expect((await u.client.get('/api/v1/me')).status).toBe(200);
      expect((await second.get('/api/v1/me')).status).toBe(200);
      const res = await acme.admin.client.patch(`/api/v1/users/${u.id}`, { active: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: String(u.id), status: 'deactivated', user: { status: 'deactivated' } });
      expect(await count(h, 'select count(*) from sessions where tenant_id = $1 and user_id = $2', [acme.id, u.id])).toBe(0);
      expect((await u.client.get('/api/v1/me')).status).toBe(401);
      expect((await second.get('/api/v1/me')).status).toBe(401);
      const login = await h.client().login(u.email, PASSWORD);
      expect(login.status).toBe(401);
      expect(login.body.error.code).toBe('invalid_credentials');
      const audit = await acme.admin.client.get('/api/v1/audit?action=user.deactivated');
      expect(audit.body.items[0]).toMatchObject({ targetId: String(u.id), actor: { id: String(acme.admin.id) } });

      expect((await acme.admin.client.patch(`/api/v1/users/${u.id}`, { active: true })).body.status).toBe('active');
      expect((await h.client().login(u.email, PASSWORD)).status).toBe(200);
    });
  });

  describe('list', () => {
    it('searches, and pages by keyset in name order until nextCursor is null', async () => {
      const co = await createCompany(h);
      const names = ['Pager Golf', 'pager alpha', 'Pager Delta', 'Pager Delta', 'PAGER charlie', 'Pager Bravo', 'Pager Echo'];
      const ids: Array<{ id: string; name: string }> = [];
      for (const [i, name] of names.entries()) {
        const res = await co.admin.client.post('/api/v1/users', {
          name,
          email: `p${i}@${co.slug}.test`,
          password: 'long-enough-pw',
          roleId: role('Requester', co),
        });
        expect(res.status).toBe(201);
        ids.push({ id: res.body.id, name });
      }
      const expected = [...ids]
        .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || Number(a.id) - Number(b.id))
        .map((u) => u.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: Answer = await co.admin.client.get(
          `/api/v1/users?q=pager&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...res.body.items.map((u: { id: string }) => u.id));
        cursor = res.body.nextCursor;
        pages++;
        expect(pages).toBeLessThan(10);
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(expected);

      const all = await co.admin.client.get('/api/v1/users?limit=200');
      expect(all.body.items).toHaveLength(8);
      expect(all.body.nextCursor).toBeNull();
      const byMail = await co.admin.client.get(`/api/v1/users?q=${encodeURIComponent(`p3@${co.slug}`)}`);
      expect(byMail.body.items.map((u: { id: string }) => u.id)).toEqual([ids[3].id]);
      // LIKE wildcards are taken literally.
      expect((await co.admin.client.get('/api/v1/users?q=%25')).body.items).toEqual([]);
      expect((await co.admin.client.get('/api/v1/users?q=_')).body.items).toEqual([]);

      for (const bad of ['limit=0', 'limit=201', 'limit=abc', 'cursor=not-a-cursor', 'status=sleeping']) {
        const res = await co.admin.client.get(`/api/v1/users?${bad}`);
        expect(res.status, bad).toBe(400);
        expect(res.body.error.code, bad).toBe('validation');
        expect(Object.keys(res.body.error.details.fields), bad).toContain(bad.split('=')[0]);
      }
    });
  });

  describe('list with names beyond ASCII', () => {
    it('keyset pages see every user exactly once', async () => {
      const co = await createCompany(h);
      const names = ['Ärger Anna', 'Über Uwe', 'Öl Olaf', 'Zed Zoe', 'ßtrasse Sven', 'Émile Eve', 'adam Ant'];
      const ids: string[] = [String(co.admin.id)];
      for (const [i, name] of names.entries()) {
        const res = await co.admin.client.post('/api/v1/users', {
          name,
          email: `n${i}@${co.slug}.test`,
          password: 'long-enough-pw',
          roleId: role('Requester', co),
        });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      const all = (await co.admin.client.get('/api/v1/users?limit=200')).body.items.map((u: { id: string }) => u.id);
      expect([...all].sort()).toEqual([...ids].sort());
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 20; pages++) {
        const res: Answer = await co.admin.client.get(`/api/v1/users?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        seen.push(...res.body.items.map((u: { id: string }) => u.id));
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      // Same users, same order as the single page.
      expect(seen).toEqual(all);
    });
  });

  describe('validation', () => {
    it('answers 400 with details.fields naming each bad field, and writes nothing', async () => {
      const before = await snapshot(h, acme.id, { skip: ['sessions', 'presence'] });
      const res = await acme.admin.client.post('/api/v1/users', { name: '', email: 'not-an-email', roleId: 'abc', username: 'has space' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect(Object.keys(res.body.error.details.fields).sort()).toEqual(['email', 'name', 'roleId', 'username']);
      const short = await acme.admin.client.post('/api/v1/users', {
        name: 'Short',
        email: `short@${acme.slug}.test`,
        password: 'short',
        roleId: role('Requester'),
      });
      expect(short.status).toBe(400);
      expect(Object.keys(short.body.error.details.fields)).toEqual(['password']);
      const badId = await acme.admin.client.get('/api/v1/users/0');
      expect(badId.status).toBe(400);
      expect(Object.keys(badId.body.error.details.fields)).toEqual(['id']);
      // Another company's role or department is "no such" here.
      const foreignRole = await acme.admin.client.post('/api/v1/users', {
        name: 'X',
        email: `x1@${acme.slug}.test`,
        roleId: role('Requester', other),
      });
      expect(foreignRole.status).toBe(400);
      expect(foreignRole.body.error.details.fields).toHaveProperty('roleId');
      const foreignDept = await acme.admin.client.post('/api/v1/users', {
        name: 'X',
        email: `x2@${acme.slug}.test`,
        roleId: role('Requester'),
        departmentId: String(other.departmentIds.get('IT')),
      });
      expect(foreignDept.status).toBe(400);
      expect(foreignDept.body.error.details.fields).toHaveProperty('departmentId');
      // An address taken in another company is a duplicate (logins are instance-wide).
      const dup = await acme.admin.client.post('/api/v1/users', {
        name: 'Dup',
        email: other.admin.email.toUpperCase(),
        roleId: role('Requester'),
      });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('duplicate');
      expect(await snapshot(h, acme.id, { skip: ['sessions', 'presence'] })).toEqual(before);
    });
  });

  describe('departments', () => {
    it('refuses a head from another company on create and update, writing nothing', async () => {
      const before = await snapshot(h, acme.id, { skip: ['sessions', 'presence'] });
      const created = await acme.admin.client.post('/api/v1/departments', { name: 'Foreign Head', headUserId: String(other.admin.id) });
      expect([400, 404]).toContain(created.status);
      expect(created.body.error.details.fields).toHaveProperty('headUserId');
      const itDept = String(acme.departmentIds.get('IT'));
      const updated = await acme.admin.client.patch(`/api/v1/departments/${itDept}`, { headUserId: String(other.admin.id) });
      expect([400, 404]).toContain(updated.status);
      expect(await snapshot(h, acme.id, { skip: ['sessions', 'presence'] })).toEqual(before);
      expect(await count(h, 'select count(*) from departments where head_user_id = $1', [other.admin.id])).toBe(0);
    });

    it('creates with a head of the company, renames, clears the head, deletes', async () => {
      const admin = acme.admin.client;
      const made = await admin.post('/api/v1/departments', { name: 'Lab', headUserId: String(manager.id) });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ name: 'Lab', head: { id: String(manager.id) }, userCount: 0, department: { name: 'Lab' } });
      const dup = await admin.post('/api/v1/departments', { name: 'LAB' });
      expect(dup.status).toBe(409);
      const upd = await admin.patch(`/api/v1/departments/${made.body.id}`, { name: 'Laboratory', headUserId: null });
      expect(upd.status).toBe(200);
      expect(upd.body).toMatchObject({ name: 'Laboratory', head: null });
      expect((await admin.delete(`/api/v1/departments/${made.body.id}`)).status).toBe(204);
      expect((await admin.delete(`/api/v1/departments/${made.body.id}`)).status).toBe(404);
      expect((await admin.get('/api/v1/departments')).body.items.map((d: { id: string }) => d.id)).not.toContain(made.body.id);
    });
  });

  describe('permission changes take effect at once', () => {
    it('removing a permission from a role, or moving a user to another role, applies to the next request', async () => {
      const admin = acme.admin.client;
      const made = await admin.post('/api/v1/roles', { name: 'Lister', level: 30, permissions: ['users.view'] });
      const u = await createUser(h, acme, { roleId: Number(made.body.id) });
      const made2 = await u.client.post('/api/v1/api-tokens', { name: 'lister' });
      const bearer = h.client();
      bearer.bearer = made2.body.token;
      expect((await u.client.get('/api/v1/users')).status).toBe(200);
      expect((await bearer.get('/api/v1/users')).status).toBe(200);
      expect((await admin.patch(`/api/v1/roles/${made.body.id}`, { permissions: [] })).status).toBe(200);
      for (const c of [u.client, bearer]) {
        const res = await c.get('/api/v1/users');
        expect(res.status).toBe(403);
        expect(res.body.error.code).toBe('forbidden');
      }
      expect((await admin.patch(`/api/v1/users/${u.id}`, { roleId: role('Technician') })).status).toBe(200);
      expect((await u.client.get('/api/v1/users')).status).toBe(200);
      expect((await u.client.get('/api/v1/me')).body.role).toMatchObject({ name: 'Technician', level: 40 });
      expect((await admin.patch(`/api/v1/users/${u.id}`, { roleId: role('Viewer') })).status).toBe(200);
      expect((await bearer.get('/api/v1/users')).status).toBe(403);
    });
  });

  describe('department deletion', () => {
    it('deleting a department with members leaves them working without one', async () => {
      const admin = acme.admin.client;
      const made = await admin.post('/api/v1/departments', { name: 'Short-lived' });
      expect(made.status).toBe(201);
      const member = await admin.post('/api/v1/users', {
        name: 'Member',
        email: `member@${acme.slug}.test`,
        password: 'long-enough-pw',
        roleId: role('Requester'),
        departmentId: made.body.id,
      });
      expect(member.status).toBe(201);
      expect(member.body.department).toEqual({ id: made.body.id, name: 'Short-lived' });
      // The API promises "its users keep working without one".
      const del = await admin.delete(`/api/v1/departments/${made.body.id}`);
      expect(del.status).toBe(204);
      const after = await admin.get(`/api/v1/users/${member.body.id}`);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ status: 'active', department: null });
      expect((await h.client().login(`member@${acme.slug}.test`, 'long-enough-pw')).status).toBe(200);
    });
  });

  describe('GET /api/v1/me', () => {
    it('has the documented shape', async () => {
      const u = await createUser(h, acme, { role: 'Technician', department: 'IT' });
      const res = await u.client.get('/api/v1/me');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        user: {
          id: String(u.id),
          name: expect.any(String),
          email: u.email,
          username: u.email.split('@')[0],
          timezone: 'UTC',
          theme: 'system',
          color: expect.stringMatching(/^#[0-9a-f]{6}$/i),
        },
        company: { id: String(acme.id), name: expect.any(String), slug: acme.slug },
        role: { id: role('Technician'), name: 'Technician', level: 40 },
        permissions: expect.any(Array),
        superAdmin: false,
        csrfToken: u.client.csrf,
      });
      expect(Object.keys(res.body).sort()).toEqual(['can', 'company', 'csrfToken', 'permissions', 'role', 'superAdmin', 'user']);
      expect(res.body.can).toEqual({ viewTickets: true, viewProjects: false });
      expect(Object.keys(res.body.company).sort()).toEqual(['id', 'name', 'slug']);
      expect(Object.keys(res.body.role).sort()).toEqual(['id', 'level', 'name']);
      expect(res.body.permissions).toEqual([...res.body.permissions].sort());
      expect(res.body.permissions).toContain('tickets.update');
      expect(res.body.permissions).not.toContain('users.manage');
    });
  });
});
