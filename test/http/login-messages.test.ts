// What a failed login tells the person: how many attempts are left, and when a lockout ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, PASSWORD, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('login answers', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it('a wrong password answers 401 invalid_credentials with attemptsLeft counting down to the lockout', async () => {
    const u = await createUser(h, acme, { login: false });
    const c = h.client();
    c.remoteAddress = '10.2.0.1';
    const left: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await c.login(u.email, `wrong-${i}`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
      expect(res.body.error.details.lockedUntil).toBeUndefined();
      left.push(res.body.error.details.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    expect((await c.login(u.email, 'wrong-5')).body.error.details.lockMinutes).toBe(15);
  });

  it('the attempt that locks says until when; the next ones answer 429 with the same lockedUntil', async () => {
    const u = await createUser(h, acme, { login: false });
    const c = h.client();
    c.remoteAddress = '10.2.0.2';
    for (let i = 0; i < 4; i++) await c.login(u.email, `wrong-${i}`);
    const before = Date.now();
    const locking = await c.login(u.email, 'wrong-last');
    expect(locking.status).toBe(401);
    expect(locking.body.error.details.attemptsLeft).toBe(0);
    const until = Date.parse(locking.body.error.details.lockedUntil);
    expect(until - before).toBeGreaterThan(14 * 60_000);
    expect(until - before).toBeLessThanOrEqual(15 * 60_000 + 5_000);

    const refused = await c.login(u.email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expect(Date.parse(refused.body.error.details.lockedUntil)).toBe(until);
    expect(refused.body.error.details.retryAfterSeconds).toBeGreaterThan(60);
  });

  it('an unknown login counts down the same way, so the answer tells nothing about accounts', async () => {
    const c = h.client();
    c.remoteAddress = '10.2.0.3';
    const res = await c.login('nobody-here@nowhere.test', 'whatever-1');
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'invalid_credentials', details: { attemptsLeft: 4 } });
  });

  it('a right password after failures clears the count', async () => {
    const u = await createUser(h, acme, { login: false });
    const c = h.client();
    c.remoteAddress = '10.2.0.4';
    await c.login(u.email, 'wrong-1');
    await c.login(u.email, 'wrong-2');
    expect((await c.login(u.email, PASSWORD)).status).toBe(200);
    const again = h.client();
    again.remoteAddress = '10.2.0.4';
    expect((await again.login(u.email, 'wrong-3')).body.error.details.attemptsLeft).toBe(4);
  });
});
