// Bad input never answers 5xx: every operation of the OpenAPI document gets malformed requests
// (test/malformed.ts) as a company admin and without a session, and every error comes in the API's
// shape. Then the defects this sweep found, one by one.
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/platform/logger.js';
import { createCompany, createUser, PASSWORD, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, sleep } from '../helpers.js';
import { type Operation, operations, type Probe, probes } from '../malformed.js';
import { multipart } from '../multipart.js';

const ANSWER_WITHIN_MS = 5_000;
const SWEEP_TIMEOUT_MS = 150_000;

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

// One Steward for the file; each describe works in its own company.
let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());

describe('malformed input on every route of the OpenAPI document', () => {
  let acme: TestCompany;
  let ops: Operation[];

  beforeAll(async () => {
    acme = await createCompany(h);
    const doc = await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    ops = operations(doc.json());
  });

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
        const answer = h.app.inject({ method: op.method as never, url: probe.url, payload: probe.payload, headers, remoteAddress: asAdmin ? '10.0.0.1' : '10.0.0.2' });
        // A request that never answers (a stream waiting for an end that never comes) is listed too.
        const res = await Promise.race([answer, sleep(ANSWER_WITHIN_MS).then(() => null)]);
        sent++;
        if (!res) {
          failures.push(`${op.method} ${op.path} [${describeProbe(probe)}]: no answer within ${ANSWER_WITHIN_MS} ms`);
          continue;
        }
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
  }, SWEEP_TIMEOUT_MS);

  it('without a session: no 5xx, every error in the error shape', async () => {
    const { failures } = await sweep(false);
    expect(failures).toEqual([]);
  }, SWEEP_TIMEOUT_MS);
});

describe('the defects the sweep found', () => {
  let acme: TestCompany;

  beforeAll(async () => {
    acme = await createCompany(h);
  });

  const NUL_FIELD = 'must not contain the NUL character';

  it('a NUL in the login form, without a session, is a 400 naming the field', async () => {
    const anonymous = h.client();
    const res = await anonymous.post('/api/v1/auth/login', { login: `admin\u0000@x.test`, password: 'whatever-it-is' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'validation', message: expect.any(String), details: { fields: { login: NUL_FIELD }, in: 'body' } } });
  });

  it('a NUL in a query parameter, a path parameter or a nested body field is a 400 naming it', async () => {
    const admin = acme.admin.client;
    const q = await admin.get('/api/v1/tickets?q=pump%00seal');
    expect(q.status).toBe(400);
    expect(q.body.error.details).toEqual({ fields: { q: NUL_FIELD }, in: 'querystring' });
    const param = await admin.get('/api/v1/auth/invitations/abcdefghij%00klmnop');
    expect(param.status).toBe(400);
    expect(param.body.error.details).toEqual({ fields: { token: NUL_FIELD }, in: 'params' });
    const nested = await admin.post('/api/v1/picklists/categories', { name: 'Laptop', customFields: [{ key: 'ram', label: 'R\u0000AM', type: 'text' }] });
    expect(nested.status).toBe(400);
    expect(nested.body.error.details).toEqual({ fields: { 'customFields.0.label': NUL_FIELD }, in: 'body' });
  });

  it('a failed query is logged with its SQL but never its parameters', async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }));
    const failed = await h.deps.database.system(({ tx }) => tx.execute(sql`select ${'hunter2-secret-password'}::text as p, 1 / 0 as n`)).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(Error);
    log.error({ err: failed }, 'unhandled error');
    log.error({ err: new Error('while importing', { cause: failed }) }, 'wrapped');
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).toContain('select $1::text as p, 1 / 0 as n');
      expect(line).not.toContain('hunter2');
    }
  });

  it("PATCH /teams/:id changes the members alone; an empty patch answers the team unchanged", async () => {
    const admin = acme.admin.client;
    const tech = await createUser(h, acme, { role: 'Technician', login: false });
    const team = await admin.post('/api/v1/teams', { name: 'Facilities', memberIds: [] });
    expect(team.status).toBe(201);
    const members = await admin.patch(`/api/v1/teams/${team.body.id}`, { memberIds: [String(tech.id)] });
    expect(members.status).toBe(200);
    expect(members.body).toMatchObject({ id: team.body.id, name: 'Facilities', memberIds: [String(tech.id)] });
    const audits = () => count(h, "select count(*) from audit_log where tenant_id = $1 and action = 'team.updated'", [acme.id]);
    const before = await audits();
    const empty = await admin.patch(`/api/v1/teams/${team.body.id}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ id: team.body.id, name: 'Facilities', memberIds: [String(tech.id)] });
    expect(await audits()).toBe(before);
    expect((await admin.patch('/api/v1/teams/999999999', {})).status).toBe(404);
  });

  it('PATCH /picklists/:list/:id without a name changes the rest; an empty patch answers the item unchanged', async () => {
    const admin = acme.admin.client;
    const item = await admin.post('/api/v1/picklists/categories', { name: 'Label printer' });
    expect(item.status).toBe(201);
    const fields = [{ key: 'toner', label: 'Toner', type: 'text' }];
    const changed = await admin.patch(`/api/v1/picklists/categories/${item.body.id}`, { customFields: fields });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: item.body.id, name: 'Label printer', customFields: [expect.objectContaining({ key: 'toner' })] });
    const empty = await admin.patch(`/api/v1/picklists/categories/${item.body.id}`, {});
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ id: item.body.id, name: 'Label printer', customFields: [expect.objectContaining({ key: 'toner' })] });
    expect((await admin.patch('/api/v1/picklists/categories/999999999', {})).status).toBe(404);
  });

  it('the three upload routes answer 400 in the error shape for multipart without a boundary or cut off', async () => {
    const admin = acme.admin.client;
    const ticket = await admin.post('/api/v1/tickets', { kind: 'work_order', title: 'Replace the pump seal' });
    const category = await admin.post('/api/v1/picklists/categories', { name: 'Pump' });
    const asset = await admin.post('/api/v1/assets', { name: 'Pump 1', categoryId: category.body.id });
    expect([ticket.status, asset.status]).toEqual([201, 201]);
    const routes = [`/api/v1/tickets/${ticket.body.ticket.number}/attachments`, `/api/v1/assets/${asset.body.id}/files`, '/api/v1/assets/import?dryRun=false'];
    const cutOff = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nName\r\nPump';
    for (const url of routes) {
      const noBoundary = await admin.request('POST', url, '--x\r\n\r\nhello\r\n--x--\r\n', { 'content-type': 'multipart/form-data' });
      expect(noBoundary.status, url).toBe(400);
      expect(noBoundary.body, url).toEqual(ERROR_SHAPE);
      const cut = await admin.request('POST', url, cutOff, { 'content-type': 'multipart/form-data; boundary=b' });
      expect(cut.status, url).toBe(400);
      expect(cut.body.error.code, url).toBe('bad_request');
    }
    // Nothing was stored by the broken uploads, and a good upload still works.
    expect(await count(h, 'select count(*) from attachments where tenant_id = $1', [acme.id])).toBe(0);
    const good = multipart([{ filename: 'note.txt', content: 'hello', contentType: 'text/plain' }]);
    expect((await admin.request('POST', routes[0], good.body, good.headers)).status).toBe(201);
  });

  it('the part and vendor file uploads answer 400 in the error shape for multipart without a boundary or cut off', async () => {
    const admin = acme.admin.client;
    const part = await admin.post('/api/v1/parts', { sku: 'SEAL-1', name: 'Pump seal' });
    const vendor = await admin.post('/api/v1/vendors', { name: 'Seal Co' });
    expect([part.status, vendor.status]).toEqual([201, 201]);
    const cutOff = '--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nPNG';
    for (const url of [`/api/v1/parts/${part.body.part.id}/files`, `/api/v1/vendors/${vendor.body.vendor.id}/files`]) {
      const noBoundary = await admin.request('POST', url, '--x\r\n\r\nhello\r\n--x--\r\n', { 'content-type': 'multipart/form-data' });
      expect(noBoundary.status, url).toBe(400);
      expect(noBoundary.body, url).toEqual(ERROR_SHAPE);
      const cut = await admin.request('POST', url, cutOff, { 'content-type': 'multipart/form-data; boundary=b' });
      expect(cut.status, url).toBe(400);
      expect(cut.body.error.code, url).toBe('bad_request');
    }
    expect(await count(h, 'select count(*) from inventory_files where tenant_id = $1', [acme.id])).toBe(0);
  });

  it('a CSV the parser rejects, or one with a NUL, is reported per row, alike in the dry run and the import', async () => {
    const admin = acme.admin.client;
    await admin.post('/api/v1/picklists/categories', { name: 'Laptop' });
    const send = (csv: string, dryRun: boolean) => {
      const body = multipart([{ filename: 'assets.csv', content: csv, contentType: 'text/csv' }]);
      return admin.request('POST', `/api/v1/assets/import?dryRun=${dryRun}`, body.body, body.headers);
    };
    const badQuote = 'Name,Category\nGood one,Laptop\nab"c,Laptop\nGood two,Laptop\n';
    const withNul = 'Name,Category\nGood three,Laptop\nBad\u0000name,Laptop\nGood four,Laptop\n';
    for (const [csv, message] of [
      [badQuote, /the row cannot be read: Invalid Opening Quote/],
      [withNul, /NUL/],
    ] as const) {
      const dry = await send(csv, true);
      const real = await send(csv, false);
      expect([dry.status, real.status]).toEqual([200, 200]);
      expect(dry.body.errors).toEqual([{ row: 3, message: expect.stringMatching(message) }]);
      expect(real.body.errors).toEqual(dry.body.errors);
      expect([dry.body.created, real.body.created]).toEqual([2, 2]);
    }
    for (const [csv, reason] of [
      ['Na\u0000me\nx\n', /NUL/],
      ['"Name\nx\n', /header row cannot be read: Quote Not Closed/],
      ['Na"me,Category\nx,Laptop\n', /header row cannot be read: Invalid Opening Quote/],
    ] as const) {
      for (const dryRun of [true, false]) {
        const res = await send(csv, dryRun);
        expect(res.status, csv).toBe(400);
        expect(res.body.error.details.fields, csv).toEqual({ file: expect.stringMatching(reason) });
      }
    }
    expect(await count(h, "select count(*) from assets where tenant_id = $1 and name like 'Good%'", [acme.id])).toBe(4);
  });

  it('errors raised before the route answer in the error shape', async () => {
    const anonymous = h.client();
    const cases: Array<[string, number, string]> = [
      ['/api/v1/tickets/%E0%A4%A', 400, 'bad_request'],
      [`/api/v1/attachments/${'9'.repeat(500)}`, 414, 'uri_too_long'],
      ['/api/v1/no-such-route', 404, 'not_found'],
    ];
    for (const [url, status, code] of cases) {
      const res = await anonymous.get(url);
      expect(res.status, url).toBe(status);
      expect(res.body, url).toEqual({ error: { code, message: expect.any(String), details: {} } });
    }
    const admin = acme.admin.client;
    const longQuery = await admin.get(`/api/v1/tickets?q=${'y'.repeat(16 * 1024)}`);
    expect(longQuery.status).toBe(400);
    expect(longQuery.body).toEqual(ERROR_SHAPE);
    const malformed = await admin.request('POST', '/api/v1/teams', '{"name":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toEqual(ERROR_SHAPE);
    const wrongType = await admin.request('POST', '/api/v1/teams', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.code).toBe('unsupported_media_type');
  });

  it("over a real socket, a request Node's parser refuses (URL or headers over 16 KB) answers in the error shape", async () => {
    // The harness closes the app, and with it the listening server.
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const huge = await fetch(`${address}/api/v1/tickets?q=${'y'.repeat(20 * 1024)}`);
    expect(huge.status).toBe(431);
    expect(await huge.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String), details: {} } });
    const badUrl = await fetch(`${address}/api/v1/tickets/%E0%A4%A`);
    expect(badUrl.status).toBe(400);
    expect((await badUrl.json()).error.code).toBe('bad_request');
  });
});
