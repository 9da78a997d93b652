// The live socket re-checks its session on every heartbeat, but a re-check is not a use: an open
// tab nobody touches does not keep its session alive, and the socket closes once it has expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, sleep } from '../helpers.js';
import { openLive } from '../live.js';

describe('live socket and session expiry', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    // Heartbeats five times a second instead of every 30 s, so many run within the test; no auth
    // cache, so that every request reads (and may renew) the session.
    h = await harness({ liveHeartbeatMs: 200, authCacheSeconds: 0 });
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  const secondsLeft = async (userId: number) => {
    const { rows } = await h.deps.database.query<{ left: number }>(
      'select extract(epoch from expires_at - now())::float8 as left from sessions where tenant_id = $1 and user_id = $2',
      [acme.id, userId],
    );
    return Number(rows[0].left);
  };

  it('heartbeats past the idle timeout do not extend the session; the socket closes when it expires', async () => {
    const u = await createUser(h, acme);
    const live = await openLive(h, u.client.cookie!);
    try {
      expect(await eventually(async () => live.messages.some((m) => m.type === 'hello'))).toBe(true);
      // The session is about to time out, and was last used long ago (any renewal would write now).
      await h.deps.database.query(
        "update sessions set expires_at = now() + interval '3 seconds', last_seen_at = now() - interval '10 minutes' where tenant_id = $1 and user_id = $2",
        [acme.id, u.id],
      );
      await sleep(1500);
      // Several heartbeats re-checked the session meanwhile; it still ends when it would have.
      expect(live.closeCode()).toBeNull();
      expect(await secondsLeft(u.id)).toBeLessThan(2);
      expect(await eventually(async () => live.closeCode() !== null, 5000, 50)).toBe(true);
      expect(live.closeCode()).toBe(4401);
      expect((await u.client.get('/api/v1/me')).status).toBe(401);
    } finally {
      await live.close();
    }
  });

  it('a request of the user still renews the session while a socket is open', async () => {
    const u = await createUser(h, acme);
    const live = await openLive(h, u.client.cookie!);
    try {
      await h.deps.database.query(
        "update sessions set expires_at = now() + interval '1 hour', last_seen_at = now() - interval '10 minutes' where tenant_id = $1 and user_id = $2",
        [acme.id, u.id],
      );
      await sleep(600);
      expect(await secondsLeft(u.id)).toBeLessThan(3600);
      expect((await u.client.get('/api/v1/me')).status).toBe(200);
      expect(await secondsLeft(u.id)).toBeGreaterThan(3600 * 20);
      expect(live.closeCode()).toBeNull();
    } finally {
      await live.close();
    }
  });
});
