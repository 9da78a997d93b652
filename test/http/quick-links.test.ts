// Quick links: admins pin links to everyone's dashboard or one role's; each person reads only the
// links meant for them; only web addresses are accepted; companies never see each other's links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('quick links', () => {
  let h: Harness;
  let acme: TestCompany;
  let technician: TestUser;
  let requester: TestUser;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    technician = await createUser(h, acme, { role: 'Technician' });
    requester = await createUser(h, acme, { role: 'Requester' });
  });
  afterAll(() => h.close());

  const titles = (res: { body: { items: Array<{ title: string }> } }) => res.body.items.map((l) => l.title);

  it('pins links for everyone or one role and shows each person theirs, in order', async () => {
    const admin = acme.admin.client;
    const intranet = await admin.post('/api/v1/quick-links', { title: 'Intranet', url: 'https://intranet.example.com/', position: 2 });
    expect(intranet.status).toBe(201);
    expect(intranet.body.quickLink).toMatchObject({ title: 'Intranet', url: 'https://intranet.example.com/', role: null, description: '', can: { update: true } });
    const techRole = String(acme.roleIds.get('Technician'));
    const manual = await admin.post('/api/v1/quick-links', {
      title: 'Boiler manual',
      url: 'https://docs.example.com/boiler.pdf',
      description: 'Model XR-200',
      roleId: techRole,
      position: 1,
    });
    expect(manual.body.quickLink.role).toEqual({ id: techRole, name: 'Technician' });

    expect(titles(await technician.client.get('/api/v1/quick-links'))).toEqual(['Boiler manual', 'Intranet']);
    const mine = await requester.client.get('/api/v1/quick-links');
    expect(titles(mine)).toEqual(['Intranet']);
    expect(mine.body.can.create).toBe(false);
    expect(mine.body.items[0].can).toEqual({ update: false, delete: false });
    // The admin's own dashboard has only everyone's link; the full list is for managing them.
    expect(titles(await admin.get('/api/v1/quick-links'))).toEqual(['Intranet']);
    expect(titles(await admin.get('/api/v1/quick-links?audience=all'))).toEqual(['Boiler manual', 'Intranet']);
    expect((await requester.client.get('/api/v1/quick-links?audience=all')).status).toBe(403);

    const moved = await admin.patch(`/api/v1/quick-links/${manual.body.quickLink.id}`, { roleId: null, position: 5 });
    expect(moved.status).toBe(200);
    expect(moved.body.quickLink).toMatchObject({ role: null, position: 5, description: 'Model XR-200' });
    expect(titles(await requester.client.get('/api/v1/quick-links'))).toEqual(['Intranet', 'Boiler manual']);

    expect((await admin.delete(`/api/v1/quick-links/${intranet.body.quickLink.id}`)).status).toBe(204);
    expect((await admin.delete(`/api/v1/quick-links/${intranet.body.quickLink.id}`)).status).toBe(404);
    expect(titles(await requester.client.get('/api/v1/quick-links'))).toEqual(['Boiler manual']);
    const audit = await admin.get('/api/v1/audit?limit=50');
    const actions = audit.body.items.map((i: { action: string }) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['quick_link.created', 'quick_link.updated', 'quick_link.deleted']));
  });

  it('refuses non-admins, addresses that are not web pages, and roles of another company', async () => {
    const admin = acme.admin.client;
    expect((await requester.client.post('/api/v1/quick-links', { title: 'Mine', url: 'https://example.com' })).status).toBe(403);
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'intranet', 'ftp://files.example.com']) {
      const res = await admin.post('/api/v1/quick-links', { title: 'Bad', url });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code).toBe('validation');
    }
    const other = await createCompany(h, { name: 'Other Co' });
    const foreignRole = String(other.roleIds.get('Technician'));
    const res = await admin.post('/api/v1/quick-links', { title: 'Cross', url: 'https://example.com', roleId: foreignRole });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.roleId).toBeDefined();
    // The other company sees none of Acme's links, and cannot change them.
    const acmeLinks = (await admin.get('/api/v1/quick-links?audience=all')).body.items;
    expect(acmeLinks.length).toBeGreaterThan(0);
    expect((await other.admin.client.get('/api/v1/quick-links?audience=all')).body.items).toEqual([]);
    expect((await other.admin.client.patch(`/api/v1/quick-links/${acmeLinks[0].id}`, { title: 'Hijacked' })).status).toBe(404);
    expect((await other.admin.client.delete(`/api/v1/quick-links/${acmeLinks[0].id}`)).status).toBe(404);
  });

  it('a link pinned for a role goes when the role is deleted', async () => {
    const admin = acme.admin.client;
    const role = await admin.post('/api/v1/roles', { name: 'Night shift', level: 10, permissions: ['tickets.create'] });
    expect(role.status).toBe(201);
    const roleId = role.body.role?.id ?? role.body.id;
    const pinned = await admin.post('/api/v1/quick-links', { title: 'Night rota', url: 'https://rota.example.com', roleId });
    expect(pinned.status).toBe(201);
    expect((await admin.delete(`/api/v1/roles/${roleId}`)).status).toBe(204);
    expect(titles(await admin.get('/api/v1/quick-links?audience=all'))).not.toContain('Night rota');
  });
});
