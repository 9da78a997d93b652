// The demo company's purchasing: twenty POs in every status, with sensible relations (each PO one
// vendor; receipts in stock and assets bought on their PO), and items left on the plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { ledgerMismatches } from '../inventory-fixtures.js';

describe('purchasing demo data', () => {
  let h: Harness;
  let tenantId: number;
  const q = async <T>(text: string, values: unknown[] = []) => (await h.deps.database.query<T>(text, values)).rows;

  beforeAll(async () => {
    h = await harness();
    const res = await h.client().post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    tenantId = Number(res.body.company.id);
  });
  afterAll(() => h.close());

  it('has twenty purchase orders in every status, assets bought on them and a plan', async () => {
    const orders = await q<{ status: string; n: number }>(
      'select status, count(*)::int n from purchase_orders where tenant_id = $1 group by status',
      [tenantId],
    );
    expect(Object.fromEntries(orders.map((o) => [o.status, o.n]))).toEqual({
      draft: 4,
      sent: 4,
      partly_received: 4,
      received: 4,
      closed: 2,
      cancelled: 2,
    });
    const numbered = await q<{ n: number }>("select count(*)::int n from purchase_orders where tenant_id = $1 and number like 'PO-%'", [
      tenantId,
    ]);
    expect(numbered[0].n).toBe(16);
    const bought = await q<{ n: number }>(
      'select count(*)::int n from assets where tenant_id = $1 and purchase_order_id is not null and vendor_id is not null',
      [tenantId],
    );
    expect(bought[0].n).toBeGreaterThanOrEqual(5);
    const received = await q<{ n: number }>(
      'select count(*)::int n from purchase_order_receipts where tenant_id = $1 and stock_movement_id is not null',
      [tenantId],
    );
    expect(received[0].n).toBeGreaterThan(0);
    const planned = await q<{ n: number }>('select count(*)::int n from planned_items where tenant_id = $1 and purchase_order_id is null', [
      tenantId,
    ]);
    expect(planned[0].n).toBeGreaterThanOrEqual(3);
    expect(await ledgerMismatches(h, tenantId)).toEqual([]);
  });

  it("renders a demo order's PDF on its first download and keeps it", async () => {
    const admin = h.client();
    expect((await admin.login('ada@demo.test', PASSWORD)).status).toBe(200);
    const sent = (await admin.get('/api/v1/purchase-orders?status=sent')).body.items[0];
    const first = await admin.get(`/api/v1/purchase-orders/${sent.id}/pdf`);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/pdf');
    const [row] = await q<{ size: number }>('select length(pdf)::int size from purchase_orders where tenant_id = $1 and id = $2', [
      tenantId,
      sent.id,
    ]);
    expect(row.size).toBe(first.raw.rawPayload.length);
    expect((await admin.get(`/api/v1/purchase-orders/${sent.id}/pdf`)).raw.rawPayload.equals(first.raw.rawPayload)).toBe(true);
  });
});
