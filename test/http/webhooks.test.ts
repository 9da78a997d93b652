// Outgoing webhooks against a local receiver (node http on 127.0.0.1, WEBHOOK_ALLOW_PRIVATE on in
// this harness) that verifies every request with the standardwebhooks library: the secret is shown
// once and sealed at rest; events write deliveries in the change's transaction only for subscribed,
// active hooks; a failing receiver is retried (a zero backoff here) and its answer logged; past the
// window a delivery is failed; a manual retry sends it again; an old request is refused by the
// library's timestamp check; after a rotation both signatures are sent; permission and company
// boundaries hold. A second harness without the flag refuses private addresses at creation and
// at delivery (also a name that resolves to loopback: the connection's own lookup checks it).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as Verifier } from 'standardwebhooks';
import { openAlert } from '../../src/server/modules/meters/triggers.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addressAllowed } from '../../src/server/modules/webhooks/webhooks.net.js';
import { deliverOne, retryDelaySeconds } from '../../src/server/modules/webhooks/webhooks.service.js';
import { createCompany, createRole, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { makeLocation, makePart, move, receive } from '../inventory-fixtures.js';
import { makeSetup, makeVendor, sentOrder } from '../purchasing-fixtures.js';

interface Received {
  headers: Record<string, string>;
  body: string;
}

/** A receiver that answers the queued statuses first, then 200. */
async function startReceiver() {
  const received: Received[] = [];
  const plan: number[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') });
      const status = plan.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'thanks' : `no: ${'x'.repeat(3000)}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, port, received, plan, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function deliveryIds(h: Harness, webhookId: string): Promise<number[]> {
  const { rows } = await h.deps.database.query<{ id: number }>('select id::int from webhook_deliveries where webhook_id = $1 order by id', [
    webhookId,
  ]);
  return rows.map((r) => r.id);
}

describe('webhooks', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let rx: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    h = await harness({ webhookAllowPrivate: true, webhookRetryBaseSeconds: 0 });
    A = await createCompany(h);
    B = await createCompany(h);
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx.close();
    await h.close();
  });

  async function makeHook(co: TestCompany, events: string[], url = rx.url) {
    const res = await co.admin.client.post('/api/v1/webhooks', { url, events });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { webhook: { id: string; url: string; events: string[]; active: boolean }; secret: string };
  }

  it('shows the secret once, seals it at rest and never answers it again', async () => {
    const made = await makeHook(A, ['ticket.created']);
    expect(made.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{20,}$/);
    expect(made.webhook).toMatchObject({ url: rx.url, events: ['ticket.created'], active: true, lastDelivery: null });
    const got = await A.admin.client.get(`/api/v1/webhooks/${made.webhook.id}`);
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(made.secret.slice(6));
    expect(got.body.webhook.id).toBe(made.webhook.id);
    const list = await A.admin.client.get('/api/v1/webhooks');
    expect(JSON.stringify(list.body)).not.toContain(made.secret.slice(6));
    const stored = await h.deps.database.query<{ s: string }>('select secret_enc as s from webhooks where id = $1', [made.webhook.id]);
    expect(stored.rows[0].s).toMatch(/^v1\./);
    expect(stored.rows[0].s).not.toContain(made.secret.slice(6));
    await A.admin.client.delete(`/api/v1/webhooks/${made.webhook.id}`);
  });

  it('delivers a signed event the receiver verifies; retries a failing receiver and logs its answers', async () => {
    const { webhook, secret } = await makeHook(A, ['ticket.created', 'ticket.status_changed']);
    rx.received.length = 0;
    rx.plan.push(500, 503);
    const t = await A.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Printer on fire' });
    expect(t.status).toBe(201);
    const [id] = await deliveryIds(h, webhook.id);
    expect(id).toBeDefined();

    expect(await deliverOne(h.deps, A.id, id)).toBe('retrying');
    let log = (await A.admin.client.get(`/api/v1/webhooks/${webhook.id}/deliveries`)).body;
    expect(log.items[0]).toMatchObject({ event: 'ticket.created', status: 'retrying', attempts: 1, responseStatus: 500 });
    expect(log.items[0].responseBody.length).toBeLessThanOrEqual(1024);
    expect(log.items[0].responseBody.startsWith('no: xxx')).toBe(true);
    expect(log.items[0].nextAttemptAt).not.toBeNull();

    expect(await deliverOne(h.deps, A.id, id)).toBe('retrying');
    expect(await deliverOne(h.deps, A.id, id)).toBe('delivered');
    // Not due any more: nothing is sent again.
    expect(await deliverOne(h.deps, A.id, id)).toBeNull();
    log = (await A.admin.client.get(`/api/v1/webhooks/${webhook.id}/deliveries`)).body;
    expect(log.items[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      responseStatus: 200,
      responseBody: 'thanks',
      nextAttemptAt: null,
    });

    expect(rx.received).toHaveLength(3);
    // The same message id on every attempt (receivers drop duplicates by it).
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const last = rx.received[2];
    const payload = new Verifier(secret).verify(last.body, last.headers) as {
      type: string;
      timestamp: string;
      data: { ticket: { number: number; title: string } };
    };
    expect(payload.type).toBe('ticket.created');
    expect(payload.data.ticket).toMatchObject({ number: t.body.ticket.number, title: 'Printer on fire' });
    expect(last.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    const list = (await A.admin.client.get('/api/v1/webhooks')).body.items.find((w: { id: string }) => w.id === webhook.id);
    expect(list.lastDelivery).toMatchObject({ status: 'delivered', responseStatus: 200 });

    // A replayed request is refused by the library's timestamp check once it is old.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 10 * 60_000);
      expect(() => new Verifier(secret).verify(last.body, last.headers)).toThrow(/timestamp/i);
    } finally {
      vi.useRealTimers();
    }
    // A tampered body is refused too.
    expect(() => new Verifier(secret).verify(last.body.replace('Printer', 'Scanner'), last.headers)).toThrow();
    await A.admin.client.delete(`/api/v1/webhooks/${webhook.id}`);
  });

  it('fails a delivery after the retry window; a manual retry sends it again', async () => {
    const { webhook, secret } = await makeHook(A, ['ticket.status_changed']);
    const t = await A.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Door stuck' });
    expect((await A.admin.client.post(`/api/v1/tickets/${t.body.ticket.number}/status`, { status: 'in_progress' })).status).toBe(200);
    const [id] = await deliveryIds(h, webhook.id);
    // As if the event was raised 25 hours ago: the next failure ends it.
    await h.deps.database.query("update webhook_deliveries set created_at = now() - interval '25 hours' where id = $1", [id]);
    rx.plan.push(500);
    expect(await deliverOne(h.deps, A.id, id)).toBe('failed');
    const failed = (await A.admin.client.get(`/api/v1/webhooks/${webhook.id}/deliveries?status=failed`)).body.items;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id: String(id), status: 'failed', attempts: 1, nextAttemptAt: null });

    rx.received.length = 0;
    const retry = await A.admin.client.post(`/api/v1/webhooks/${webhook.id}/deliveries/${id}/retry`);
    expect(retry.status).toBe(202);
    expect(retry.body.delivery).toMatchObject({ status: 'pending' });
    expect(await deliverOne(h.deps, A.id, id)).toBe('delivered');
    const p = new Verifier(secret).verify(rx.received[0].body, rx.received[0].headers) as {
      type: string;
      data: { ticket: { status: string } };
    };
    expect(p).toMatchObject({ type: 'ticket.status_changed', data: { ticket: { status: 'in_progress' } } });
    // Unknown delivery ids are 404.
    expect((await A.admin.client.post(`/api/v1/webhooks/${webhook.id}/deliveries/999999/retry`)).status).toBe(404);
    await A.admin.client.delete(`/api/v1/webhooks/${webhook.id}`);
  });

  it('after a rotation sends both signatures; each secret verifies', async () => {
    const { webhook, secret: oldSecret } = await makeHook(A, ['ticket.created']);
    const rotated = await A.admin.client.post(`/api/v1/webhooks/${webhook.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    expect(Date.parse(rotated.body.webhook.previousSecretUntil) - Date.now()).toBeGreaterThan(23 * 3600_000);
    rx.received.length = 0;
    await A.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Rotated' });
    const [id] = await deliveryIds(h, webhook.id);
    expect(await deliverOne(h.deps, A.id, id)).toBe('delivered');
    const r = rx.received[0];
    expect(r.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Verifier(newSecret).verify(r.body, r.headers)).toMatchObject({ type: 'ticket.created' });
    expect(new Verifier(oldSecret).verify(r.body, r.headers)).toMatchObject({ type: 'ticket.created' });
    // Once the overlap has passed, only the new secret signs.
    await h.deps.database.query("update webhooks set previous_secret_until = now() - interval '1 second' where id = $1", [webhook.id]);
    rx.received.length = 0;
    await A.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Rotated again' });
    const ids = await deliveryIds(h, webhook.id);
    expect(await deliverOne(h.deps, A.id, ids[1])).toBe('delivered');
    expect(rx.received[0].headers['webhook-signature'].split(' ')).toHaveLength(1);
    expect(() => new Verifier(oldSecret).verify(rx.received[0].body, rx.received[0].headers)).toThrow();
    await A.admin.client.delete(`/api/v1/webhooks/${webhook.id}`);
  });

  it('writes no delivery for an event nobody subscribes to, nor for an inactive hook', async () => {
    const { webhook } = await makeHook(A, ['asset.checked_out']);
    const before = await count(h, 'select count(*) from webhook_deliveries where tenant_id = $1', [A.id]);
    const t = await A.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'Nobody listens' });
    await A.admin.client.post(`/api/v1/tickets/${t.body.ticket.number}/comments`, { body: 'a reply', internal: false });
    expect(await count(h, 'select count(*) from webhook_deliveries where tenant_id = $1', [A.id])).toBe(before);
    const off = await A.admin.client.patch(`/api/v1/webhooks/${webhook.id}`, { events: ['ticket.commented'], active: false });
    expect(off.status).toBe(200);
    expect(off.body.webhook).toMatchObject({ active: false, events: ['ticket.commented'] });
    await A.admin.client.post(`/api/v1/tickets/${t.body.ticket.number}/comments`, { body: 'another reply', internal: false });
    expect(await count(h, 'select count(*) from webhook_deliveries where tenant_id = $1', [A.id])).toBe(before);
    // Active again: a comment is delivered with the comment beside the ticket.
    await A.admin.client.patch(`/api/v1/webhooks/${webhook.id}`, { active: true });
    await A.admin.client.post(`/api/v1/tickets/${t.body.ticket.number}/comments`, { body: 'third reply', internal: false });
    const ids = await deliveryIds(h, webhook.id);
    expect(ids).toHaveLength(1);
    const { rows } = await h.deps.database.query<{ payload: string }>('select payload from webhook_deliveries where id = $1', [ids[0]]);
    const body = JSON.parse(rows[0].payload);
    expect(body).toMatchObject({
      type: 'ticket.commented',
      data: { ticket: { number: t.body.ticket.number }, comment: { body: 'third reply' } },
    });
    expect(Object.keys(body).sort()).toEqual(['data', 'timestamp', 'type']);
    await A.admin.client.delete(`/api/v1/webhooks/${webhook.id}`);
  });

  it('emits asset, stock and purchase order events with the records as the API answers them', async () => {
    const { webhook } = await makeHook(A, [
      'asset.checked_out',
      'asset.checked_in',
      'stock.low',
      'purchase_order.finalized',
      'purchase_order.received',
    ]);
    const c = A.admin.client;
    const payloads = async () => {
      const { rows } = await h.deps.database.query<{ payload: string }>(
        'select payload from webhook_deliveries where webhook_id = $1 order by id',
        [webhook.id],
      );
      return rows.map((r) => JSON.parse(r.payload) as { type: string; data: Record<string, any> });
    };
    const cats = await c.get('/api/v1/picklists/categories');
    const categoryId = cats.body.items[0].id;
    const asset = (await c.post('/api/v1/assets', { name: 'Loaner', categoryId })).body.asset;
    const tech = await createUser(h, A, { role: 'Technician' });
    expect((await c.post(`/api/v1/assets/${asset.id}/checkout`, { userId: String(tech.id) })).status).toBe(200);
    expect((await c.post(`/api/v1/assets/${asset.id}/checkin`, { note: 'back' })).status).toBe(200);

    const store = await makeLocation(h, A.id, 'Webhook store');
    const part = await makePart(c, { reorderPoint: 5 });
    await receive(c, part.id, store, 6);
    expect((await move(c, part.id, { type: 'adjust', quantity: -2, locationId: store, note: 'count' })).status).toBe(201);

    const setup = await makeSetup(h, A.id, c);
    const vendor = await makeVendor(c);
    const po = await sentOrder(c, setup, vendor.id, [{ partId: part.id, quantity: 3, unitPrice: 2 }]);
    const line = po.lines[0];
    expect((await c.post(`/api/v1/purchase-orders/${po.id}/receive`, { lines: [{ lineId: line.id, quantity: 3 }] })).status).toBe(200);

    const got = await payloads();
    expect(got.map((p) => p.type)).toEqual([
      'asset.checked_out',
      'asset.checked_in',
      'stock.low',
      'purchase_order.finalized',
      'purchase_order.received',
    ]);
    expect(got[0].data.asset).toMatchObject({ id: asset.id, name: 'Loaner' });
    expect(got[0].data.asset.assignedTo ?? got[0].data.asset.assignedToId ?? null).not.toBeNull();
    expect(got[1].data).toMatchObject({ asset: { id: asset.id }, note: 'back' });
    expect(got[2].data).toMatchObject({ part: { id: part.id, sku: part.sku, totalQuantity: 4 }, quantity: 4, reorderPoint: 5 });
    expect(got[3].data.purchaseOrder).toMatchObject({ id: po.id, number: po.number, status: 'sent' });
    expect(got[4].data.purchaseOrder).toMatchObject({ id: po.id, status: 'received' });
    expect(got[4].data.receipts).toHaveLength(1);
    await c.delete(`/api/v1/webhooks/${webhook.id}`);
  });

  it('emits meter.alert when a meter alert opens, with the alert', async () => {
    const { webhook } = await makeHook(A, ['meter.alert']);
    const c = A.admin.client;
    const device = (await c.post('/api/v1/devices', { name: 'Webhook gateway' })).body.device;
    const meter = (await c.post('/api/v1/meters', { deviceId: device.id, key: 'temp', name: 'Temperature', unit: '°C' })).body;
    const meterId = Number(meter.meter?.id ?? meter.id);
    await h.deps.database.withTenant(A.id, (scope) =>
      openAlert(
        scope,
        h.deps,
        { tenantId: A.id, kind: 'threshold', deviceId: Number(device.id), meterId, message: 'Temperature above 80', value: 81.5, openedAt: new Date() },
        { title: 'Temperature above 80', body: '81.5 °C', assetId: null },
      ),
    );
    const { rows } = await h.deps.database.query<{ payload: string }>('select payload from webhook_deliveries where webhook_id = $1', [webhook.id]);
    expect(rows).toHaveLength(1);
    const payload = JSON.parse(rows[0].payload);
    expect(payload.type).toBe('meter.alert');
    expect(payload.data.alert).toMatchObject({ kind: 'threshold', deviceId: String(device.id), meterId: String(meterId), value: 81.5 });
    await c.delete(`/api/v1/webhooks/${webhook.id}`);
  });

  it('is for company admins only (webhooks.manage)', async () => {
    const manager = await createUser(h, A, { role: 'Manager' });
    expect((await manager.client.get('/api/v1/webhooks')).status).toBe(403);
    expect((await manager.client.post('/api/v1/webhooks', { url: rx.url, events: ['ticket.created'] })).status).toBe(403);
    const hooker = await createUser(h, A, { roleId: await createRole(h, A, ['webhooks.manage']) });
    expect((await hooker.client.get('/api/v1/webhooks')).status).toBe(200);
  });

  it("keeps one company's webhooks and deliveries from another", async () => {
    const { webhook } = await makeHook(A, ['ticket.created']);
    await A.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'A only' });
    const [id] = await deliveryIds(h, webhook.id);
    const b = B.admin.client;
    expect((await b.get(`/api/v1/webhooks/${webhook.id}`)).status).toBe(404);
    expect((await b.patch(`/api/v1/webhooks/${webhook.id}`, { active: false })).status).toBe(404);
    expect((await b.post(`/api/v1/webhooks/${webhook.id}/rotate-secret`)).status).toBe(404);
    expect((await b.get(`/api/v1/webhooks/${webhook.id}/deliveries`)).status).toBe(404);
    expect((await b.post(`/api/v1/webhooks/${webhook.id}/deliveries/${id}/retry`)).status).toBe(404);
    expect((await b.delete(`/api/v1/webhooks/${webhook.id}`)).status).toBe(404);
    // B's own hook with A's delivery id.
    const mine = await makeHook(B, ['ticket.created']);
    expect((await b.post(`/api/v1/webhooks/${mine.webhook.id}/deliveries/${id}/retry`)).status).toBe(404);
    expect((await b.get('/api/v1/webhooks')).body.items.map((w: { id: string }) => w.id)).toEqual([mine.webhook.id]);
    // B's ticket does not reach A's hook.
    await b.post('/api/v1/tickets', { kind: 'incident', title: 'B only' });
    expect(await deliveryIds(h, webhook.id)).toEqual([id]);
    expect((await A.admin.client.get(`/api/v1/webhooks/${webhook.id}`)).body.webhook.active).toBe(true);
  });

  it('validates the body', async () => {
    const c = A.admin.client;
    expect((await c.post('/api/v1/webhooks', { url: 'ftp://example.com/x', events: ['ticket.created'] })).status).toBe(400);
    expect((await c.post('/api/v1/webhooks', { url: 'https://user:pw@example.com/x', events: ['ticket.created'] })).status).toBe(400);
    expect((await c.post('/api/v1/webhooks', { url: 'https://93.184.215.14/x', events: [] })).status).toBe(400);
    expect((await c.post('/api/v1/webhooks', { url: 'https://93.184.215.14/x', events: ['ticket.exploded'] })).status).toBe(400);
  });

  it('backs off from 30 s doubling, for 24 hours', () => {
    expect(retryDelaySeconds(1, 0)).toBe(30);
    expect(retryDelaySeconds(2, 30)).toBe(60);
    expect(retryDelaySeconds(5, 1000)).toBe(480);
    expect(retryDelaySeconds(12, 86_000)).toBeNull();
  });
});

describe('webhooks without WEBHOOK_ALLOW_PRIVATE (SSRF)', () => {
  let h: Harness;
  let A: TestCompany;
  let rx: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    h = await harness({ webhookRetryBaseSeconds: 0 });
    A = await createCompany(h);
    rx = await startReceiver();
  });
  afterAll(async () => {
    await rx.close();
    await h.close();
  });

  it('judges addresses: only public unicast passes', () => {
    for (const a of [
      '127.0.0.1',
      '127.8.9.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::7f00:1',
      '2002:7f00:1::1',
    ]) {
      expect(addressAllowed(a), a).toBe(false);
    }
    for (const a of ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(addressAllowed(a), a).toBe(true);
  });

  it('refuses private, loopback and link-local URLs at creation with 422 url_not_allowed', async () => {
    for (const url of [
      rx.url,
      'http://localhost:8080/x',
      'http://localhost./x',
      'http://10.0.0.5/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x',
      'http://[fd00::1]/x',
      'http://0.0.0.0/x',
      'http://224.0.0.1/x',
      'http://2130706433/x',
    ]) {
      const res = await A.admin.client.post('/api/v1/webhooks', { url, events: ['ticket.created'] });
      expect(res.status, url).toBe(422);
      expect(res.body.error.code, url).toBe('url_not_allowed');
    }
    const ok = await A.admin.client.post('/api/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['ticket.created'] });
    expect(ok.status).toBe(201);
    expect((await A.admin.client.patch(`/api/v1/webhooks/${ok.body.webhook.id}`, { url: 'http://192.168.0.10/x' })).body.error.code).toBe(
      'url_not_allowed',
    );
    await A.admin.client.delete(`/api/v1/webhooks/${ok.body.webhook.id}`);
  });

  it('refuses again at delivery, after resolving the name (nothing reaches the receiver)', async () => {
    // Stored as if allowed when created (an earlier flag, a name that resolved elsewhere then).
    for (const url of [rx.url, `http://localhost:${rx.port}/hook`, `http://[::ffff:7f00:1]:${rx.port}/hook`]) {
      const made = await A.admin.client.post('/api/v1/webhooks', { url: 'https://93.184.215.14/hook', events: ['ticket.created'] });
      await h.deps.database.query('update webhooks set url = $1 where id = $2', [url, made.body.webhook.id]);
      rx.received.length = 0;
      await A.admin.client.post('/api/v1/tickets', { kind: 'incident', title: 'SSRF?' });
      const [id] = await deliveryIds(h, made.body.webhook.id);
      expect(await deliverOne(h.deps, A.id, id)).toBe('retrying');
      const log = (await A.admin.client.get(`/api/v1/webhooks/${made.body.webhook.id}/deliveries`)).body.items[0];
      expect(log.error, url).toMatch(/url_not_allowed/);
      expect(log.responseStatus).toBeNull();
      expect(rx.received).toHaveLength(0);
      await A.admin.client.delete(`/api/v1/webhooks/${made.body.webhook.id}`);
    }
  });
});
