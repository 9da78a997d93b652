// The LISTEN connection comes back after it drops: pushes between processes, socket re-checks and
// auth-cache invalidation resume, and /readyz and /metrics say what state it is in.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTENER_APPLICATION_NAME, reconnectDelay } from '../../src/server/platform/listener.js';
import { LIVE_CHANNEL } from '../../src/server/platform/realtime.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness, TEST_DB } from '../harness.js';
import { eventually } from '../helpers.js';
import { openLive } from '../live.js';

describe('reconnect backoff', () => {
  it('grows exponentially, is capped at 15 s, and is jittered below the cap', () => {
    expect(reconnectDelay(0, () => 0.999)).toBe(249);
    expect(reconnectDelay(3, () => 0.999)).toBe(1998);
    expect(reconnectDelay(30, () => 0.999)).toBe(14_985);
    expect(reconnectDelay(30, () => 0)).toBe(0);
    expect(reconnectDelay(30, () => 0.5)).toBe(7500);
  });
});

describe('listener state on /readyz and /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());

  it('names the listener state in the readiness answer', async () => {
    const res = await h.client().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ready', listener: TEST_DB === 'postgres' ? 'connected' : 'in-process' });
    expect(res.body.checks.listener.state).toBe('ok');
    const metrics = await h.client().get('/metrics');
    expect(metrics.raw.body).toMatch(/^steward_db_listener_connected 1$/m);
    expect(metrics.raw.body).toMatch(/^steward_db_listener_reconnects_total 0$/m);
  });
});

describe.runIf(TEST_DB === 'postgres')('the LISTEN connection after pg_terminate_backend', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: pg.Client;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    // Another process's connection: its NOTIFYs reach this one only through LISTEN.
    other = new pg.Client({ connectionString: h.deps.config.databaseUrl! });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await h.close();
  });

  const terminateListener = async () => {
    const { rows } = await other.query(
      'select pg_terminate_backend(pid) as done from pg_stat_activity where datname = current_database() and application_name = $1',
      [LISTENER_APPLICATION_NAME],
    );
    expect(rows).toEqual([{ done: true }]);
  };
  const push = (type: string) =>
    other.query('select pg_notify($1, $2)', [LIVE_CHANNEL, JSON.stringify({ tenantId: acme.id, type, data: {} })]);

  it('reconnects, LISTENs again, and pushes from another connection reach the socket', async () => {
    const live = await openLive(h, acme.admin.client.cookie!);
    try {
      await push('before');
      expect(await eventually(async () => live.messages.some((m) => m.type === 'before'))).toBe(true);

      // An invalidation cached before the drop may have been missed: the cache is emptied on reconnect.
      h.deps.authCache.set('session:x', { kind: 'superadmin' } as never);
      await terminateListener();
      expect(await eventually(async () => h.deps.database.listenerStatus().reconnects === 1, 10_000, 20)).toBe(true);
      expect(h.deps.database.listenerStatus().state).toBe('connected');
      expect(h.deps.authCache.get('session:x')).toBeUndefined();

      await push('after');
      expect(await eventually(async () => live.messages.some((m) => m.type === 'after'))).toBe(true);
      // The auth channel is listened to again too: an invalidation from elsewhere clears this cache.
      h.deps.authCache.set('session:y', { kind: 'superadmin' } as never);
      await other.query("select pg_notify('steward_auth', '')");
      expect(await eventually(async () => h.deps.authCache.get('session:y') === undefined)).toBe(true);

      const ready = await h.client().get('/readyz');
      expect(ready.body).toMatchObject({ status: 'ready', listener: 'connected' });
      const metrics = await h.client().get('/metrics');
      expect(metrics.raw.body).toMatch(/^steward_db_listener_reconnects_total 1$/m);
      expect(metrics.raw.body).toMatch(/^steward_db_listener_connected 1$/m);
    } finally {
      await live.close();
    }
  });

  it('keeps trying while the server refuses it, and comes back when it can', async () => {
    // Refuse new connections of this database for a moment: every reconnect attempt fails.
    // (From a connection to another database: PostgreSQL refuses it for the current one.)
    const db = pg.escapeIdentifier(new URL(h.deps.config.databaseUrl!).pathname.slice(1));
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`alter database ${db} with allow_connections false`);
    try {
      await terminateListener();
      await new Promise((r) => setTimeout(r, 1500));
      expect(h.deps.database.listenerStatus()).toEqual({ state: 'reconnecting', reconnects: 1 });
      expect((await h.client().get('/readyz')).body).toMatchObject({ listener: 'reconnecting' });
    } finally {
      await admin.query(`alter database ${db} with allow_connections true`);
      await admin.end();
    }
    expect(await eventually(async () => h.deps.database.listenerStatus().reconnects === 2, 20_000, 50)).toBe(true);
    const live = await openLive(h, acme.admin.client.cookie!);
    try {
      await push('again');
      expect(await eventually(async () => live.messages.some((m) => m.type === 'again'))).toBe(true);
    } finally {
      await live.close();
    }
  }, 40_000);
});
