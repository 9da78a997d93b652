// GET /me tells the web client which screens the caller may open (`can`), so the client never
// re-implements the server's rules; the answers validate against the shared contracts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { me } from '../../src/shared/contracts/me.js';
import { createCompany, createRole, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('contracts', () => {
  let h: Harness;
  let acme: TestCompany;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it("GET /me carries the screens the caller's permissions open", async () => {
    const requester = await createUser(h, acme);
    const res = await requester.client.get('/api/v1/me');
    expect(res.status).toBe(200);
    expect(me.parse(res.body).can).toEqual({ viewTickets: true, viewProjects: false });

    const assetsOnly = await createUser(h, acme, { roleId: await createRole(h, acme, ['assets.view']) });
    expect((await assetsOnly.client.get('/api/v1/me')).body.can).toEqual({ viewTickets: false, viewProjects: false });

    const planner = await createUser(h, acme, { roleId: await createRole(h, acme, ['projects.manage']) });
    expect((await planner.client.get('/api/v1/me')).body.can).toEqual({ viewTickets: false, viewProjects: true });

    const admin = await createUser(h, acme, { role: 'Admin' });
    expect((await admin.client.get('/api/v1/me')).body.can).toEqual({ viewTickets: true, viewProjects: true });
  });
});
