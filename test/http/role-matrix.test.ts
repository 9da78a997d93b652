// Every route's declared access is enforced: a permission route refuses a user holding every
// permission but that one (403) and a caller without a session (401); operator routes refuse a
// company admin; 'authenticated' routes refuse anonymous callers; no route goes undeclared.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { MODULES } from '../../src/server/modules/index.js';
import type { ModulePlugin } from '../../src/server/modules/http.js';
import { registerAuth } from '../../src/server/platform/auth.js';
import { DEFAULT_ROLES, isPermission, type Permission } from '../../src/shared/permissions/index.js';
import {
  allPermissionsBut,
  createCompany,
  createRole,
  createSuperAdmin,
  createUser,
  type TestCompany,
  type TestUser,
} from '../factories.js';
import { type Harness, harness, type RouteInfo } from '../harness.js';
import { fillPath, printedRoutes, snapshot } from '../helpers.js';

const ACCESS_KINDS = new Set(['public', 'authenticated', 'superadmin']);
const sampleParams = { id: '1', token: 'x'.repeat(20), number: '1', list: 'categories', deliveryId: '1' };
const bodyFor = (r: RouteInfo) => (r.method === 'GET' || r.method === 'DELETE' ? undefined : {});

describe('role matrix', () => {
  let h: Harness;
  let acme: TestCompany;
  const without = new Map<Permission, TestUser>();

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    const needed = new Set(h.routes.map((r) => r.access).filter((a): a is Permission => !!a && isPermission(a)));
    for (const p of needed) {
      const roleId = await createRole(h, acme, allPermissionsBut(p));
      without.set(p, await createUser(h, acme, { roleId }));
    }
  });
  afterAll(() => h.close());

  it("the collected route list is complete (checked against Fastify's own route tree)", () => {
    const collected = new Set(h.routes.map((r) => `${r.method} ${r.url}`));
    const printed = printedRoutes(h);
    expect(printed.length).toBeGreaterThanOrEqual(h.routes.length);
    // Only the API docs pages (public by declaration, registered before the modules) are not collected.
    const missing = printed.filter((r) => !collected.has(`${r.method} ${r.url}`) && !r.url.startsWith('/api/docs'));
    expect(missing).toEqual([]);
    for (const r of h.routes) expect(printed, `${r.method} ${r.url}`).toContainEqual({ method: r.method, url: r.url });
  });

  it('every route declares a known access', () => {
    const bad = h.routes.filter((r) => !r.access || !(ACCESS_KINDS.has(r.access) || isPermission(r.access)));
    expect(bad).toEqual([]);
    // Sanity: the matrix has something to check.
    expect(h.routes.filter((r) => r.access && isPermission(r.access)).length).toBeGreaterThan(10);
  });

  it('a permission route refuses a user who holds every permission but that one, and changes nothing', async () => {
    const before = await snapshot(h, acme.id, { skip: ['presence', 'sessions', 'audit_log'] });
    const failures: string[] = [];
    for (const r of h.routes.filter((x) => x.access && isPermission(x.access))) {
      const user = without.get(r.access as Permission)!;
      const res = await user.client.request(r.method, fillPath(r.url, sampleParams), bodyFor(r));
      if (res.status !== 403 || res.body?.error?.code !== 'forbidden' || res.body.error.details?.permission !== r.access) {
        failures.push(`${r.method} ${r.url} (${r.access}): ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot(h, acme.id, { skip: ['presence', 'sessions', 'audit_log'] })).toEqual(before);
  });

  it('the same user with an API token is refused alike', async () => {
    const failures: string[] = [];
    for (const [p, user] of without) {
      const made = await user.client.post('/api/v1/api-tokens', { name: `without ${p}` });
      expect(made.status).toBe(201);
      const bearer = h.client();
      bearer.bearer = made.body.token;
      for (const r of h.routes.filter((x) => x.access === p)) {
        const res = await bearer.request(r.method, fillPath(r.url, sampleParams), bodyFor(r));
        if (res.status !== 403 || res.body?.error?.code !== 'forbidden') failures.push(`${r.method} ${r.url}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('every route except public ones answers 401 without a session, and changes nothing', async () => {
    const before = await snapshot(h, acme.id, { skip: ['presence'] });
    const anonymous = h.client();
    const failures: string[] = [];
    for (const r of h.routes.filter((x) => x.access !== 'public')) {
      const res = await anonymous.request(r.method, fillPath(r.url, sampleParams), bodyFor(r));
      if (res.status !== 401 || res.body?.error?.code !== 'unauthenticated')
        failures.push(`${r.method} ${r.url}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(failures).toEqual([]);
    // A made-up or expired credential is no better.
    const forged = h.client();
    forged.cookie = 'steward_session=not-a-session';
    forged.bearer = null;
    const me = await forged.get('/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthenticated');
    const badBearer = h.client();
    badBearer.bearer = 'stw_not-a-token';
    const me2 = await badBearer.get('/api/v1/me');
    expect(me2.status).toBe(401);
    expect(me2.body.error.code).toBe('unauthenticated');
    expect(await snapshot(h, acme.id, { skip: ['presence'] })).toEqual(before);
  });

  it('operator routes refuse a company admin (403) and let the operator in', async () => {
    const operatorRoutes = h.routes.filter((r) => r.access === 'superadmin');
    expect(operatorRoutes.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const r of operatorRoutes) {
      const res = await acme.admin.client.request(r.method, fillPath(r.url, { id: acme.id }), bodyFor(r));
      if (res.status !== 403 || res.body?.error?.code !== 'forbidden') failures.push(`${r.method} ${r.url}: ${res.status}`);
    }
    expect(failures).toEqual([]);
    const operator = await createSuperAdmin(h);
    const list = await operator.client.get('/api/v1/admin/companies');
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).toContain(String(acme.id));
  });

  it("company-only 'authenticated' routes refuse the operator cleanly instead of failing", async () => {
    const operator = await createSuperAdmin(h);
    // The operator has a session but no company: company routes must answer 403, never 500.
    for (const url of ['/api/v1/departments', '/api/v1/api-tokens']) {
      const res = await operator.client.get(url);
      expect(res.status, url).toBe(403);
      expect(res.body.error.code, url).toBe('forbidden');
    }
    const me = await operator.client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ company: null, role: null, permissions: [], superAdmin: true });
  });

  it('technicians issue stock (parts on tickets, supply requests) but do not receive, transfer or adjust it', async () => {
    const issuing = h.routes.filter((r) => r.access === 'inventory.issue').map((r) => `${r.method} ${r.url}`);
    expect(issuing.sort()).toEqual(['POST /api/v1/tickets/:number/fulfil', 'POST /api/v1/tickets/:number/parts']);
    expect(h.routes.find((r) => r.method === 'POST' && r.url === '/api/v1/parts/:id/movements')?.access).toBe('inventory.manage');
    const technician = DEFAULT_ROLES.find((r) => r.name === 'Technician')!.permissions;
    expect(technician).toContain('inventory.issue');
    expect(technician).not.toContain('inventory.manage');
    for (const r of DEFAULT_ROLES) if (r.permissions.includes('inventory.manage')) expect(r.permissions, r.name).toContain('inventory.issue');
  });

  it("migration 0006 gives existing companies' Technician roles, and roles with inventory.manage, inventory.issue", async () => {
    const co = await createCompany(h);
    const storekeeper = await createRole(h, co, ['inventory.view', 'inventory.manage']);
    const viewer = await createRole(h, co, ['inventory.view']);
    // As before the migration: nobody holds inventory.issue.
    await h.deps.database.query(`update roles set permissions = array_remove(permissions, 'inventory.issue') where tenant_id = $1`, [co.id]);
    await h.deps.database.exec(readFileSync(new URL('../../src/server/db/migrations/0006_inventory_issue.sql', import.meta.url), 'utf8'));
    const { rows } = await h.deps.database.query<{ id: number; name: string; permissions: string[] }>('select id, name, permissions from roles where tenant_id = $1', [co.id]);
    const holders = rows.filter((r) => r.permissions.includes('inventory.issue')).map((r) => r.name);
    expect(holders.sort()).toEqual(['Admin', 'Manager', 'Technician', rows.find((r) => Number(r.id) === storekeeper)!.name].sort());
    expect(rows.find((r) => Number(r.id) === viewer)!.permissions).toEqual(['inventory.view']);
    expect(rows.every((r) => r.permissions.filter((p) => p === 'inventory.issue').length <= 1)).toBe(true);
  });

  it('the built-in Manager manages devices, meters and thresholds (meters.manage); migration 0028 gives it to existing companies', async () => {
    expect(DEFAULT_ROLES.find((r) => r.name === 'Manager')!.permissions).toContain('meters.manage');
    expect(DEFAULT_ROLES.find((r) => r.name === 'Technician')!.permissions).not.toContain('meters.manage');
    const co = await createCompany(h);
    await h.deps.database.query(`update roles set permissions = array_remove(permissions, 'meters.manage') where tenant_id = $1`, [co.id]);
    const sql = readFileSync(new URL('../../src/server/db/migrations/0029_meter_alerts.sql', import.meta.url), 'utf8');
    const grant = sql.split('--> statement-breakpoint').find((s) => s.includes("'meters.manage'"))!;
    await h.deps.database.exec(grant);
    const { rows } = await h.deps.database.query<{ name: string; permissions: string[] }>('select name, permissions from roles where tenant_id = $1', [co.id]);
    expect(rows.filter((r) => r.permissions.includes('meters.manage')).map((r) => r.name)).toEqual(['Manager']);
    const manager = await createUser(h, co, { role: 'Manager' });
    const made = await manager.client.post('/api/v1/devices', { name: 'Manager device' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  });

  it('refuses to boot with a route that declares no access (bare app with registerAuth)', async () => {
    const app = Fastify();
    registerAuth(app, h.deps.database);
    app.get('/undeclared', async () => 'oops');
    app.get('/declared', { config: { access: 'public' } }, async () => 'fine');
    await expect(app.ready()).rejects.toThrow(/without a declared permission: GET \/undeclared/);
    await app.close().catch(() => {});
  });

  it('refuses to boot with a module route that declares no access (buildApp)', async () => {
    const rogue: ModulePlugin = async (app) => {
      app.post('/api/v1/rogue', async () => ({ ok: true }));
    };
    MODULES.push(rogue);
    let app: Awaited<ReturnType<typeof buildApp>> | null = null;
    try {
      app = await buildApp(h.deps, { webDir: null });
      await expect(app.ready()).rejects.toThrow(/POST \/api\/v1\/rogue/);
    } finally {
      MODULES.splice(MODULES.indexOf(rogue), 1);
      await app?.close().catch(() => {});
    }
  });
});
