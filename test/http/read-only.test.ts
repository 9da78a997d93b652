// Read-only mode and the license. A suspended company: logins refused, sessions ended, its API
// tokens keep reading but every change is 403 read_only; the calendar feed keeps serving. The
// license (Ed25519, a test key pair passed through the config): none means no cap; a valid one caps
// active users instance-wide (422 license_seat_limit); an invalid or expired one turns the instance
// read-only (403 read_only with the reason) except sign-in/out and the operator's license upload;
// `steward license verify` prints the payload and exits 0/1.
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { licenseCommand } from '../../src/server/cli/license.js';
import { type LicensePayload, loadLicense, signedBytes, verifyLicense } from '../../src/server/platform/license.js';
import { createCompany, createSuperAdmin, createUser, PASSWORD, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

const keys = generateKeyPairSync('ed25519');
const PUBLIC = keys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const day = 24 * 3600_000;

function licenseText(p: Partial<LicensePayload> = {}, key: KeyObject = keys.privateKey): string {
  const payload: LicensePayload = {
    licensee: 'Acme Facilities Ltd',
    seats: 1000,
    issuedAt: new Date(Date.now() - day).toISOString(),
    expiresAt: new Date(Date.now() + 365 * day).toISOString(),
    ...p,
  };
  return JSON.stringify({ payload, signature: sign(null, signedBytes(payload), key).toString('base64') });
}

describe('license file', () => {
  it('verifies a signed license, and refuses a tampered, foreign, malformed or expired one', () => {
    expect(verifyLicense(licenseText(), PUBLIC)).toMatchObject({
      state: 'valid',
      payload: { licensee: 'Acme Facilities Ltd', seats: 1000 },
    });
    const tampered = JSON.parse(licenseText());
    tampered.payload.seats = 100_000;
    expect(verifyLicense(JSON.stringify(tampered), PUBLIC)).toMatchObject({
      state: 'invalid',
      reason: expect.stringContaining('signature'),
    });
    const foreign = generateKeyPairSync('ed25519').privateKey;
    expect(verifyLicense(licenseText({}, foreign), PUBLIC).state).toBe('invalid');
    // The built-in key did not sign the test license.
    expect(verifyLicense(licenseText()).state).toBe('invalid');
    expect(verifyLicense('not json', PUBLIC).state).toBe('invalid');
    expect(verifyLicense(JSON.stringify({ payload: { licensee: 'x' } }), PUBLIC).state).toBe('invalid');
    expect(verifyLicense(licenseText({ expiresAt: new Date(Date.now() - day).toISOString() }), PUBLIC)).toMatchObject({ state: 'expired' });
    expect(loadLicense('/nonexistent/license.json', PUBLIC).state).toBe('none');
  });

  it('steward license verify prints the payload and exits 0 for a valid file, 1 otherwise', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'steward-lic-'));
    const good = path.join(dir, 'good.json');
    const bad = path.join(dir, 'bad.json');
    await writeFile(good, licenseText());
    await writeFile(bad, licenseText({ expiresAt: new Date(Date.now() - day).toISOString() }));
    const lines: string[] = [];
    expect(licenseCommand(['verify', good], (l) => lines.push(l), PUBLIC)).toBe(0);
    expect(lines.join('\n')).toMatch(/licensee:\s+Acme Facilities Ltd[\s\S]*seats:\s+1000[\s\S]*state:\s+valid/);
    lines.length = 0;
    expect(licenseCommand(['verify', bad], (l) => lines.push(l), PUBLIC)).toBe(1);
    expect(lines.join('\n')).toMatch(/state:\s+expired/);
    expect(licenseCommand(['verify', path.join(dir, 'missing.json')], () => {}, PUBLIC)).toBe(1);
    expect(licenseCommand([], () => {}, PUBLIC)).toBe(2);
  });
});

describe('read-only mode', () => {
  let h: Harness;
  let acme: TestCompany;
  let operator: TestUser;
  let licenseFile: string;

  beforeAll(async () => {
    licenseFile = path.join(await mkdtemp(path.join(tmpdir(), 'steward-lic-')), 'license.json');
    h = await harness({ licensePublicKey: PUBLIC, licenseFile });
    acme = await createCompany(h);
    operator = await createSuperAdmin(h);
  });
  afterAll(() => h.close());

  it('a suspended company: logins refused, API tokens read but do not write, the operator lifts it', async () => {
    const globex = await createCompany(h);
    const made = await globex.admin.client.post('/api/v1/api-tokens', { name: 'integration' });
    const bearer = h.client();
    bearer.bearer = made.body.token;
    expect((await bearer.post('/api/v1/tickets', { kind: 'incident', title: 'Before' })).status).toBe(201);
    expect((await operator.client.patch(`/api/v1/admin/companies/${globex.id}`, { suspended: true })).status).toBe(200);

    expect((await globex.admin.client.get('/api/v1/me')).status).toBe(401);
    expect((await h.client().login(globex.admin.email, PASSWORD)).body.error.code).toBe('company_suspended');
    expect((await bearer.get('/api/v1/tickets')).status).toBe(200);
    const state = await bearer.get('/api/v1/read-only');
    expect(state.body).toMatchObject({ readOnly: true, reason: 'company_suspended' });
    const write = await bearer.post('/api/v1/tickets', { kind: 'incident', title: 'During' });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({ code: 'read_only', details: { reason: 'company_suspended' } });
    expect((await bearer.request('DELETE', '/api/v1/api-tokens/1')).body.error.code).toBe('read_only');
    // Other companies are untouched.
    expect((await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Elsewhere' })).status).toBe(201);
    expect((await acme.admin.client.get('/api/v1/read-only')).body.readOnly).toBe(false);

    expect((await operator.client.patch(`/api/v1/admin/companies/${globex.id}`, { suspended: false })).status).toBe(200);
    expect((await bearer.post('/api/v1/tickets', { kind: 'incident', title: 'After' })).status).toBe(201);
  });

  it('no license: no cap, not read-only; the operator sees the state', async () => {
    const info = await operator.client.get('/api/v1/admin/license');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ state: 'none', licensee: null, seats: null, readOnly: false });
    expect((await acme.admin.client.get('/api/v1/admin/license')).status).toBe(403);
  });

  it('an invalid upload changes nothing; a valid one is stored and caps the seats instance-wide', async () => {
    const forged = JSON.parse(licenseText({}, generateKeyPairSync('ed25519').privateKey));
    const refused = await operator.client.request('PUT', '/api/v1/admin/license', forged);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_license');
    expect((await operator.client.get('/api/v1/admin/license')).body.state).toBe('none');

    const used = (await operator.client.get('/api/v1/admin/license')).body.seatsUsed as number;
    const res = await operator.client.request('PUT', '/api/v1/admin/license', JSON.parse(licenseText({ seats: used + 1 })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ state: 'valid', licensee: 'Acme Facilities Ltd', seats: used + 1, seatsUsed: used });
    expect(loadLicense(licenseFile, PUBLIC).state).toBe('valid');

    const role = (await acme.admin.client.get('/api/v1/roles')).body.items.find((r: { name: string }) => r.name === 'Requester').id;
    const first = await acme.admin.client.post('/api/v1/users', {
      name: 'Fits',
      email: `fits-${Date.now()}@acme.test`,
      roleId: role,
      password: 'long-enough-password',
    });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await acme.admin.client.post('/api/v1/users', {
      name: 'Over',
      email: `over-${Date.now()}@acme.test`,
      roleId: role,
      password: 'long-enough-password',
    });
    expect(second.status).toBe(422);
    expect(second.body.error).toMatchObject({ code: 'license_seat_limit', details: { seats: used + 1 } });
    // Deactivating frees a seat; reactivating takes it again.
    expect((await acme.admin.client.patch(`/api/v1/users/${first.body.id}`, { active: false })).status).toBe(200);
    expect(
      (
        await acme.admin.client.post('/api/v1/users', {
          name: 'Now fits',
          email: `now-${Date.now()}@acme.test`,
          roleId: role,
          password: 'long-enough-password',
        })
      ).status,
    ).toBe(201);
    expect((await acme.admin.client.patch(`/api/v1/users/${first.body.id}`, { active: true })).body.error.code).toBe('license_seat_limit');
  });

  it('counts seats atomically: users created at once in two companies never exceed the license', async () => {
    const globex = await createCompany(h);
    const used = (await operator.client.get('/api/v1/admin/license')).body.seatsUsed as number;
    expect((await operator.client.request('PUT', '/api/v1/admin/license', JSON.parse(licenseText({ seats: used + 2 })))).status).toBe(200);
    const roleOf = async (c: TestCompany) => (await c.admin.client.get('/api/v1/roles')).body.items.find((r: { name: string }) => r.name === 'Requester').id;
    const roles = [await roleOf(acme), await roleOf(globex)];
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        [acme, globex][i % 2]?.admin.client.post('/api/v1/users', {
          name: `Race ${i}`,
          email: `race-${i}-${Date.now()}@race.test`,
          roleId: roles[i % 2],
          password: 'long-enough-password',
        }),
      ),
    );
    const statuses = results.map((r) => r?.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(2);
    expect(results.filter((r) => r?.status === 422).every((r) => r?.body.error.code === 'license_seat_limit')).toBe(true);
    expect(statuses.filter((s) => s !== 201 && s !== 422)).toEqual([]);
    expect((await operator.client.get('/api/v1/admin/license')).body.seatsUsed).toBe(used + 2);
  });

  it('an expired license: reads go on, changes are 403 read_only, sign-in/out and the license upload stay open', async () => {
    const expired = licenseText({ expiresAt: new Date(Date.now() - day).toISOString() });
    await writeFile(licenseFile, expired);
    h.deps.license.status = loadLicense(licenseFile, PUBLIC);
    const user: TestUser = await createUser(h, acme, { role: 'Manager' });

    expect((await user.client.get('/api/v1/tickets')).status).toBe(200);
    const banner = await user.client.get('/api/v1/read-only');
    expect(banner.body).toMatchObject({ readOnly: true, reason: 'license_expired', message: expect.stringContaining('expired') });
    const write = await user.client.post('/api/v1/tickets', { kind: 'incident', title: 'Refused' });
    expect(write.status).toBe(403);
    expect(write.body.error).toMatchObject({ code: 'read_only', details: { reason: 'license_expired' } });
    expect(
      (
        await operator.client.post('/api/v1/admin/companies', {
          name: 'New',
          slug: `new-${Date.now()}`,
          contactEmail: 'a@new.test',
          seats: 5,
        })
      ).status,
    ).toBe(403);
    // Signing in and out still work.
    const again = h.client();
    expect((await again.login(user.email, PASSWORD)).status).toBe(200);
    expect((await again.post('/api/v1/auth/logout', {})).status).toBeLessThan(300);
    expect((await operator.client.get('/api/v1/admin/license')).body).toMatchObject({ state: 'expired', readOnly: true });

    // A valid upload ends read-only mode at once.
    expect((await operator.client.request('PUT', '/api/v1/admin/license', JSON.parse(licenseText()))).status).toBe(200);
    expect((await user.client.post('/api/v1/tickets', { kind: 'incident', title: 'Allowed again' })).status).toBe(201);
  });

  it('an invalid license file at start: read-only with the reason', async () => {
    await writeFile(licenseFile, '{"payload": {"licensee": "x"}, "signature": "AAAA"}');
    h.deps.license.status = loadLicense(licenseFile, PUBLIC);
    const res = await acme.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Refused' });
    expect(res.body.error).toMatchObject({ code: 'read_only', details: { reason: 'license_invalid' } });
    expect((await operator.client.request('PUT', '/api/v1/admin/license', JSON.parse(licenseText()))).status).toBe(200);
  });
});
