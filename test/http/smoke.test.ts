import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('platform smoke', () => {
  let h: Harness;
  let acme: TestCompany;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it('answers health and me', async () => {
    const c = h.client();
    expect((await c.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await c.get('/readyz')).status).toBe(200);
    const me = await acme.admin.client.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.role.name).toBe('Admin');
    expect(me.body.company.id).toBe(String(acme.id));
  });
});
