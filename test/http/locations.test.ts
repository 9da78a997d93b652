// The location tree: roll-up counts and subtree filters through materialized paths, moves that
// rewrite the subtree and its assets, cycles and deleting used locations refused.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { underPath } from '../../src/server/modules/locations/locations.service.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Answer, type Harness, harness } from '../harness.js';
import { multipart } from '../multipart.js';

describe('locations', () => {
  let h: Harness;
  let co: TestCompany;
  beforeAll(async () => {
    h = await harness();
    co = await createCompany(h);
  });
  afterAll(() => h.close());

  it('rolls up, filters by subtree, moves a building, refuses cycles and used deletions', async () => {
    const admin = co.admin.client;
    const mk = async (name: string, parentId?: string) => {
      const r = await admin.post('/api/v1/locations', { name, parentId });
      expect(r.status).toBe(201);
      return r.body.location as { id: string; path: string; depth: number };
    };
    const site = await mk('Site');
    const other = await mk('Other site');
    const building = await mk('Building A', site.id);
    const room = await mk('Room 101', building.id);
    expect(room.path).toBe(`/${site.id}/${building.id}/${room.id}/`);
    expect(room.depth).toBe(2);
    const category = (await admin.get('/api/v1/picklists/categories')).body.items[0].id;
    const inRoom = (await admin.post('/api/v1/assets', { name: 'Desk phone', categoryId: category, locationId: room.id })).body.asset;
    const atSite = (await admin.post('/api/v1/assets', { name: 'Gate', categoryId: category, locationId: site.id })).body.asset;
    await admin.post('/api/v1/assets', { name: 'Elsewhere', categoryId: category, locationId: other.id });

    const ids = async (url: string) => (await admin.get(url)).body.items.map((a: { id: string }) => a.id).sort();
    expect(await ids(`/api/v1/assets?locationId=${site.id}`)).toEqual([inRoom.id, atSite.id].sort());
    expect(await ids(`/api/v1/assets?locationId=${building.id}`)).toEqual([inRoom.id]);
    const tree = (await admin.get('/api/v1/locations')).body.items;
    const count = (id: string) => tree.find((l: { id: string }) => l.id === id).assetCount;
    expect([count(site.id), count(building.id), count(room.id), count(other.id)]).toEqual([2, 1, 1, 1]);
    expect(tree.map((l: { name: string }) => l.name)).toEqual(['Other site', 'Site', 'Building A', 'Room 101']);

    const detail = await admin.get(`/api/v1/locations/${room.id}`);
    expect(detail.body.location.ancestors.map((a: { name: string }) => a.name)).toEqual(['Site', 'Building A']);
    expect((await admin.get(`/api/v1/locations/${site.id}`)).body.location.children.map((c: { name: string }) => c.name)).toEqual(['Building A']);

    // Move the building to the other site: its room and the room's asset go along.
    const moved = await admin.patch(`/api/v1/locations/${building.id}`, { parentId: other.id });
    expect(moved.status).toBe(200);
    expect(moved.body.location.path).toBe(`/${other.id}/${building.id}/`);
    expect((await admin.get(`/api/v1/locations/${room.id}`)).body.location.path).toBe(`/${other.id}/${building.id}/${room.id}/`);
    expect((await admin.get(`/api/v1/assets/${inRoom.id}`)).body.asset.locationPath).toBe(`/${other.id}/${building.id}/${room.id}/`);
    expect(await ids(`/api/v1/assets?locationId=${site.id}`)).toEqual([atSite.id]);
    expect((await ids(`/api/v1/assets?locationId=${other.id}`)).length).toBe(2);

    for (const target of [room.id, building.id]) {
      const cycle = await admin.patch(`/api/v1/locations/${building.id}`, { parentId: target });
      expect(cycle.status).toBe(422);
      expect(cycle.body.error.code).toBe('location_cycle');
    }
    const inUse = await admin.delete(`/api/v1/locations/${building.id}`);
    expect(inUse.status).toBe(422);
    expect(inUse.body.error.code).toBe('location_in_use');
    expect((await admin.delete(`/api/v1/locations/${room.id}`)).body.error.code).toBe('location_in_use');
    await admin.patch(`/api/v1/assets/${inRoom.id}`, { locationId: null });
    expect((await admin.delete(`/api/v1/locations/${room.id}`)).status).toBe(204);
    const audit = await admin.get('/api/v1/audit?limit=200');
    expect(JSON.stringify(audit.body)).toContain('location.deleted');
  });

  it('lists a large and a small subtree among 700 assets alike, newest first, page by page', async () => {
    // The list walks the 500 newest assets first and reads the subtree's index range when they do not
    // fill the page: the small subtree (its assets are the oldest) takes that second way.
    const c = await createCompany(h);
    const rows = ['Asset Tag,Name,Category,Location'];
    for (let i = 1; i <= 700; i++) rows.push(`W-${i},Asset ${i},Laptop,${i <= 60 ? 'Campus / Lab' : 'Campus / Depot'}`);
    const body = multipart([{ filename: 'a.csv', content: `${rows.join('\n')}\n`, contentType: 'text/csv' }]);
    const imported = await c.admin.client.request('POST', '/api/v1/assets/import?createPicklistValues=true', body.body, body.headers);
    expect(imported.body).toMatchObject({ created: 700, errorCount: 0 });
    const tree = (await c.admin.client.get('/api/v1/locations')).body.items as Array<{ id: string; name: string }>;
    const id = (name: string) => tree.find((l) => l.name === name)!.id;
    const all = async (locationId: string) => {
      const tags: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Answer = await c.admin.client.get(`/api/v1/assets?locationId=${locationId}&limit=25${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        tags.push(...res.body.items.map((a: { tag: string }) => a.tag));
        cursor = res.body.nextCursor;
      } while (cursor);
      return tags;
    };
    const expected = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `W-${to - i}`);
    expect(await all(id('Lab'))).toEqual(expected(1, 60));
    expect(await all(id('Depot'))).toEqual(expected(61, 700));
    expect((await c.admin.client.get(`/api/v1/assets?locationId=${id('Campus')}&limit=3`)).body.items.map((a: { tag: string }) => a.tag)).toEqual(['W-700', 'W-699', 'W-698']);
  });

  it('"below a location" is an index range that never takes in a sibling whose id starts alike', async () => {
    const paths = ['/1/', '/1/5/', '/1/5/77/', '/10/', '/10/1/', '/12/3/', '/0/', '/2/', '/1'];
    const below = (path: string) =>
      h.deps.database.withTenant(co.id, async ({ tx }) => {
        const res = await tx.execute(sql`select p from unnest(${`{${paths.join(',')}}`}::text[]) p where ${underPath(sql`p`, path)} order by p`);
        return (res as unknown as { rows: Array<{ p: string }> }).rows.map((r) => r.p);
      });
    expect(await below('/1/')).toEqual(['/1/', '/1/5/', '/1/5/77/']);
    expect(await below('/1/5/')).toEqual(['/1/5/', '/1/5/77/']);
    expect(await below('/10/')).toEqual(['/10/', '/10/1/']);
    expect(() => underPath(sql`p`, '/1/5')).toThrow(/not a location path/);
  });
});
