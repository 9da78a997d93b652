// The live socket: only logged-in company users, only from the app's own origin, presence in and
// out, and no events any more for a session that has ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createSuperAdmin, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, sleep } from '../helpers.js';
import { openLive } from '../live.js';

type Msg = { type: string; data: unknown };
const onlineIds = (m: Msg) => (m.data as { online: Array<{ id: string }> }).online.map((u) => u.id);
const lastPresence = (msgs: Msg[]) => [...msgs].reverse().find((m) => m.type === 'presence');

/** Opens a socket and reports how it ended: the close code, or 'open' if still open after a moment. */
async function closeCode(h: Harness, headers: Record<string, string>): Promise<number | 'open' | string> {
  try {
    const ws: any = await (h.app as any).injectWS('/api/v1/live', { headers });
    return await new Promise((resolve) => {
      const t = setTimeout(() => {
        ws.terminate();
        resolve('open');
      }, 500);
      ws.once('close', (code: number) => {
        clearTimeout(t);
        resolve(code);
      });
    });
  } catch (error) {
    return (error as Error).message;
  }
}

describe('live socket', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it('refuses anonymous callers, the operator, and other origins', async () => {
    expect(await closeCode(h, {})).toMatch(/401/);
    expect(await closeCode(h, { cookie: 'steward_session=forged' })).toMatch(/401/);
    const operator = await createSuperAdmin(h);
    expect(await closeCode(h, { cookie: operator.client.cookie! })).toBe(4403);
    const cookie = acme.admin.client.cookie!;
    expect(await closeCode(h, { cookie, host: 'steward.test', origin: 'https://evil.test' })).toBe(4403);
    expect(await closeCode(h, { cookie, host: 'steward.test', origin: 'not a url' })).toBe(4403);
    expect(await closeCode(h, { cookie, host: 'steward.test', origin: 'https://steward.test' })).toBe('open');
  });

  it('greets, answers pings, and announces presence in and out', async () => {
    const a = await openLive(h, acme.admin.client.cookie!);
    const u = await createUser(h, acme);
    try {
      expect(await eventually(async () => a.messages.some((m) => m.type === 'hello'))).toBe(true);
      a.send({ type: 'ping' });
      expect(await eventually(async () => a.messages.some((m) => m.type === 'pong'))).toBe(true);
      expect(a.messages.find((m) => m.type === 'pong')).toEqual({ type: 'pong', data: {} });
      const b = await openLive(h, u.client.cookie!);
      expect(await eventually(async () => !!lastPresence(a.messages) && onlineIds(lastPresence(a.messages)!).includes(String(u.id)))).toBe(
        true,
      );
      const online = await acme.admin.client.get('/api/v1/users/online');
      expect(online.body.items.map((x: { id: string }) => x.id).sort()).toEqual([String(acme.admin.id), String(u.id)].sort());
      await b.close();
      expect(await eventually(async () => !onlineIds(lastPresence(a.messages)!).includes(String(u.id)))).toBe(true);
      const after = await acme.admin.client.get('/api/v1/users/online');
      expect(after.body.items.map((x: { id: string }) => x.id)).toEqual([String(acme.admin.id)]);
    } finally {
      await a.close();
    }
  });

  it('a deactivated user stops receiving company events on an open socket', async () => {
    const u = await createUser(h, acme);
    const watcher = await openLive(h, u.client.cookie!);
    try {
      expect(await eventually(async () => watcher.messages.some((m) => m.type === 'presence'))).toBe(true);
      expect((await acme.admin.client.patch(`/api/v1/users/${u.id}`, { active: false })).status).toBe(200);
      await sleep(300);
      const seen = watcher.messages.length;
      // Something happens in the company: another user comes online.
      const other = await createUser(h, acme);
      const b = await openLive(h, other.client.cookie!);
      await sleep(500);
      await b.close();
      const leaked = watcher.messages.slice(seen);
      expect(leaked).toEqual([]);
    } finally {
      await watcher.close();
    }
  });

  it('a logged-out session stops receiving company events on an open socket', async () => {
    const u = await createUser(h, acme);
    const watcher = await openLive(h, u.client.cookie!);
    try {
      expect(await eventually(async () => watcher.messages.some((m) => m.type === 'presence'))).toBe(true);
      expect((await u.client.post('/api/v1/auth/logout')).status).toBe(204);
      await sleep(300);
      const seen = watcher.messages.length;
      const other = await createUser(h, acme);
      const b = await openLive(h, other.client.cookie!);
      await sleep(500);
      await b.close();
      expect(watcher.messages.slice(seen)).toEqual([]);
    } finally {
      await watcher.close();
    }
  });
});
