// What the purchasing suites share: a buying company, a ship-to with a stock location, vendors,
// planned items and a finalised PO, all made through the API.
import type { Client, Harness } from './harness.js';
import { makeLocation } from './inventory-fixtures.js';

let n = 0;
const unique = () => `${process.pid}-${++n}`;

export async function ok<T = any>(res: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await res;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function makeVendor(client: Client, extra: Record<string, unknown> = {}) {
  const body = await ok(client.post('/api/v1/vendors', { name: `Vendor ${unique()}`, email: `orders-${unique()}@vendor.test`, ...extra }), 201);
  return body.vendor as { id: string; name: string; email: string };
}

export interface Setup {
  buyingCompanyId: string;
  shipToId: string;
  storeId: string;
}

export async function makeSetup(h: Harness, tenantId: number, client: Client, taxRate = 8.25): Promise<Setup> {
  const storeId = await makeLocation(h, tenantId, `Store ${unique()}`);
  const buyer = await ok(client.post('/api/v1/buying-companies', { name: `Buyer ${unique()}`, address: '1 Main Street\nSpringfield' }), 201);
  const shipTo = await ok(client.post('/api/v1/ship-to', { name: `Dock ${unique()}`, address: 'Dock 4\nSpringfield', taxRate, locationId: storeId }), 201);
  return { buyingCompanyId: buyer.buyingCompany.id, shipToId: shipTo.shipTo.id, storeId };
}

export async function plan(client: Client, body: Record<string, unknown>) {
  const res = await ok(client.post('/api/v1/planned-items', { description: `Item ${unique()}`, quantity: 1, unitPrice: 10, ...body }), 201);
  return res.plannedItem as { id: string };
}

/** A sent PO of one vendor with the given lines (planned, drafted, finalised). */
export async function sentOrder(client: Client, setup: Setup, vendorId: string, lines: Array<Record<string, unknown>>) {
  const items = [];
  for (const l of lines) items.push(await plan(client, { vendorId, ...l }));
  const drafts = await ok(client.post('/api/v1/purchase-orders/drafts', { plannedItemIds: items.map((i) => i.id), buyingCompanyId: setup.buyingCompanyId, shipToId: setup.shipToId }), 201);
  const po = drafts.purchaseOrders[0];
  return (await ok(client.post(`/api/v1/purchase-orders/${po.id}/finalize`))).purchaseOrder;
}
