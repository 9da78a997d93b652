// Ten people take the last two units at the same moment: exactly two get them, eight get 422, and
// stock ends at zero, never below. Needs real parallel transactions, so PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness, TEST_DB } from '../harness.js';
import { count } from '../helpers.js';
import { takeStock } from '../../src/server/modules/inventory/inventory.repo.js';
import { ledgerMismatches, makeLocation, makePart, move, receive } from '../inventory-fixtures.js';

// PGlite is one connection: its transactions run one after another, so there is no race to test.
describe.skipIf(TEST_DB === 'pglite')('concurrent consumption (PostgreSQL)', () => {
  let h: Harness;
  let acme: TestCompany;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());

  it('lets exactly as many consumptions through as there are units', async () => {
    const store = await makeLocation(h, acme.id, 'Main store');
    const part = await makePart(acme.admin.client, { reorderPoint: 1 });
    await receive(acme.admin.client, part.id, store, 2);

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => move(acme.admin.client, part.id, { type: 'consume', quantity: 1, locationId: store })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 201, 422, 422, 422, 422, 422, 422, 422, 422]);
    for (const a of answers.filter((x) => x.status === 422)) expect(a.body.error.code).toBe('insufficient_stock');

    expect(await count(h, 'select quantity from stock_levels where tenant_id = $1 and part_id = $2', [acme.id, part.id])).toBe(0);
    expect(await count(h, "select count(*) from stock_movements where tenant_id = $1 and part_id = $2 and type = 'consume'", [acme.id, part.id])).toBe(2);
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);
    // Falling below the reorder point happened once, so the admin was told once.
    expect(
      await count(h, "select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'inventory.low_stock'", [acme.id, acme.admin.id]),
    ).toBe(1);
  });

  it('the conditional UPDATE alone never lets a balance go negative (no part lock in front of it)', async () => {
    const store = await makeLocation(h, acme.id, 'Back room');
    const part = await makePart(acme.admin.client);
    await receive(acme.admin.client, part.id, store, 2);
    const taken = await Promise.all(
      Array.from({ length: 10 }, () => h.deps.database.withTenant(acme.id, ({ tx }) => takeStock(tx, acme.id, Number(part.id), Number(store), '1.000'))),
    );
    expect(taken.filter(Boolean)).toHaveLength(2);
    expect(await count(h, 'select quantity from stock_levels where tenant_id = $1 and part_id = $2', [acme.id, part.id])).toBe(0);
  });
});
