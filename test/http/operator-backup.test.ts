// The operator downloads a company's archive, also while the company is suspended (read-only, no
// logins: its own admins cannot), and nobody else can use the operator's route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createSuperAdmin, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('operator backup of a company', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let operator: TestUser;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    operator = await createSuperAdmin(h);
  });
  afterAll(() => h.close());

  it('exports a suspended company; the archive is gzip with the company in its name, and the audit log says so', async () => {
    expect((await operator.client.patch(`/api/v1/admin/companies/${acme.id}`, { suspended: true })).status).toBe(200);
    const res = await operator.client.request('POST', `/api/v1/admin/companies/${acme.id}/backup`, {});
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/gzip');
    expect(String(res.headers['content-disposition'])).toContain(`steward-${acme.slug}-`);
    const gz = res.raw.rawPayload;
    expect(gz[0]).toBe(0x1f);
    expect(gz[1]).toBe(0x8b);
    const { rows } = await h.deps.database.query<{ n: number }>(
      "select count(*)::int as n from audit_log where tenant_id = $1 and action = 'company.backed_up' and actor_super_admin_id is not null",
      [acme.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('is for operators only, and answers 404 for an unknown company', async () => {
    expect((await other.admin.client.request('POST', `/api/v1/admin/companies/${other.id}/backup`, {})).status).toBe(403);
    expect((await h.client().request('POST', `/api/v1/admin/companies/${acme.id}/backup`, {})).status).toBe(401);
    expect((await operator.client.request('POST', '/api/v1/admin/companies/999999/backup', {})).status).toBe(404);
  });
});
