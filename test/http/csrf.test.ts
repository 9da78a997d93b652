// Cookie-authenticated writes need the x-csrf-token header: every state-changing, non-public route
// refuses a missing or wrong token with 403 csrf and changes nothing; Bearer tokens need none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createSuperAdmin, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, fillPath, snapshot, STATE_CHANGING } from '../helpers.js';

describe('CSRF', () => {
  let h: Harness;
  let acme: TestCompany;
  let ids: Record<string, string | number>;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    const role = await acme.admin.client.post('/api/v1/roles', { name: 'Custom', level: 30, permissions: ['tickets.create'] });
    // Real ids of this company, so a missing check would really change something.
    ids = { id: role.body.id, token: 'x'.repeat(20), number: 1, list: 'categories', deliveryId: 1 };
  });
  afterAll(() => h.close());

  const writes = () => h.routes.filter((r) => STATE_CHANGING.has(r.method) && r.access !== 'public');
  const bodies: Record<string, unknown> = {
    'POST /api/v1/roles': { name: 'Sneaky', level: 10, permissions: [] },
    'PATCH /api/v1/roles/:id': { name: 'Sneaky' },
    'POST /api/v1/departments': { name: 'Sneaky' },
    'POST /api/v1/api-tokens': { name: 'Sneaky' },
    'PATCH /api/v1/me': { name: 'Sneaky' },
  };

  async function allWritesRefused(mutate: (c: ReturnType<Harness['client']>) => void) {
    const c = acme.admin.client;
    const saved = { csrf: c.csrf, sendCsrf: c.sendCsrf };
    mutate(c);
    const before = await snapshot(h, acme.id, { skip: ['presence'] });
    const auditBefore = await count(h, 'select count(*) from audit_log');
    const failures: string[] = [];
    try {
      expect(writes().length).toBeGreaterThan(10);
      for (const r of writes()) {
        const res = await c.request(
          r.method,
          fillPath(r.url, { ...ids, id: r.url.startsWith('/api/v1/admin/') ? acme.id : ids.id }),
          bodies[`${r.method} ${r.url}`] ?? (r.method === 'DELETE' ? undefined : {}),
        );
        if (res.status !== 403 || res.body?.error?.code !== 'csrf')
          failures.push(`${r.method} ${r.url}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    } finally {
      Object.assign(c, saved);
    }
    expect(failures).toEqual([]);
    expect(await snapshot(h, acme.id, { skip: ['presence'] })).toEqual(before);
    expect(await count(h, 'select count(*) from audit_log')).toBe(auditBefore);
  }

  it('refuses every cookie write without the header', async () => {
    await allWritesRefused((c) => {
      c.sendCsrf = false;
    });
  });

  it('refuses every cookie write with a wrong header', async () => {
    await allWritesRefused((c) => {
      c.csrf = 'wrong-token';
    });
  });

  it("refuses another session's token", async () => {
    const other = h.client();
    const login = await other.login(acme.admin.email, 'correct-horse-battery');
    expect(login.status).toBe(200);
    await allWritesRefused((c) => {
      c.csrf = login.body.csrfToken;
    });
  });

  it('refuses an operator session without the header too', async () => {
    const operator = await createSuperAdmin(h);
    operator.client.sendCsrf = false;
    const res = await operator.client.post('/api/v1/admin/companies', { name: 'X', slug: 'csrf-x', contactEmail: 'x@x.test', seats: 3 });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('csrf');
    expect(await count(h, "select count(*) from companies where slug = 'csrf-x'")).toBe(0);
    operator.client.sendCsrf = true;
    const ok = await operator.client.post('/api/v1/admin/companies', { name: 'X', slug: 'csrf-x', contactEmail: 'x@x.test', seats: 3 });
    expect(ok.status).toBe(201);
  });

  it('accepts the right header, and the token from GET /api/v1/me is the same one', async () => {
    const me = await acme.admin.client.get('/api/v1/me');
    expect(me.body.csrfToken).toBe(acme.admin.client.csrf);
    const res = await acme.admin.client.post('/api/v1/departments', { name: 'With CSRF' });
    expect(res.status).toBe(201);
  });

  it('a Bearer API token needs no CSRF header', async () => {
    const made = await acme.admin.client.post('/api/v1/api-tokens', { name: 'script' });
    expect(made.status).toBe(201);
    const script = h.client();
    script.bearer = made.body.token;
    const res = await script.post('/api/v1/departments', { name: 'By script' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('By script');
    expect(await count(h, "select count(*) from departments where tenant_id = $1 and name = 'By script'", [acme.id])).toBe(1);
  });

  it('a Bearer header does not lift the CSRF check from a cookie request with a forged token', async () => {
    // A cookie plus a broken Authorization header must not bypass CSRF: the bearer is checked as such.
    const c = h.client();
    c.cookie = acme.admin.client.cookie;
    c.bearer = 'stw_forged';
    const res = await c.post('/api/v1/departments', { name: 'Forged' });
    expect(res.status).toBe(401);
    expect(await count(h, "select count(*) from departments where name = 'Forged'")).toBe(0);
  });

  it('public writes (login, logout) need no CSRF header', async () => {
    const c = h.client();
    c.sendCsrf = false;
    expect((await c.login(acme.admin.email, 'correct-horse-battery')).status).toBe(200);
    expect((await c.post('/api/v1/auth/logout')).status).toBe(204);
  });
});
