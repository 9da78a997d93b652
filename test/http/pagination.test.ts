// Every list is bounded and keyset-paginated: limit=2 walks the same rows, in the same order, as one
// big page, with no duplicates or gaps, and the last page says nextCursor null. Out-of-range limits
// and foreign cursors are 400s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { multipart } from '../multipart.js';

type Client = TestUser['client'];
const withQuery = (path: string, q: string) => `${path}${path.includes('?') ? '&' : '?'}${q}`;
const cursorOf = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

async function expectWalk(client: Client, path: string, min = 5) {
  const all = await client.get(withQuery(path, 'limit=200'));
  expect(all.status, JSON.stringify(all.body)).toBe(200);
  expect(all.body.nextCursor).toBeNull();
  const expected = all.body.items.map((i: { id: string }) => i.id);
  expect(expected.length).toBeGreaterThanOrEqual(min);

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await client.get(
      withQuery(path, `limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    );
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(2);
    if (res.body.nextCursor) expect(res.body.items).toHaveLength(2);
    seen.push(...res.body.items.map((i) => i.id));
    cursor = res.body.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(200);
  } while (cursor);
  expect(seen).toEqual(expected);
  expect(new Set(seen).size).toBe(seen.length);

  for (const bad of ['limit=0', 'limit=201', 'cursor=not-a-cursor']) {
    const res = await client.get(withQuery(path, bad));
    expect(res.status, `${path} ${bad}`).toBe(400);
    expect(res.body.error.code).toBe('validation');
  }
}

describe('bounded, paginated lists', () => {
  let h: Harness;
  let acme: TestCompany;
  let admin: Client;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    admin = acme.admin.client;
  });
  afterAll(() => h.close());

  const make = async (path: string, bodies: object[]) => {
    for (const b of bodies) {
      const res = await admin.post(path, b);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
  };
  const names = ['alpha', 'Beta', 'gamma', 'Delta', 'epsilon', 'Zeta'];

  it('departments', async () => {
    await make('/api/v1/departments', names.map((name) => ({ name })));
    await expectWalk(admin, '/api/v1/departments');
  });

  it('categories, teams and processes', async () => {
    await make('/api/v1/categories', names.map((name) => ({ name })));
    await expectWalk(admin, '/api/v1/categories');
    await make('/api/v1/teams', names.map((name) => ({ name })));
    await expectWalk(admin, '/api/v1/teams');
    await make('/api/v1/processes', names.map((name) => ({ name, tasks: ['Check'] })));
    await expectWalk(admin, '/api/v1/processes');
  });

  it('projects, with and without a status filter', async () => {
    await make('/api/v1/projects', names.map((name) => ({ name })));
    await expectWalk(admin, '/api/v1/projects');
    await expectWalk(admin, '/api/v1/projects?status=active');
  });

  it('roles, highest level first; equal levels by name', async () => {
    await make('/api/v1/roles', names.map((name, i) => ({ name, level: 10 + (i % 2), permissions: [] })));
    await expectWalk(admin, '/api/v1/roles');
  });

  it('saved views and API tokens (each its owner’s)', async () => {
    await make('/api/v1/saved-views', names.map((name) => ({ name, filters: {} })));
    await expectWalk(admin, '/api/v1/saved-views');
    await make('/api/v1/api-tokens', names.map((name) => ({ name })));
    await expectWalk(admin, '/api/v1/api-tokens');
  });

  it('ticket comments and history, asset history', async () => {
    const t = await admin.post('/api/v1/tickets', { kind: 'work_order', title: 'Paged', description: '' });
    expect(t.status).toBe(201);
    const n = t.body.ticket.number;
    await make(`/api/v1/tickets/${n}/comments`, names.map((body, i) => ({ body, internal: i % 2 === 0 })));
    await expectWalk(admin, `/api/v1/tickets/${n}/comments`);
    for (const status of ['in_progress', 'on_hold', 'in_progress', 'on_hold', 'in_progress']) {
      expect((await admin.post(`/api/v1/tickets/${n}/status`, { status })).status).toBe(200);
    }
    await expectWalk(admin, `/api/v1/tickets/${n}/history`);

    const cats = await admin.get('/api/v1/picklists/categories');
    const a = await admin.post('/api/v1/assets', { name: 'Paged asset', categoryId: cats.body.items[0].id });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    for (const name of names) expect((await admin.patch(`/api/v1/assets/${a.body.asset.id}`, { name })).status).toBe(200);
    await expectWalk(admin, `/api/v1/assets/${a.body.asset.id}/history`);
  });
  it('a ticket’s tasks, time entries and attachments: pages with totals of the whole list', async () => {
    const t = await admin.post('/api/v1/tickets', { kind: 'work_order', title: 'Paged work', description: '' });
    expect(t.status).toBe(201);
    const n = t.body.ticket.number;

    await make(`/api/v1/tickets/${n}/tasks`, names.map((title) => ({ title })));
    const tasks = (await admin.get(`/api/v1/tickets/${n}/tasks?limit=200`)).body.items as Array<{ id: string }>;
    expect((await admin.patch(`/api/v1/tasks/${tasks[0].id}`, { done: true })).status).toBe(200);
    // Equal positions are ordered by id.
    expect((await admin.patch(`/api/v1/tasks/${tasks[5].id}`, { position: 1 })).status).toBe(200);
    await expectWalk(admin, `/api/v1/tickets/${n}/tasks`);
    const firstTasks = await admin.get(`/api/v1/tickets/${n}/tasks?limit=2`);
    expect(firstTasks.body).toMatchObject({ done: 1, total: 6 });
    expect(firstTasks.body.items.map((i: { id: string }) => i.id)).toEqual([tasks[0].id, tasks[1].id]);
    const secondTasks = await admin.get(`/api/v1/tickets/${n}/tasks?limit=2&cursor=${encodeURIComponent(firstTasks.body.nextCursor)}`);
    expect(secondTasks.body.items.map((i: { id: string }) => i.id)).toEqual([tasks[5].id, tasks[2].id]);
    expect(secondTasks.body).toMatchObject({ done: 1, total: 6 });

    // Three entries on the same day (the same instant: ties by id), three on others.
    for (const [i, spentOn] of ['2026-11-20', '2026-11-18', '2026-11-20', '2026-11-25', '2026-11-20', '2026-11-19'].entries()) {
      const res = await admin.post(`/api/v1/tickets/${n}/time-entries`, { minutes: 10 + i, billable: i % 2 === 0, rate: 60, spentOn });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await expectWalk(admin, `/api/v1/tickets/${n}/time-entries`);
    const all = await admin.get(`/api/v1/tickets/${n}/time-entries?limit=200`);
    expect(all.body.items.map((e: { spentOn: string }) => e.spentOn.slice(0, 10))).toEqual([
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-20',
      '2026-11-20',
      '2026-11-25',
    ]);
    const totals = { minutes: 75, billableMinutes: 36, billableAmount: '36.00' };
    expect(all.body.totals).toEqual(totals);
    const firstTime = await admin.get(`/api/v1/tickets/${n}/time-entries?limit=2`);
    expect(firstTime.body.items).toHaveLength(2);
    expect(firstTime.body.totals).toEqual(totals);
    const rest = await admin.get(`/api/v1/tickets/${n}/time-entries?limit=4&cursor=${encodeURIComponent(firstTime.body.nextCursor)}`);
    expect(rest.body.items.map((e: { id: string }) => e.id)).toEqual(all.body.items.slice(2).map((e: { id: string }) => e.id));
    expect(rest.body.nextCursor).toBeNull();
    // A cursor of another list's shape, or out of range, is a 400, never a 500.
    for (const bad of [cursorOf([1]), cursorOf([1e17, 1]), cursorOf(['2026-11-20', 1])]) {
      const res = await admin.get(`/api/v1/tickets/${n}/time-entries?cursor=${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect((await admin.get(`/api/v1/tickets/${n}/tasks?cursor=${bad}`)).status).toBe(400);
    }

    for (const name of names) {
      const { body, headers } = multipart([{ filename: `${name}.txt`, content: `file ${name}` }]);
      const res = await admin.request('POST', `/api/v1/tickets/${n}/attachments`, body, headers);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await expectWalk(admin, `/api/v1/tickets/${n}/attachments`);
    const files = await admin.get(`/api/v1/tickets/${n}/attachments?limit=200`);
    expect(files.body.items.map((f: { name: string }) => f.name)).toEqual(names.map((name) => `${name}.txt`));
  });

  it('a name search (q) is case-insensitive, takes % and _ literally, and pages too', async () => {
    const names = async (path: string) => ((await admin.get(path)).body.items as Array<{ name: string }>).map((i) => i.name);
    expect(await names('/api/v1/departments?q=ETA')).toEqual(['Beta', 'Zeta']);
    expect(await names('/api/v1/categories?q=eta')).toEqual(['Beta', 'Zeta']);
    expect(await names('/api/v1/teams?q=eTa')).toEqual(['Beta', 'Zeta']);
    expect(await names('/api/v1/departments?q=%25')).toEqual([]);
    expect(await names('/api/v1/departments?q=_')).toEqual([]);
    const first = await admin.get('/api/v1/categories?q=eta&limit=1');
    expect(first.body.items.map((i: { name: string }) => i.name)).toEqual(['Beta']);
    const next = await admin.get(`/api/v1/categories?q=eta&limit=1&cursor=${encodeURIComponent(first.body.nextCursor)}`);
    expect(next.body.items.map((i: { name: string }) => i.name)).toEqual(['Zeta']);
    expect(next.body.nextCursor).toBeNull();
  });

  it('picklists, each list by name, with q', async () => {
    await make('/api/v1/picklists/manufacturers', names.map((name) => ({ name })));
    await expectWalk(admin, '/api/v1/picklists/manufacturers');
    await expectWalk(admin, '/api/v1/picklists/categories');
    await expectWalk(admin, '/api/v1/picklists/conditions', 4);
    const found = await admin.get('/api/v1/picklists/manufacturers?q=ETA');
    expect(found.body.items.map((i: { name: string }) => i.name)).toEqual(['Beta', 'Zeta']);
    expect((await admin.get('/api/v1/picklists/nonsense?limit=2')).status).toBe(404);
  });

  it('locations: the tree in order (parents first, siblings by name in any case), page by page, and searched', async () => {
    const add = async (name: string, parentId?: string) => {
      const res = await admin.post('/api/v1/locations', { name, parentId });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.location.id as string;
    };
    const zulu = await add('zulu');
    const alpha = await add('Alpha');
    await add('room 2', alpha);
    const b1 = await add('Room 1', alpha);
    await add('cupboard', b1);
    await add('annex', zulu);
    await add('Mike');
    await expectWalk(admin, '/api/v1/locations', 7);
    const all = await admin.get('/api/v1/locations?limit=200');
    expect(all.body.items.map((l: { name: string }) => l.name)).toEqual(['Alpha', 'Room 1', 'cupboard', 'room 2', 'Mike', 'zulu', 'annex']);
    const rooms = await admin.get('/api/v1/locations?q=ROOM');
    expect(rooms.body.items.map((l: { name: string; depth: number }) => [l.name, l.depth])).toEqual([
      ['Room 1', 1],
      ['room 2', 1],
    ]);
    await expectWalk(admin, '/api/v1/locations?q=o', 3);
  });

  it('my sessions, most recently used first', async () => {
    for (let i = 0; i < 5; i++) expect((await h.client().login(acme.admin.email, 'correct-horse-battery')).status).toBe(200);
    await expectWalk(admin, '/api/v1/me/sessions', 6);
    const mine = await admin.get('/api/v1/me/sessions?limit=200');
    expect(mine.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
  });

  it('parts, vendors and a part’s movements', async () => {
    const loc = await admin.post('/api/v1/locations', { name: 'Parts store' });
    for (const [i, name] of names.entries()) {
      expect((await admin.post('/api/v1/vendors', { name: `Vendor ${name}` })).status).toBe(201);
      expect((await admin.post('/api/v1/parts', { sku: `P-${i}`, name })).status).toBe(201);
    }
    await expectWalk(admin, '/api/v1/parts');
    await expectWalk(admin, '/api/v1/vendors');
    const part = (await admin.get('/api/v1/parts?limit=1')).body.items[0];
    for (let i = 1; i <= 5; i++) {
      const res = await admin.post(`/api/v1/parts/${part.id}/movements`, { type: 'receive', quantity: i, locationId: loc.body.location.id });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    await expectWalk(admin, `/api/v1/parts/${part.id}/movements`);
  });
});
