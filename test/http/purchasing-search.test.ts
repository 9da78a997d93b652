// The PO list's search (`q`: number or vendor name) through purchase_order_match: within the
// company only, combined with the status and vendor filters, paged by cursor, and literal about
// `%` and `_`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { makeSetup, makeVendor, ok, plan, type Setup, sentOrder } from '../purchasing-fixtures.js';

describe('purchase order search', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let setup: Setup;
  const ids: Record<string, string> = {};
  let zetaNumber = '';

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    const c = acme.admin.client;
    setup = await makeSetup(h, acme.id, c);
    const northwind = await makeVendor(c, { name: 'Northwind Traders' });
    const zeta = await makeVendor(c, { name: 'Zeta Tools' });
    ids.northwind = northwind.id;
    ids.zeta = zeta.id;
    ids.sent = (await sentOrder(c, setup, northwind.id, [{ description: 'Paper', quantity: 2, unitPrice: 5 }])).id;
    const zetaPo = await sentOrder(c, setup, zeta.id, [{ description: 'Drill', quantity: 1, unitPrice: 90 }]);
    ids.zetaPo = zetaPo.id;
    zetaNumber = zetaPo.number;
    const item = await plan(c, { vendorId: northwind.id, description: 'Pens' });
    const drafts = await ok(
      c.post('/api/v1/purchase-orders/drafts', { plannedItemIds: [item.id], buyingCompanyId: setup.buyingCompanyId, shipToId: setup.shipToId }),
      201,
    );
    ids.draft = drafts.purchaseOrders[0].id;
    // Another company with a vendor of the same name: never found from acme.
    const theirs = other.admin.client;
    const theirSetup = await makeSetup(h, other.id, theirs);
    const theirVendor = await makeVendor(theirs, { name: 'Northwind Traders' });
    ids.theirs = (await sentOrder(theirs, theirSetup, theirVendor.id, [{ description: 'Paper', quantity: 1, unitPrice: 5 }])).id;
  });
  afterAll(() => h.close());

  const search = async (query: string) => {
    const body = await ok(acme.admin.client.get(`/api/v1/purchase-orders?${query}`));
    return { ids: (body.items as Array<{ id: string }>).map((i) => i.id), nextCursor: body.nextCursor as string | null };
  };

  it('finds by vendor name and by number, newest first, in the company only', async () => {
    expect((await search('q=northwind')).ids).toEqual([ids.draft, ids.sent]);
    expect((await search(`q=${encodeURIComponent(zetaNumber)}`)).ids).toEqual([ids.zetaPo]);
    expect((await search(`q=${encodeURIComponent(zetaNumber.toLowerCase())}`)).ids).toEqual([ids.zetaPo]);
    const theirs = await ok(other.admin.client.get('/api/v1/purchase-orders?q=northwind'));
    expect(theirs.items.map((i: { id: string }) => i.id)).toEqual([ids.theirs]);
  });

  it('combines the search with the status and vendor filters', async () => {
    expect((await search('q=northwind&status=draft')).ids).toEqual([ids.draft]);
    expect((await search('q=northwind&status=sent')).ids).toEqual([ids.sent]);
    expect((await search(`q=northwind&vendorId=${ids.zeta}`)).ids).toEqual([]);
    expect((await search(`q=zeta&vendorId=${ids.zeta}`)).ids).toEqual([ids.zetaPo]);
  });

  it('pages the matches by cursor', async () => {
    const first = await search('q=northwind&limit=1');
    expect(first.ids).toEqual([ids.draft]);
    expect(first.nextCursor).not.toBeNull();
    const second = await search(`q=northwind&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second).toEqual({ ids: [ids.sent], nextCursor: null });
  });

  it('treats % and _ literally', async () => {
    expect((await search('q=%25')).ids).toEqual([]);
    expect((await search('q=_')).ids).toEqual([]);
  });
});
