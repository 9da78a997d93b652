// What the inventory, supply and public-report suites share: locations (made with the locations
// module's own insert), parts and stock through the API, and the ledger-versus-balances check.
import { insertLocation } from '../src/server/modules/locations/locations.service.js';
import type { Client, Harness } from './harness.js';

export async function makeLocation(h: Harness, tenantId: number, name: string): Promise<string> {
  const row = await h.deps.database.system(({ tx }) => insertLocation(tx, tenantId, name, null));
  return String(row.id);
}

let skus = 0;
export async function makePart(client: Client, extra: Record<string, unknown> = {}): Promise<{ id: string; sku: string }> {
  const sku = `SKU-${process.pid}-${++skus}`;
  const res = await client.post('/api/v1/parts', { sku, name: `Part ${sku}`, unit: 'pcs', unitCost: 2.5, minQuantity: 0, maxQuantity: 100, reorderPoint: 0, ...extra });
  if (res.status !== 201) throw new Error(`part: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.part.id, sku };
}

export async function move(client: Client, partId: string, body: Record<string, unknown>) {
  return client.post(`/api/v1/parts/${partId}/movements`, body);
}

export async function receive(client: Client, partId: string, locationId: string, quantity: number) {
  const res = await move(client, partId, { type: 'receive', quantity, locationId });
  if (res.status !== 201) throw new Error(`receive: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Balances that differ from the ledger's sum per part and location (a transfer counts at both ends); [] when they agree. */
export async function ledgerMismatches(h: Harness, tenantId: number): Promise<unknown[]> {
  const { rows } = await h.deps.database.query(
    `with ledger as (
       select part_id, location_id, quantity q from stock_movements where tenant_id = $1
       union all
       select part_id, to_location_id, -quantity from stock_movements where tenant_id = $1 and type = 'transfer'
     ), sums as (select part_id, location_id, sum(q) q from ledger group by 1, 2)
     select coalesce(s.part_id, l.part_id) part_id, coalesce(s.location_id, l.location_id) location_id, s.q ledger, l.quantity balance
       from sums s full join (select * from stock_levels where tenant_id = $1) l on l.part_id = s.part_id and l.location_id = s.location_id
      where coalesce(s.q, 0) <> coalesce(l.quantity, 0)`,
    [tenantId],
  );
  return rows;
}
