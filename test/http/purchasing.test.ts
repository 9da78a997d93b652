// Purchasing over HTTP: the plan, drafts per vendor, draft edits, finalisation with number, PDF and
// vendor mail, receiving into stock and assets, status, over-receipt and tolerance, cancel and
// close, and low stock feeding the plan once per crossing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { ledgerMismatches, makeLocation, makePart, move } from '../inventory-fixtures.js';
import { pdfPages } from '../pdf-text.js';
import { makeSetup, makeVendor, ok, plan, type Setup, sentOrder } from '../purchasing-fixtures.js';

describe('purchasing', () => {
  let h: Harness;
  let acme: TestCompany;
  let admin: TestUser;
  let setup: Setup;
  let categoryId: string;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    admin = acme.admin;
    setup = await makeSetup(h, acme.id, admin.client);
    categoryId = (await ok(admin.client.post('/api/v1/picklists/categories', { name: 'Purchased laptops' }), 201)).id;
  });
  afterAll(() => h.close());

  it('plans, drafts one PO per vendor, edits the draft, finalises with number, PDF and mail, and receives into stock and assets', async () => {
    const c = admin.client;
    const office = await makeVendor(c, {
      name: 'Office Supply Co',
      contactName: 'Dana Reyes',
      address: '9 Paper Road\nScranton',
      paymentTerms: 'Net 30',
      currency: 'EUR',
    });
    expect(office).toMatchObject({ contactName: 'Dana Reyes', paymentTerms: 'Net 30', currency: 'EUR' });
    const other = await makeVendor(c, { name: 'Zeta Tools' });
    const toner = await makePart(c, { vendors: [{ vendorId: office.id, price: 74.5 }] });
    const dept = String(acme.departmentIds.get('IT'));

    const a = await plan(c, {
      description: 'Toner HP 42A',
      quantity: 3,
      unitPrice: 19.99,
      vendorId: office.id,
      partId: toner.id,
      departmentId: dept,
      costCode: 'IT-100',
    });
    const b = await plan(c, {
      description: 'Laptop T14',
      quantity: 2,
      unitPrice: 1299.5,
      vendorId: office.id,
      assetCategoryId: categoryId,
      costCode: 'IT-200',
    });
    const d = await plan(c, { description: 'Torque wrench', quantity: 1.5, unitPrice: 10.01, vendorId: other.id });
    const listed = await ok(c.get(`/api/v1/planned-items?vendorId=${office.id}`));
    expect(listed.items.map((i: { id: string }) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(listed.items.find((i: { id: string }) => i.id === a.id)).toMatchObject({
      lineTotal: 59.97,
      part: { id: toner.id },
      department: { id: dept },
      costCode: 'IT-100',
    });
    expect((await ok(c.get('/api/v1/planned-items?costCode=IT-200'))).items).toHaveLength(1);

    const drafts = await ok(
      c.post('/api/v1/purchase-orders/drafts', {
        plannedItemIds: [a.id, b.id, d.id],
        buyingCompanyId: setup.buyingCompanyId,
        shipToId: setup.shipToId,
      }),
      201,
    );
    expect(drafts.purchaseOrders).toHaveLength(2);
    const [po, po2] = drafts.purchaseOrders;
    expect(po).toMatchObject({
      number: null,
      status: 'draft',
      vendor: { id: office.id, name: 'Office Supply Co' },
      currency: 'EUR',
      taxRate: 8.25,
      subtotal: 2658.97,
      tax: 219.37,
      total: 2878.34,
    });
    expect(po.lines.map((l: { description: string; receivedQuantity: number }) => [l.description, l.receivedQuantity])).toEqual([
      ['Toner HP 42A', 0],
      ['Laptop T14', 0],
    ]);
    expect(po2).toMatchObject({ vendor: { id: other.id }, subtotal: 15.02, tax: 1.24, total: 16.26 });
    // Drafted items leave the plan; drafting them again is refused.
    expect((await ok(c.get('/api/v1/planned-items'))).items.map((i: { id: string }) => i.id)).not.toContain(a.id);
    expect(
      (
        await c.post('/api/v1/purchase-orders/drafts', {
          plannedItemIds: [a.id],
          buyingCompanyId: setup.buyingCompanyId,
          shipToId: setup.shipToId,
        })
      ).status,
    ).toBe(404);

    // Deleting a draft returns its items to the plan.
    expect((await c.delete(`/api/v1/purchase-orders/${po2.id}`)).status).toBe(204);
    expect((await c.get(`/api/v1/purchase-orders/${po2.id}`)).status).toBe(404);
    expect((await ok(c.get('/api/v1/planned-items'))).items.map((i: { id: string }) => i.id)).toContain(d.id);

    // PATCH replaces the lines: kept lines are edited, new ones added, the rest removed (back to the plan).
    const [tonerLine, laptopLine] = po.lines;
    const edited = await ok(
      c.patch(`/api/v1/purchase-orders/${po.id}`, {
        lines: [
          { ...tonerLine, quantity: 10 },
          { description: 'Delivery', quantity: 1, unitPrice: 0.335 },
        ],
        notes: 'Deliver to the back door',
      }),
    );
    expect(edited.purchaseOrder.lines.map((l: { id: string; quantity: number }) => [l.id === tonerLine.id, l.quantity])).toEqual([
      [true, 10],
      [false, 1],
    ]);
    expect(edited.purchaseOrder).toMatchObject({ subtotal: 200.24, tax: 16.52, total: 216.76, notes: 'Deliver to the back door' });
    expect((await ok(c.get('/api/v1/planned-items'))).items.map((i: { id: string }) => i.id)).toContain(b.id);
    const withLaptop = await ok(
      c.patch(`/api/v1/purchase-orders/${po.id}`, {
        lines: [...edited.purchaseOrder.lines, { description: 'Laptop T14', quantity: 2, unitPrice: 1299.5, assetCategoryId: categoryId }],
      }),
    );
    expect(withLaptop.purchaseOrder.total).toBe(3030.18);
    expect(laptopLine.id).not.toBe(withLaptop.purchaseOrder.lines[2].id);

    const finalized = (await ok(c.post(`/api/v1/purchase-orders/${po.id}/finalize`))).purchaseOrder;
    const year = new Date().getUTCFullYear();
    expect(finalized).toMatchObject({ number: `PO-${year}-0001`, status: 'sent', subtotal: 2799.24, tax: 230.94, total: 3030.18 });
    expect(finalized.can).toMatchObject({ edit: false, finalize: false, receive: true, cancel: true, send: true });
    // Immutable from now on.
    for (const res of [
      await c.patch(`/api/v1/purchase-orders/${po.id}`, { notes: 'changed' }),
      await c.delete(`/api/v1/purchase-orders/${po.id}`),
      await c.post(`/api/v1/purchase-orders/${po.id}/finalize`),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('not_draft');
    }
    // Editing the vendor later does not change the order.
    await ok(c.patch(`/api/v1/vendors/${office.id}`, { name: 'Office Supply Company' }));
    expect((await ok(c.get(`/api/v1/purchase-orders/${po.id}`))).purchaseOrder.vendor.name).toBe('Office Supply Co');

    // The vendor's mail with the PDF attached.
    const mails = (await ok(c.get('/api/v1/outbox'))).items.filter((m: { to: string[] }) => m.to.includes(office.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      template: 'purchase_order',
      subject: expect.stringContaining(`PO-${year}-0001`),
      attachments: [{ name: `PO-${year}-0001.pdf`, contentType: 'application/pdf' }],
    });

    const pdf = await c.get(`/api/v1/purchase-orders/${po.id}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(mails[0].attachments[0].size).toBe(pdf.raw.rawPayload.length);
    const text = pdfPages(pdf.raw.rawPayload).join('\n');
    for (const s of [
      `Number: PO-${year}-0001`,
      'Office Supply Co',
      'Attn: Dana Reyes',
      '9 Paper Road',
      'Dock 4',
      'Toner HP 42A',
      'Cost code: IT-100',
      'Laptop T14',
      '1,299.50',
      '2,599.00',
      'Subtotal',
      'EUR 2,799.24',
      'Tax (8.25%)',
      'EUR 230.94',
      'EUR 3,030.18',
      'Net 30',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(s);
    }

    // Receiving: part of the toner into stock (the ship-to's location by default), laptops as assets.
    const [tl, , ll] = finalized.lines;
    const first = await ok(c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: tl.id, quantity: 4 }] }));
    expect(first.purchaseOrder).toMatchObject({ status: 'partly_received' });
    expect(first.purchaseOrder.lines[0].receivedQuantity).toBe(4);
    expect(first.receipts[0]).toMatchObject({
      lineId: tl.id,
      quantity: 4,
      location: { id: setup.storeId },
      stockMovementId: expect.any(String),
    });
    const part = (await ok(c.get(`/api/v1/parts/${toner.id}`))).part;
    expect(part.stock).toEqual([{ location: { id: setup.storeId, name: expect.any(String) }, quantity: 4 }]);
    const movements = (await ok(c.get(`/api/v1/parts/${toner.id}/movements`))).items;
    expect(movements[0]).toMatchObject({
      id: first.receipts[0].stockMovementId,
      type: 'receive',
      quantity: 4,
      note: `Received on purchase order PO-${year}-0001, line 1`,
    });

    const over = await c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: tl.id, quantity: 6.001 }] });
    expect(over.status).toBe(422);
    expect(over.body.error).toMatchObject({ code: 'over_receipt', details: { lineId: tl.id, ordered: 10, alreadyReceived: 4 } });
    // The refused receipt changed nothing.
    expect((await ok(c.get(`/api/v1/parts/${toner.id}`))).part.totalQuantity).toBe(4);

    const noCategory = await c.post(`/api/v1/purchase-orders/${po.id}/receive`, {
      lines: [{ lineId: tl.id, quantity: 1, createAssets: true }],
    });
    expect(noCategory.status).toBe(400);
    const laptops = await ok(
      c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: ll.id, quantity: 2, createAssets: true }] }),
    );
    expect(laptops.receipts[0].assetIds).toHaveLength(2);
    const asset = (await ok(c.get(`/api/v1/assets/${laptops.receipts[0].assetIds[0]}`))).asset;
    expect(asset).toMatchObject({
      name: 'Laptop T14',
      vendorId: office.id,
      purchaseOrderId: po.id,
      purchaseCost: 1299.5,
      purchaseDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });

    const rest = await ok(
      c.post(`/api/v1/purchase-orders/${po.id}/receive`, {
        lines: [
          { lineId: tl.id, quantity: 6 },
          { lineId: finalized.lines[1].id, quantity: 1 },
        ],
      }),
    );
    expect(rest.purchaseOrder.status).toBe('received');
    expect((await c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: tl.id, quantity: 1 }] })).status).toBe(422);
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);

    const closed = await ok(c.post(`/api/v1/purchase-orders/${po.id}/close`));
    expect(closed.purchaseOrder.status).toBe('closed');

    const history = await ok(c.get(`/api/v1/purchase-orders/${po.id}/history`));
    expect(history.items.map((e: { event: string }) => e.event)).toEqual([
      'created',
      'edited',
      'edited',
      'finalized',
      'sent',
      'received',
      'received',
      'received',
      'closed',
    ]);
    expect(history.items[3].actor).toMatchObject({ id: String(admin.id) });
    expect(history.receipts).toHaveLength(4);

    const list = await ok(c.get('/api/v1/purchase-orders?status=closed'));
    expect(list.items.map((o: { id: string }) => o.id)).toEqual([po.id]);
    expect(list.items[0]).toMatchObject({ number: `PO-${year}-0001`, lineCount: 3, total: 3030.18 });
    expect((await ok(c.get(`/api/v1/purchase-orders?vendorId=${office.id}`))).items).toHaveLength(1);
  });

  it('numbers by the company pattern, sends again, and cancels with a reason', async () => {
    const c = admin.client;
    await ok(c.patch('/api/v1/settings/purchasing', { poNumberPattern: 'ACME/{YY}/{seq:3}' }));
    expect((await c.patch('/api/v1/settings/purchasing', { poNumberPattern: 'PO-{YYYY}' })).status).toBe(400);
    const vendor = await makeVendor(c);
    const po = await sentOrder(c, setup, vendor.id, [{ quantity: 2, unitPrice: 5 }]);
    expect(po.number).toBe(`ACME/${String(new Date().getUTCFullYear()).slice(-2)}/001`);
    await ok(c.post(`/api/v1/purchase-orders/${po.id}/send`));
    const mails = (await ok(c.get('/api/v1/outbox'))).items.filter((m: { to: string[] }) => m.to.includes(vendor.email));
    expect(mails).toHaveLength(2);

    const noReason = await c.post(`/api/v1/purchase-orders/${po.id}/cancel`, {});
    expect(noReason.status).toBe(400);
    const cancelled = await ok(c.post(`/api/v1/purchase-orders/${po.id}/cancel`, { reason: 'Wrong quantity, reordered' }));
    expect(cancelled.purchaseOrder).toMatchObject({ status: 'cancelled', cancelReason: 'Wrong quantity, reordered' });
    expect(
      (await c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: po.lines[0].id, quantity: 1 }] })).body.error.code,
    ).toBe('invalid_transition');
    await ok(c.patch('/api/v1/settings/purchasing', { poNumberPattern: 'PO-{YYYY}-{seq:4}' }));
  });

  it('allows over-receipt within the tolerance only, and a received-then-cancelled order is refused', async () => {
    const c = admin.client;
    await ok(c.patch('/api/v1/settings/purchasing', { overReceiptTolerancePercent: 10 }));
    const vendor = await makeVendor(c);
    const partId = (await makePart(c)).id;
    const po = await sentOrder(c, setup, vendor.id, [{ partId, quantity: 10, unitPrice: 1 }]);
    const line = po.lines[0].id;
    expect(
      (await c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: line, quantity: 11.001 }] })).body.error.code,
    ).toBe('over_receipt');
    const got = await ok(c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: line, quantity: 11 }] }));
    expect(got.purchaseOrder).toMatchObject({ status: 'received', lines: [{ receivedQuantity: 11 }] });
    expect((await c.post(`/api/v1/purchase-orders/${po.id}/cancel`, { reason: 'too late' })).body.error.code).toBe('invalid_transition');
    await ok(c.patch('/api/v1/settings/purchasing', { overReceiptTolerancePercent: 0 }));
  });

  it('receives several lines of one part, a line named twice and another location in one receipt, all or nothing', async () => {
    const c = admin.client;
    const vendor = await makeVendor(c);
    const a = (await makePart(c)).id;
    const b = (await makePart(c)).id;
    const shelf = await makeLocation(h, acme.id, `Shelf ${a}`);
    const po = await sentOrder(c, setup, vendor.id, [
      { partId: a, quantity: 3, unitPrice: 1 },
      { partId: a, quantity: 3, unitPrice: 1 },
      { partId: b, quantity: 4, unitPrice: 1 },
    ]);
    const [l1, l2, l3] = po.lines.map((l: { id: string }) => l.id);
    // Named twice, the line counts both: 2 + 2 of 3 is over, and nothing of the receipt is kept.
    const over = await c.post(`/api/v1/purchase-orders/${po.id}/receive`, {
      lines: [
        { lineId: l3, quantity: 4, locationId: shelf },
        { lineId: l1, quantity: 2 },
        { lineId: l1, quantity: 2 },
      ],
    });
    expect(over.body.error.code).toBe('over_receipt');
    expect((await ok(c.get(`/api/v1/parts/${b}`))).part.stock).toEqual([]);

    const got = await ok(
      c.post(`/api/v1/purchase-orders/${po.id}/receive`, {
        lines: [
          { lineId: l1, quantity: 2 },
          { lineId: l2, quantity: 3 },
          { lineId: l3, quantity: 4, locationId: shelf },
          { lineId: l1, quantity: 1 },
        ],
      }),
    );
    expect(got.purchaseOrder.status).toBe('received');
    expect(got.purchaseOrder.lines.map((l: { receivedQuantity: number }) => l.receivedQuantity)).toEqual([3, 3, 4]);
    expect(got.receipts.map((r: { lineId: string; quantity: number; location: { id: string } }) => [r.lineId, r.quantity, r.location.id])).toEqual([
      [l1, 2, setup.storeId],
      [l2, 3, setup.storeId],
      [l3, 4, shelf],
      [l1, 1, setup.storeId],
    ]);
    expect((await ok(c.get(`/api/v1/parts/${a}`))).part.stock).toEqual([{ location: { id: setup.storeId, name: expect.any(String) }, quantity: 6 }]);
    expect((await ok(c.get(`/api/v1/parts/${b}`))).part.stock).toEqual([{ location: { id: shelf, name: expect.any(String) }, quantity: 4 }]);
    // One ledger row per receipt, each receipt naming its own, in the order received.
    const ledger = (await ok(c.get(`/api/v1/parts/${a}/movements`))).items.reverse();
    expect(ledger.map((m: { id: string; quantity: number; note: string }) => [m.id, m.quantity, m.note])).toEqual([
      [got.receipts[0].stockMovementId, 2, `Received on purchase order ${po.number}, line 1`],
      [got.receipts[1].stockMovementId, 3, `Received on purchase order ${po.number}, line 2`],
      [got.receipts[3].stockMovementId, 1, `Received on purchase order ${po.number}, line 1`],
    ]);
    expect(await ledgerMismatches(h, acme.id)).toEqual([]);
  });

  it('plans one low-stock item per part from its preferred vendor, on the crossing only', async () => {
    const c = admin.client;
    const cheap = await makeVendor(c);
    const dear = await makeVendor(c);
    const part = await makePart(c, {
      reorderPoint: 5,
      maxQuantity: 20,
      unitCost: 3,
      vendors: [
        { vendorId: dear.id, price: 2.9 },
        { vendorId: cheap.id, price: 2.1 },
      ],
    });
    const at = setup.storeId;
    const lowItems = async () =>
      (await ok(c.get('/api/v1/planned-items?source=low_stock'))).items.filter(
        (i: { part: { id: string } | null }) => i.part?.id === part.id,
      );
    await ok(move(c, part.id, { type: 'receive', quantity: 10, locationId: at }), 201);
    expect(await lowItems()).toEqual([]);
    await ok(move(c, part.id, { type: 'consume', quantity: 6, locationId: at }), 201);
    let items = await lowItems();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ vendor: { id: cheap.id }, quantity: 16, unitPrice: 2.1, source: 'low_stock' });
    // Further movements below the reorder point do not add or change it.
    await ok(move(c, part.id, { type: 'consume', quantity: 1, locationId: at }), 201);
    expect((await lowItems()).map((i: { quantity: number }) => i.quantity)).toEqual([16]);
    // Back above and below again: the open item is raised, not duplicated.
    await ok(move(c, part.id, { type: 'receive', quantity: 5, locationId: at }), 201);
    await ok(move(c, part.id, { type: 'consume', quantity: 7, locationId: at }), 201);
    items = await lowItems();
    expect(items.map((i: { quantity: number }) => i.quantity)).toEqual([19]);
    // Once it is on a PO, the next crossing plans a new one.
    const drafted = await ok(
      c.post('/api/v1/purchase-orders/drafts', {
        plannedItemIds: [items[0].id],
        buyingCompanyId: setup.buyingCompanyId,
        shipToId: setup.shipToId,
      }),
      201,
    );
    await ok(move(c, part.id, { type: 'receive', quantity: 10, locationId: at }), 201);
    await ok(move(c, part.id, { type: 'consume', quantity: 9, locationId: at }), 201);
    expect((await lowItems()).map((i: { quantity: number }) => i.quantity)).toEqual([18]);
    // Deleting that draft returns its item, merged into the open one: still one per part, the larger quantity.
    expect((await c.delete(`/api/v1/purchase-orders/${drafted.purchaseOrders[0].id}`)).status).toBe(204);
    expect((await lowItems()).map((i: { quantity: number }) => i.quantity)).toEqual([19]);
  });

  it('edits and bulk-deletes planned items, and refuses bad input with the error shape', async () => {
    const c = admin.client;
    const item = await plan(c, { description: 'Cable ties', quantity: 100, unitPrice: 0.05 });
    const edited = await ok(c.patch(`/api/v1/planned-items/${item.id}`, { quantity: 150, costCode: 'FAC-1' }));
    expect(edited.plannedItem).toMatchObject({ quantity: 150, costCode: 'FAC-1', lineTotal: 7.5, vendor: null });
    const bad = await c.post('/api/v1/planned-items', { description: '', quantity: -1, unitPrice: 0.00001 });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['description', 'quantity', 'unitPrice']);
    expect(
      (await c.post('/api/v1/planned-items', { description: 'x', quantity: 1, unitPrice: 1, vendorId: '999999' })).body.error.details
        .fields,
    ).toEqual({ vendorId: 'no such vendor' });
    const noVendor = await c.post('/api/v1/purchase-orders/drafts', {
      plannedItemIds: [item.id],
      buyingCompanyId: setup.buyingCompanyId,
      shipToId: setup.shipToId,
    });
    expect(noVendor.status).toBe(400);
    const other = await plan(c, { description: 'Zip ties' });
    expect(await ok(c.post('/api/v1/planned-items/delete', { ids: [item.id, other.id, '999999'] }))).toEqual({ deleted: 2 });
    expect((await c.post('/api/v1/planned-items/delete', { ids: [] })).status).toBe(400);
  });

  it('stores a PNG logo for the PO header and refuses other files', async () => {
    const c = admin.client;
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const form = (content: Buffer, type: string) => {
      const boundary = 'xBOUNDARYx';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo"\r\nContent-Type: ${type}\r\n\r\n`),
        content,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    };
    const up = form(png, 'image/png');
    const res = await c.request('PUT', `/api/v1/buying-companies/${setup.buyingCompanyId}/logo`, up.body, up.headers);
    expect(res.status).toBe(200);
    expect(res.body.buyingCompany.logoUrl).toMatch(/\/logo\?v=/);
    const logo = await c.get(`/api/v1/buying-companies/${setup.buyingCompanyId}/logo`);
    expect(logo.headers['content-type']).toBe('image/png');
    const txt = form(Buffer.from('<svg/>'), 'image/svg+xml');
    expect((await c.request('PUT', `/api/v1/buying-companies/${setup.buyingCompanyId}/logo`, txt.body, txt.headers)).status).toBe(415);
    // The logo is printed: a finalised PO's PDF embeds an image.
    const vendor = await makeVendor(c);
    const po = await sentOrder(c, setup, vendor.id, [{ quantity: 1, unitPrice: 1 }]);
    const pdf = await c.get(`/api/v1/purchase-orders/${po.id}/pdf`);
    expect(pdf.raw.rawPayload.toString('latin1')).toContain('/Subtype /Image');
  });

  it('repeats the table header on every page of a long order and numbers the pages', async () => {
    const c = admin.client;
    const vendor = await makeVendor(c);
    const lines = Array.from({ length: 45 }, (_, i) => ({ description: `Spare part number ${i + 1}`, quantity: i + 1, unitPrice: 1.25 }));
    const draft = (
      await ok(
        c.post('/api/v1/purchase-orders/drafts', {
          plannedItemIds: [(await plan(c, { vendorId: vendor.id })).id],
          buyingCompanyId: setup.buyingCompanyId,
          shipToId: setup.shipToId,
        }),
        201,
      )
    ).purchaseOrders[0];
    await ok(c.patch(`/api/v1/purchase-orders/${draft.id}`, { lines }));
    const preview = pdfPages((await c.get(`/api/v1/purchase-orders/${draft.id}/pdf`)).raw.rawPayload);
    expect(preview[0]).toContain('DRAFT - not valid as an order');
    const po = (await ok(c.post(`/api/v1/purchase-orders/${draft.id}/finalize`))).purchaseOrder;
    const pages = pdfPages((await c.get(`/api/v1/purchase-orders/${po.id}/pdf`)).raw.rawPayload);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain('Description\nQuantity\nUnit price\nAmount');
      expect(page).toContain(`${po.number} · Page ${i + 1} of ${pages.length}`);
    });
    const all = pages.join('\n');
    for (let i = 1; i <= 45; i++) expect(all).toContain(`Spare part number ${i}\n`);
    expect(all).toContain(`Total\nUSD ${po.total.toLocaleString('en-US', { minimumFractionDigits: 2 })}`);
  });

  it('renders as a PNG page whose text is the order (poppler: pdftoppm and pdftotext)', async () => {
    const c = admin.client;
    const vendor = await makeVendor(c, { name: 'Render Test Supplies', contactName: 'Ola Nordmann', paymentTerms: 'Net 14' });
    const po = await sentOrder(c, setup, vendor.id, [
      { description: 'Safety gloves, size L', quantity: 12, unitPrice: 3.35, costCode: 'FAC-7' },
      { description: 'Hard hat, white', quantity: 4, unitPrice: 18.9 },
    ]);
    const dir = mkdtempSync(path.join(tmpdir(), 'po-pdf-'));
    try {
      const file = path.join(dir, 'po.pdf');
      writeFileSync(file, (await c.get(`/api/v1/purchase-orders/${po.id}/pdf`)).raw.rawPayload);
      execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', file, path.join(dir, 'page')]);
      const png = readFileSync(path.join(dir, 'page-1.png'));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // A4 at 50 dpi: 414 × 585 pixels (pdftoppm rounds up).
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([414, 585]);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      const expected = [
        po.number,
        'Render Test Supplies',
        'Attn: Ola Nordmann',
        po.shipTo.name,
        'Safety gloves, size L',
        'Cost code: FAC-7',
        '40.20',
        'Hard hat, white',
        '75.60',
        'Net 14',
        'Page 1 of 1',
      ];
      for (const s of expected) expect(text).toContain(s);
      // 40.20 + 75.60 = 115.80; tax 8.25% = 9.55; total 125.35
      expect(po).toMatchObject({ subtotal: 115.8, tax: 9.55, total: 125.35 });
      expect(text).toMatch(/Total\s+USD 125\.35/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
