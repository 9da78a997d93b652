// Constraints instead of hope: sibling locations are unique by name (any case, roots included), so
// parallel find-or-create makes one chain; presence is one row per connection, kept by upsert; and
// the migration that added both keys copes with the duplicates made before them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeConnections } from '../../src/server/modules/live/live.repo.js';
import { findOrCreateChain } from '../../src/server/modules/locations/locations.service.js';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../src/server/db/migrations');
/** The statements of a migration found by its name (numbers may change when branches merge). */
function migration(name: string): string[] {
  const file = readdirSync(MIGRATIONS).find((f) => f.endsWith(`_${name}.sql`));
  if (!file) throw new Error(`no migration ${name}`);
  return readFileSync(path.join(MIGRATIONS, file), 'utf8')
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter(Boolean);
}

describe('location and presence keys', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it('parallel find-or-create of one path makes one location per level', async () => {
    const names = ['Plant', 'Hall 2', 'Bay 7'];
    const made = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.deps.database.withTenant(acme.id, ({ tx }) =>
          findOrCreateChain(
            tx,
            acme.id,
            names.map((n) => (i % 2 ? n.toUpperCase() : n)),
            true,
          ),
        ),
      ),
    );
    expect(new Set(made.map((l) => l?.id)).size).toBe(1);
    for (const n of names) expect(await count(h, 'select count(*) from locations where tenant_id = $1 and lower(name) = lower($2)', [acme.id, n])).toBe(1);
    const bay = made[0]!;
    expect(bay.name.toLowerCase()).toBe('bay 7');
    expect(bay.path.split('/').filter(Boolean)).toHaveLength(3);
    // Without create, the chain is found whatever the case, and a missing one is null.
    const again = await h.deps.database.withTenant(acme.id, ({ tx }) => findOrCreateChain(tx, acme.id, ['plant', 'HALL 2', 'bay 7'], false));
    expect(again?.id).toBe(bay.id);
    expect(await h.deps.database.withTenant(acme.id, ({ tx }) => findOrCreateChain(tx, acme.id, ['Plant', 'Hall 9'], false))).toBeNull();
  });

  it('refuses a second sibling of the same name with 409, at the root too; other parents and companies may reuse it', async () => {
    const admin = acme.admin.client;
    const root = await admin.post('/api/v1/locations', { name: 'Depot' });
    expect(root.status).toBe(201);
    const rootId = root.body.location?.id ?? root.body.id;
    const twin = await admin.post('/api/v1/locations', { name: 'DEPOT' });
    expect(twin.status).toBe(409);
    expect(twin.body.error.code).toBe('duplicate');
    expect((await admin.post('/api/v1/locations', { name: 'Shelf', parentId: rootId })).status).toBe(201);
    expect((await admin.post('/api/v1/locations', { name: 'shelf', parentId: rootId })).status).toBe(409);
    expect((await admin.post('/api/v1/locations', { name: 'Shelf' })).status).toBe(201);
    const other = await createCompany(h);
    expect((await other.admin.client.post('/api/v1/locations', { name: 'Depot' })).status).toBe(201);
  });

  it('presence: one row per connection, re-inserted by the heartbeat upsert when lost', async () => {
    const u = await createUser(h, acme, { login: false });
    const conn = { userId: u.id, connectionId: `c-${Date.now()}` };
    const rows = () => count(h, 'select count(*) from presence where tenant_id = $1 and connection_id = $2', [acme.id, conn.connectionId]);
    await h.deps.database.withTenant(acme.id, ({ tx }) => seeConnections(tx, acme.id, [conn]));
    await h.deps.database.withTenant(acme.id, ({ tx }) => seeConnections(tx, acme.id, [conn]));
    expect(await rows()).toBe(1);
    await h.deps.database.query('delete from presence where tenant_id = $1 and connection_id = $2', [acme.id, conn.connectionId]);
    await h.deps.database.withTenant(acme.id, ({ tx }) => seeConnections(tx, acme.id, [conn]));
    expect(await rows()).toBe(1);
    await expect(
      h.deps.database.query('insert into presence (tenant_id, user_id, connection_id) values ($1, $2, $3)', [acme.id, acme.admin.id, conn.connectionId]),
    ).rejects.toThrow(/duplicate key|unique/);
  });

  it('the migration renames duplicate siblings (first made keeps the name) before creating the key', async () => {
    const c = await createCompany(h);
    const keys = migration('location_presence_keys');
    const createKey = keys.find((s) => s.includes('locations_tenant_parent_name_key'));
    expect(createKey).toBeDefined();
    await h.deps.database.query('drop index locations_tenant_parent_name_key');
    const insert = async (name: string, parentId: number | null) => {
      const { rows } = await h.deps.database.query<{ id: number }>(
        "insert into locations (tenant_id, name, parent_id, path) values ($1, $2, $3, '/') returning id",
        [c.id, name, parentId],
      );
      return Number(rows[0].id);
    };
    const first = await insert('Yard', null);
    const second = await insert('yard', null);
    const child = await insert('Gate', first);
    const childTwin = await insert('GATE', first);
    const elsewhere = await insert('Gate', second);
    for (const statement of migration('dedupe_locations_presence')) await h.deps.database.query(statement);
    await h.deps.database.query(createKey!);
    const { rows } = await h.deps.database.query<{ id: number; name: string }>('select id, name from locations where tenant_id = $1 order by id', [c.id]);
    expect(rows.map((r) => [Number(r.id), r.name])).toEqual([
      [first, 'Yard'],
      [second, `yard (duplicate ${second})`],
      [child, 'Gate'],
      [childTwin, `GATE (duplicate ${childTwin})`],
      [elsewhere, 'Gate'],
    ]);
  });
});
