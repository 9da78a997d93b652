// Bad input never answers 5xx: every operation of the OpenAPI document gets malformed requests
// (test/malformed.ts) as a company admin and without a session, and every error comes in the API's
// shape. Then the defects this sweep found, one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, PASSWORD, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { type Operation, operations, type Probe, probes } from '../malformed.js';

const ERROR_SHAPE = {
  error: { code: expect.any(String), message: expect.any(String), details: expect.any(Object) },
};

/** Why an answer is wrong (5xx, or an error not in the API's shape), or null when it is fine. */
function defect(status: number, contentType: string, body: string): string | null {
  if (status >= 500) return `${status} ${body.slice(0, 300)}`;
  if (status < 400) return null;
  if (!contentType.includes('application/json')) return `${status} not JSON (${contentType}): ${body.slice(0, 200)}`;
  try {
    const parsed = JSON.parse(body);
    const e = parsed?.error;
    if (typeof e?.code === 'string' && typeof e.message === 'string' && e.details && typeof e.details === 'object' && !Array.isArray(e.details)) return null;
  } catch {
    // falls through to the report
  }
  return `${status} not the error shape: ${body.slice(0, 200)}`;
}

describe('malformed input on every route of the OpenAPI document', () => {
  let h: Harness;
  let acme: TestCompany;
  let ops: Operation[];

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    const doc = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    ops = operations(doc.json());
  });
  afterAll(() => h.close());

  async function sweep(asAdmin: boolean): Promise<{ failures: string[]; sent: number }> {
    const admin = acme.admin.client;
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      for (const probe of probes(op)) {
        const headers: Record<string, string> = { ...probe.headers };
        if (asAdmin) {
          if (!admin.cookie) await admin.login(acme.admin.email, PASSWORD);
          headers.cookie = admin.cookie!;
          if (op.method !== 'GET') headers['x-csrf-token'] = admin.csrf!;
        }
        const res = await h.app.inject({ method: op.method as never, url: probe.url, payload: probe.payload, headers, remoteAddress: asAdmin ? '10.0.0.1' : '10.0.0.2' });
        sent++;
        // A probe may end the admin's session (logout, a session deleted by a valid-looking id).
        if (asAdmin && res.statusCode === 401) admin.cookie = null;
        const wrong = defect(res.statusCode, String(res.headers['content-type'] ?? ''), res.body);
        if (wrong) failures.push(`${op.method} ${op.path} [${describeProbe(probe)}]: ${wrong}`);
      }
    }
    return { failures, sent };
  }

  const describeProbe = (p: Probe) => `${p.label}${p.url.length < 200 ? ` ${p.url}` : ''}`;

  it('the document lists the routes to probe, upload routes included', () => {
    expect(ops.length).toBeGreaterThan(100);
    const paths = new Set(ops.map((o) => `${o.method} ${o.path}`));
    for (const upload of ['POST /api/v1/tickets/{number}/attachments', 'POST /api/v1/assets/{id}/files', 'POST /api/v1/assets/import']) expect(paths).toContain(upload);
  });

  it('as a company admin (with CSRF): no 5xx, every error in the error shape', async () => {
    const { failures, sent } = await sweep(true);
    expect(sent).toBeGreaterThan(2000);
    expect(failures).toEqual([]);
  });

  it('without a session: no 5xx, every error in the error shape', async () => {
    const { failures } = await sweep(false);
    expect(failures).toEqual([]);
  });
});

export { ERROR_SHAPE };
