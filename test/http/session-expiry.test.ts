// Session lifetimes follow SESSION_DAYS and REMEMBER_DAYS, at login and when the sliding expiry
// extends a session in use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, PASSWORD, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('session lifetime from the configuration', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    h = await harness({ sessionDays: 3, rememberDays: 7 });
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  const daysLeft = async (userId: number) => {
    const { rows } = await h.deps.database.query<{ days: string; remember: boolean }>(
      'select extract(epoch from expires_at - now()) / 86400 as days, remember from sessions where tenant_id = $1 and user_id = $2',
      [acme.id, userId],
    );
    expect(rows).toHaveLength(1);
    return Number(rows[0].days);
  };
  /** Pretends the session was last used a while ago, so the next request slides its expiry. */
  const age = (userId: number) =>
    h.deps.database.query("update sessions set last_seen_at = now() - interval '5 minutes' where tenant_id = $1 and user_id = $2", [
      acme.id,
      userId,
    ]);

  it('a remembered session lasts REMEMBER_DAYS, also after sliding', async () => {
    const u = await createUser(h, acme, { login: false });
    const c = h.client();
    const res = await c.login(u.email, PASSWORD, { remember: true });
    const expires = /Expires=([^;]+)/i.exec(String([res.headers['set-cookie']].flat()[0]));
    expect((new Date(expires![1]).getTime() - Date.now()) / 86_400_000).toBeCloseTo(7, 1);
    expect(await daysLeft(u.id)).toBeCloseTo(7, 1);
    await age(u.id);
    expect((await c.get('/api/v1/me')).status).toBe(200);
    // Sliding must renew to REMEMBER_DAYS (7), not to a hard-coded 30 days.
    expect(await daysLeft(u.id)).toBeCloseTo(7, 1);
  });

  it('a plain session lasts SESSION_DAYS, also after sliding', async () => {
    const u = await createUser(h, acme, { login: false });
    const c = h.client();
    await c.login(u.email, PASSWORD);
    expect(await daysLeft(u.id)).toBeCloseTo(3, 1);
    await h.deps.database.query("update sessions set expires_at = now() + interval '1 hour' where tenant_id = $1 and user_id = $2", [
      acme.id,
      u.id,
    ]);
    await age(u.id);
    expect((await c.get('/api/v1/me')).status).toBe(200);
    // Used again: renewed to SESSION_DAYS (3) from now, not to a hard-coded 1 day.
    expect(await daysLeft(u.id)).toBeCloseTo(3, 1);
  });
});
