// A login locked after repeated failures: the user list shows until when, an admin with users.manage
// can lift it (not in another company, not without the permission), and both the moment it started
// and the unlock are in the company's audit log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCKOUT } from '../../src/server/modules/auth/auth.service.js';
import { createCompany, createUser, PASSWORD, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { linkToken, outbox } from '../helpers.js';

describe('user lockout', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
  });
  afterAll(() => h.close());

  const listed = async (id: number) => {
    const res = await acme.admin.client.get('/api/v1/users?limit=100');
    expect(res.status).toBe(200);
    return res.body.items.find((u: { id: string }) => u.id === String(id));
  };
  const audit = async (action: string) => (await acme.admin.client.get(`/api/v1/audit?action=${action}`)).body.items;

  it('shows the lock on the list and the user, audits it once, and an admin unlocks it', async () => {
    const victim = await createUser(h, acme, { login: false });
    expect((await listed(victim.id)).lockedUntil).toBeNull();

    const client = h.client();
    for (let i = 0; i < LOCKOUT.perLogin + 1; i++) await client.login(victim.email, 'not the password');
    expect((await client.login(victim.email, PASSWORD)).status).toBe(429);

    const item = await listed(victim.id);
    const until = Date.parse(item.lockedUntil);
    expect(until).toBeGreaterThan(Date.now() + (LOCKOUT.lockMinutes - 1) * 60_000);
    expect(until).toBeLessThan(Date.now() + (LOCKOUT.lockMinutes + 1) * 60_000);
    expect((await acme.admin.client.get(`/api/v1/users/${victim.id}`)).body.user.lockedUntil).toBe(item.lockedUntil);

    const locked = (await audit('auth.locked_out')).filter((e: { targetId: string }) => e.targetId === String(victim.id));
    expect(locked).toHaveLength(1);
    expect(locked[0]).toMatchObject({ targetType: 'user', details: { login: victim.email.toLowerCase(), lockedUntil: item.lockedUntil } });

    const unlocked = await acme.admin.client.post(`/api/v1/users/${victim.id}/unlock`, {});
    expect(unlocked.status).toBe(204);
    expect((await listed(victim.id)).lockedUntil).toBeNull();
    expect((await client.login(victim.email, PASSWORD)).status).toBe(200);
    const entries = (await audit('user.unlocked')).filter((e: { targetId: string }) => e.targetId === String(victim.id));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { id: String(acme.admin.id) }, details: { lockedUntil: item.lockedUntil } });

    // Unlocking again is harmless and not audited again.
    expect((await acme.admin.client.post(`/api/v1/users/${victim.id}/unlock`, {})).status).toBe(204);
    expect((await audit('user.unlocked')).filter((e: { targetId: string }) => e.targetId === String(victim.id))).toHaveLength(1);
  });

  it('a lock by username shows too', async () => {
    const victim = await createUser(h, acme, { login: false });
    const username = victim.email.split('@')[0];
    const client = h.client();
    for (let i = 0; i < LOCKOUT.perLogin; i++) await client.login(username.toUpperCase(), 'wrong');
    expect((await listed(victim.id)).lockedUntil).not.toBeNull();
    expect((await acme.admin.client.post(`/api/v1/users/${victim.id}/unlock`, {})).status).toBe(204);
    expect((await listed(victim.id)).lockedUntil).toBeNull();
  });

  it('a completed password reset ends the lock of both the e-mail and the username', async () => {
    const victim = await createUser(h, acme, { login: false });
    const client = h.client();
    for (let i = 0; i < LOCKOUT.perLogin; i++) await client.login(victim.email, 'wrong');
    for (let i = 0; i < LOCKOUT.perLogin; i++) await client.login(victim.email.split('@')[0], 'wrong');
    expect((await listed(victim.id)).lockedUntil).not.toBeNull();
    expect((await h.client().post('/api/v1/auth/password-reset', { email: victim.email })).status).toBe(204);
    const [mail] = await outbox(h, { to: victim.email });
    const token = linkToken(mail.text, '/reset-password');
    expect((await h.client().post('/api/v1/auth/password-reset/complete', { token, password: 'a-brand-new-password' })).status).toBe(204);
    expect((await listed(victim.id)).lockedUntil).toBeNull();
    expect((await client.login(victim.email.split('@')[0], 'a-brand-new-password')).status).toBe(200);
  });

  it('answers 404 for a user of another company and 403 without users.manage, and unlocks nothing', async () => {
    const victim = await createUser(h, acme, { login: false });
    const client = h.client();
    for (let i = 0; i < LOCKOUT.perLogin; i++) await client.login(victim.email, 'wrong');
    const foreign = await other.admin.client.post(`/api/v1/users/${victim.id}/unlock`, {});
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('not_found');
    const requester = await createUser(h, acme);
    const refused = await requester.client.post(`/api/v1/users/${victim.id}/unlock`, {});
    expect(refused.status).toBe(403);
    expect((await listed(victim.id)).lockedUntil).not.toBeNull();
  });
});
