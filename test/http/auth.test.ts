// Logging in and out, lockout, sessions, remember-me, TOTP, password reset, invitations, API tokens,
// suspended companies and the audit trail of it all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/server/platform/crypto.js';
import { totpAt } from '../../src/server/platform/totp.js';
import { createCompany, createSuperAdmin, createUser, PASSWORD, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, linkToken, outbox } from '../helpers.js';

const NEW_PASSWORD = 'a-brand-new-password';

describe('authentication', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  const sessionsOf = (userId: number) => count(h, 'select count(*) from sessions where user_id = $1 and tenant_id = $2', [userId, acme.id]);

  describe('login', () => {
    it('accepts the e-mail in any case and the username, and answers user and csrfToken', async () => {
      const u = await createUser(h, acme, { login: false });
      const byMail = h.client();
      const res = await byMail.login(u.email.toUpperCase(), PASSWORD);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: { id: String(u.id), name: expect.any(String), email: u.email, username: u.email.split('@')[0] },
        csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{20,}$/),
      });
      const cookie = String([res.headers['set-cookie']].flat()[0]);
      expect(cookie).toMatch(/^steward_session=[^;]+;/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Path=\//);
      expect((await byMail.get('/api/v1/me')).body.user.id).toBe(String(u.id));

      const byName = h.client();
      const res2 = await byName.login(`  ${u.email.split('@')[0].toUpperCase()} `, PASSWORD);
      expect(res2.status).toBe(200);
      expect(res2.body.user.id).toBe(String(u.id));
      expect(res2.body.csrfToken).not.toBe(res.body.csrfToken);
    });

    it('refuses a wrong password, an unknown login, an invited and a deactivated user alike (401 invalid_credentials), no cookie', async () => {
      const invited = await acme.admin.client.post('/api/v1/users', {
        name: 'Not Yet',
        email: `notyet@${acme.slug}.test`,
        roleId: String(acme.roleIds.get('Requester')),
      });
      expect(invited.status).toBe(201);
      const gone = await createUser(h, acme, { login: false });
      expect((await acme.admin.client.patch(`/api/v1/users/${gone.id}`, { active: false })).status).toBe(200);
      for (const [login, password] of [
        [acme.admin.email, 'wrong-password-1'],
        ['nobody@nowhere.test', PASSWORD],
        [`notyet@${acme.slug}.test`, PASSWORD],
        [gone.email, PASSWORD],
      ]) {
        const c = h.client();
        c.remoteAddress = '10.0.0.9';
        const res = await c.login(login, password);
        expect(res.status, login).toBe(401);
        expect(res.body.error.code, login).toBe('invalid_credentials');
        expect(res.headers['set-cookie'], login).toBeUndefined();
        expect(c.cookie).toBeNull();
      }
    });

    it('rejects a malformed body with 400 validation naming the field', async () => {
      const res = await h.client().post('/api/v1/auth/login', { login: acme.admin.email });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect(Object.keys(res.body.error.details.fields)).toContain('password');
    });

    it('locks a login after 5 failures: 429 rate_limited with retry-after, even for the right password', async () => {
      const u = await createUser(h, acme, { login: false });
      const c = h.client();
      c.remoteAddress = '10.1.1.1';
      for (let i = 0; i < 5; i++) {
        const res = await c.login(u.email, `wrong-password-${i}`);
        expect(res.status, `attempt ${i + 1}`).toBe(401);
      }
      for (const password of ['wrong-again', PASSWORD]) {
        const res = await c.login(u.email, password);
        expect(res.status).toBe(429);
        expect(res.body.error.code).toBe('rate_limited');
        const retry = Number(res.headers['retry-after']);
        expect(retry).toBeGreaterThan(60);
        expect(retry).toBeLessThanOrEqual(15 * 60);
        expect(res.body.error.details.retryAfterSeconds).toBe(retry);
        expect(c.cookie).toBeNull();
      }
      // Locked by login name, from any address.
      const elsewhere = h.client();
      elsewhere.remoteAddress = '10.1.1.2';
      expect((await elsewhere.login(u.email.toUpperCase(), PASSWORD)).status).toBe(429);
      expect(await sessionsOf(u.id)).toBe(0);
      // Someone else from the first address still gets in.
      const other = await createUser(h, acme, { login: false });
      const c2 = h.client();
      c2.remoteAddress = '10.1.1.1';
      expect((await c2.login(other.email, PASSWORD)).status).toBe(200);
    });

    it('logout ends the session on the server (the old cookie is refused afterwards)', async () => {
      const u = await createUser(h, acme);
      const cookie = u.client.cookie!;
      // Used first, so a cached session would show.
      expect((await u.client.get('/api/v1/me')).status).toBe(200);
      const out = await u.client.post('/api/v1/auth/logout');
      expect(out.status).toBe(204);
      expect(String([out.headers['set-cookie']].flat()[0])).toMatch(/^steward_session=;/);
      const replay = h.client();
      replay.cookie = cookie;
      const me = await replay.get('/api/v1/me');
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('unauthenticated');
      expect(await sessionsOf(u.id)).toBe(0);
    });

    it('remember-me sets a cookie with Expires (about 30 days); without it the cookie has none', async () => {
      const u = await createUser(h, acme, { login: false });
      const c = h.client();
      const res = await c.login(u.email, PASSWORD, { remember: true });
      const cookie = String([res.headers['set-cookie']].flat()[0]);
      const m = /Expires=([^;]+)/i.exec(cookie);
      expect(m).not.toBeNull();
      const days = (new Date(m![1]).getTime() - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThan(31);
      const plain = await h.client().login(u.email, PASSWORD);
      const cookie2 = String([plain.headers['set-cookie']].flat()[0]);
      expect(cookie2).not.toMatch(/Expires=/i);
      expect(cookie2).not.toMatch(/Max-Age=/i);
      const { rows } = await h.deps.database.query<{ remember: boolean; days: number }>(
        'select remember, extract(epoch from expires_at - now()) / 86400 as days from sessions where user_id = $1 and tenant_id = $2 order by id',
        [u.id, acme.id],
      );
      expect(rows.map((r) => r.remember)).toEqual([true, false]);
      expect(Number(rows[1].days)).toBeLessThan(1.01);
    });

    it('an expired session is refused', async () => {
      const u = await createUser(h, acme);
      await h.deps.database.query("update sessions set expires_at = now() - interval '1 minute' where user_id = $1 and tenant_id = $2", [
        u.id,
        acme.id,
      ]);
      const me = await u.client.get('/api/v1/me');
      expect(me.status).toBe(401);
    });
  });

  describe('sessions', () => {
    it('lists sessions marking the current one, and ends another by id', async () => {
      const u = await createUser(h, acme);
      const second = h.client();
      expect((await second.login(u.email, PASSWORD)).status).toBe(200);
      expect((await second.get('/api/v1/me')).status).toBe(200);
      const list = await u.client.get('/api/v1/me/sessions');
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(2);
      expect(list.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
      for (const s of list.body.items) {
        expect(s).toMatchObject({ id: expect.any(String), ip: '127.0.0.1', createdAt: expect.any(String), expiresAt: expect.any(String) });
      }
      const other = list.body.items.find((s: { current: boolean }) => !s.current);
      const del = await u.client.delete(`/api/v1/me/sessions/${other.id}`);
      expect(del.status).toBe(204);
      expect((await second.get('/api/v1/me')).status).toBe(401);
      expect((await u.client.get('/api/v1/me')).status).toBe(200);
      const again = await u.client.delete(`/api/v1/me/sessions/${other.id}`);
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('not_found');
    });

    it("cannot end a colleague's session", async () => {
      const u = await createUser(h, acme);
      const colleague = await createUser(h, acme);
      const theirs = (await colleague.client.get('/api/v1/me/sessions')).body.items[0].id;
      const res = await u.client.delete(`/api/v1/me/sessions/${theirs}`);
      expect(res.status).toBe(404);
      expect((await colleague.client.get('/api/v1/me')).status).toBe(200);
    });
  });

  describe('password change', () => {
    it('needs the current password, ends the other sessions and keeps this one', async () => {
      const u = await createUser(h, acme);
      const other = h.client();
      await other.login(u.email, PASSWORD);
      expect((await other.get('/api/v1/me')).status).toBe(200);
      const wrong = await u.client.post('/api/v1/me/password', { currentPassword: 'not-it-at-all', newPassword: NEW_PASSWORD });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.details.fields).toHaveProperty('currentPassword');
      expect((await other.get('/api/v1/me')).status).toBe(200);
      const ok = await u.client.post('/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
      expect(ok.status).toBe(204);
      expect((await u.client.get('/api/v1/me')).status).toBe(200);
      expect((await other.get('/api/v1/me')).status).toBe(401);
      expect((await h.client().login(u.email, PASSWORD)).status).toBe(401);
      expect((await h.client().login(u.email, NEW_PASSWORD)).status).toBe(200);
    });
  });

  describe('TOTP', () => {
    it('setup → enable → login needs the code; a wrong one is refused; the right one works', async () => {
      const u = await createUser(h, acme);
      const setup = await u.client.post('/api/v1/me/totp/setup');
      expect(setup.status).toBe(200);
      expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.body.otpauthUrl).toContain(`secret=${setup.body.secret}`);
      expect(setup.body.qrDataUrl).toMatch(/^data:image\/png;base64,/);
      const bad = await u.client.post('/api/v1/me/totp/enable', { code: wrongCode(setup.body.secret) });
      expect(bad.status).toBe(400);
      expect((await u.client.get('/api/v1/me')).body.user.totpEnabled).toBe(false);
      const on = await u.client.post('/api/v1/me/totp/enable', { code: totpAt(setup.body.secret, Date.now()) });
      expect(on.status).toBe(204);
      expect((await u.client.get('/api/v1/me')).body.user.totpEnabled).toBe(true);

      const c = h.client();
      const without = await c.login(u.email, PASSWORD);
      expect(without.status).toBe(401);
      expect(without.body.error.code).toBe('totp_required');
      expect(c.cookie).toBeNull();
      const wrong = await c.login(u.email, PASSWORD, { totp: wrongCode(setup.body.secret) });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('totp_invalid');
      expect(c.cookie).toBeNull();
      // The wrong password is still "invalid_credentials", never a hint that the password was right.
      const wrongPw = await c.login(u.email, 'wrong-password', { totp: totpAt(setup.body.secret, Date.now()) });
      expect(wrongPw.body.error.code).toBe('invalid_credentials');
      const ok = await c.login(u.email, PASSWORD, { totp: totpAt(setup.body.secret, Date.now()) });
      expect(ok.status).toBe(200);
      expect(c.cookie).not.toBeNull();
    });
  });

  describe('password reset', () => {
    it('answers 204 for an unknown address and sends nothing', async () => {
      const before = await count(h, 'select count(*) from mail_outbox');
      const res = await h.client().post('/api/v1/auth/password-reset', { email: 'nobody@nowhere.test' });
      expect(res.status).toBe(204);
      expect(res.body).toBe('');
      expect(await count(h, 'select count(*) from mail_outbox')).toBe(before);
    });

    it('mails a link that sets the password once and ends the old sessions', async () => {
      const u = await createUser(h, acme);
      const res = await h.client().post('/api/v1/auth/password-reset', { email: u.email.toUpperCase() });
      expect(res.status).toBe(204);
      const mails = await outbox(h, { to: u.email });
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ template: 'password_reset', tenant_id: acme.id, status: 'kept' });
      expect(mails[0].text).toContain('/reset-password?token=');
      const token = linkToken(mails[0].text, '/reset-password');
      expect((await u.client.get('/api/v1/me')).status).toBe(200);

      const done = await h.client().post('/api/v1/auth/password-reset/complete', { token, password: NEW_PASSWORD });
      expect(done.status).toBe(204);
      expect((await u.client.get('/api/v1/me')).status).toBe(401);
      expect(await sessionsOf(u.id)).toBe(0);
      expect((await h.client().login(u.email, PASSWORD)).status).toBe(401);
      expect((await h.client().login(u.email, NEW_PASSWORD)).status).toBe(200);

      const again = await h.client().post('/api/v1/auth/password-reset/complete', { token, password: 'yet-another-password' });
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe('invalid_token');
      expect((await h.client().login(u.email, NEW_PASSWORD)).status).toBe(200);
    });

    it('refuses an expired link and leaves the password alone', async () => {
      const u = await createUser(h, acme, { login: false });
      await h.client().post('/api/v1/auth/password-reset', { email: u.email });
      const [mail] = await outbox(h, { to: u.email });
      const token = linkToken(mail.text, '/reset-password');
      await h.deps.database.query("update one_time_tokens set expires_at = now() - interval '1 minute' where token_hash = $1", [
        sha256(token),
      ]);
      const res = await h.client().post('/api/v1/auth/password-reset/complete', { token, password: NEW_PASSWORD });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('invalid_token');
      expect((await h.client().login(u.email, PASSWORD)).status).toBe(200);
    });

    it('a made-up token is refused', async () => {
      const res = await h.client().post('/api/v1/auth/password-reset/complete', { token: 'x'.repeat(43), password: NEW_PASSWORD });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('invalid_token');
    });
  });

  describe('invitations', () => {
    it('invites by mail; the link describes, activates once, and login works', async () => {
      const email = `invitee@${acme.slug}.test`;
      const created = await acme.admin.client.post('/api/v1/users', {
        name: 'Ivy Invitee',
        email,
        roleId: String(acme.roleIds.get('Technician')),
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ email, status: 'invited', role: { name: 'Technician' } });
      const [mail] = await outbox(h, { to: email });
      expect(mail).toMatchObject({ template: 'invitation', tenant_id: acme.id });
      expect(mail.text).toContain('/invitation?token=');
      const token = linkToken(mail.text, '/invitation');

      const described = await h.client().get(`/api/v1/auth/invitations/${token}`);
      expect(described.status).toBe(200);
      expect(described.body).toEqual({ email, name: 'Ivy Invitee', username: null, companyName: expect.stringContaining('Company') });
      expect((await h.client().login(email, NEW_PASSWORD)).status).toBe(401);

      const accept = await h.client().post('/api/v1/auth/invitations/accept', { token, password: NEW_PASSWORD, username: 'ivy.invitee' });
      expect(accept.status).toBe(204);
      const c = h.client();
      const login = await c.login('ivy.invitee', NEW_PASSWORD);
      expect(login.status).toBe(200);
      expect((await c.get('/api/v1/me')).body.user).toMatchObject({ email, username: 'ivy.invitee' });
      const user = await acme.admin.client.get(`/api/v1/users/${created.body.id}`);
      expect(user.body.status).toBe('active');

      const reuse = await h.client().post('/api/v1/auth/invitations/accept', { token, password: 'another-password!' });
      expect(reuse.status).toBe(422);
      expect(reuse.body.error.code).toBe('invalid_token');
      expect((await h.client().login(email, NEW_PASSWORD)).status).toBe(200);
      const describedAgain = await h.client().get(`/api/v1/auth/invitations/${token}`);
      expect(describedAgain.status).toBe(404);
      expect(describedAgain.body.error.code).toBe('not_found');
    });

    it('a re-sent invitation replaces the old link', async () => {
      const email = `twice@${acme.slug}.test`;
      const created = await acme.admin.client.post('/api/v1/users', {
        name: 'Twice',
        email,
        roleId: String(acme.roleIds.get('Requester')),
      });
      const first = linkToken((await outbox(h, { to: email }))[0].text, '/invitation');
      expect((await acme.admin.client.post(`/api/v1/users/${created.body.id}/invitation`)).status).toBe(204);
      const mails = await outbox(h, { to: email });
      expect(mails).toHaveLength(2);
      const second = linkToken(mails[1].text, '/invitation');
      expect((await h.client().post('/api/v1/auth/invitations/accept', { token: first, password: NEW_PASSWORD })).status).toBe(422);
      expect((await h.client().post('/api/v1/auth/invitations/accept', { token: second, password: NEW_PASSWORD })).status).toBe(204);
    });
  });

  describe('API tokens', () => {
    it('a token works as Bearer until revoked; it is shown once and not listed', async () => {
      const u = await createUser(h, acme);
      const made = await u.client.post('/api/v1/api-tokens', { name: 'ci', expiresInDays: 7 });
      expect(made.status).toBe(201);
      expect(made.body).toEqual({ id: expect.any(String), token: expect.stringMatching(/^stw_/) });
      const list = await u.client.get('/api/v1/api-tokens');
      expect(list.body.items).toEqual([
        { id: made.body.id, name: 'ci', createdAt: expect.any(String), expiresAt: expect.any(String), lastUsedAt: null },
      ]);
      expect(list.raw.body).not.toContain(made.body.token);
      expect(await count(h, 'select count(*) from api_tokens where token_hash = $1', [made.body.token])).toBe(0);

      const bearer = h.client();
      bearer.bearer = made.body.token;
      const me = await bearer.get('/api/v1/me');
      expect(me.status).toBe(200);
      expect(me.body.user.id).toBe(String(u.id));
      expect(me.body.csrfToken).toBe('');

      expect((await u.client.delete(`/api/v1/api-tokens/${made.body.id}`)).status).toBe(204);
      const after = await bearer.get('/api/v1/me');
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('unauthenticated');
    });

    it('an expired token is refused', async () => {
      const u = await createUser(h, acme);
      const made = await u.client.post('/api/v1/api-tokens', { name: 'old' });
      await h.deps.database.query("update api_tokens set expires_at = now() - interval '1 second' where id = $1", [Number(made.body.id)]);
      const bearer = h.client();
      bearer.bearer = made.body.token;
      expect((await bearer.get('/api/v1/me')).status).toBe(401);
    });

    it("a deactivated user's token stops working", async () => {
      const u = await createUser(h, acme);
      const made = await u.client.post('/api/v1/api-tokens', { name: 'mine' });
      const bearer = h.client();
      bearer.bearer = made.body.token;
      expect((await bearer.get('/api/v1/me')).status).toBe(200);
      expect((await acme.admin.client.patch(`/api/v1/users/${u.id}`, { active: false })).status).toBe(200);
      expect((await bearer.get('/api/v1/me')).status).toBe(401);
    });
  });

  describe('suspended company', () => {
    it('refuses logins (403 company_suspended), ends sessions, makes tokens read-only, and lets them in again when lifted', async () => {
      const globex = await createCompany(h);
      const u = await createUser(h, globex);
      const made = await u.client.post('/api/v1/api-tokens', { name: 'ci' });
      const bearer = h.client();
      bearer.bearer = made.body.token;
      expect((await bearer.get('/api/v1/me')).status).toBe(200);
      expect((await globex.admin.client.get('/api/v1/me')).status).toBe(200);
      const operator = await createSuperAdmin(h);
      const res = await operator.client.patch(`/api/v1/admin/companies/${globex.id}`, { suspended: true });
      expect(res.status).toBe(200);
      expect(res.body.company).toMatchObject({ id: String(globex.id), suspended: true });

      expect((await u.client.get('/api/v1/me')).status).toBe(401);
      expect((await globex.admin.client.get('/api/v1/me')).status).toBe(401);
      // API tokens keep reading (read-only: test/http/read-only.test.ts), they change nothing.
      expect((await bearer.get('/api/v1/me')).status).toBe(200);
      expect((await bearer.post('/api/v1/api-tokens', { name: 'more' })).body.error.code).toBe('read_only');
      const login = await h.client().login(u.email, PASSWORD);
      expect(login.status).toBe(403);
      expect(login.body.error.code).toBe('company_suspended');
      // A wrong password stays a plain 401: suspension is not revealed without the password.
      expect((await h.client().login(u.email, 'wrong-password')).body.error.code).toBe('invalid_credentials');
      // Other companies are untouched.
      expect((await acme.admin.client.get('/api/v1/me')).status).toBe(200);

      expect((await operator.client.patch(`/api/v1/admin/companies/${globex.id}`, { suspended: false })).status).toBe(200);
      expect((await h.client().login(u.email, PASSWORD)).status).toBe(200);
      expect((await bearer.get('/api/v1/me')).status).toBe(200);
    });
  });

  describe('audit', () => {
    it('records auth.login and auth.login_failed with the IP', async () => {
      const u = await createUser(h, acme, { login: false });
      const c = h.client();
      c.remoteAddress = '10.2.3.4';
      expect((await c.login(u.email, 'wrong-password')).status).toBe(401);
      expect((await c.login(u.email, PASSWORD)).status).toBe(200);
      const failed = await acme.admin.client.get('/api/v1/audit?action=auth.login_failed&limit=200');
      expect(failed.status).toBe(200);
      expect(failed.body.items).toContainEqual(
        expect.objectContaining({
          action: 'auth.login_failed',
          ip: '10.2.3.4',
          details: expect.objectContaining({ login: u.email.toLowerCase(), reason: 'wrong password' }),
        }),
      );
      const ok = await acme.admin.client.get('/api/v1/audit?action=auth.login&limit=200');
      const mine = ok.body.items.filter((e: { targetId: string }) => e.targetId === String(u.id));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ action: 'auth.login', ip: '10.2.3.4', targetType: 'user', actor: { id: String(u.id) } });
      const prefix = await acme.admin.client.get('/api/v1/audit?action=auth.&limit=200');
      const actions = new Set(prefix.body.items.map((e: { action: string }) => e.action));
      expect(actions.has('auth.login')).toBe(true);
      expect(actions.has('auth.login_failed')).toBe(true);
    });
  });
});

function wrongCode(secret: string): string {
  const valid = new Set([-1, 0, 1].map((d) => totpAt(secret, Date.now() + d * 30_000)));
  for (const c of ['000000', '123456', '999999']) if (!valid.has(c)) return c;
  throw new Error('unreachable');
}
