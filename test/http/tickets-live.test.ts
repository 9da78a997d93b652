// Live pushes about tickets go out after commit and only to people who may see the ticket;
// internal notes never reach a requester, in any answer or push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, sleep } from '../helpers.js';
import { type LiveClient, openLive } from '../live.js';

describe('ticket live updates and notifications', () => {
  let h: Harness;
  let acme: TestCompany;
  let requester: TestUser;
  let bystander: TestUser;
  let tech: TestUser;
  let manager: TestUser;
  const sockets: LiveClient[] = [];
  const live = async (u: TestUser) => {
    const s = await openLive(h, u.client.cookie!);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    requester = await createUser(h, acme, { role: 'Requester', department: 'Finance' });
    bystander = await createUser(h, acme, { role: 'Requester', department: 'Finance' });
    tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    manager = await createUser(h, acme, { role: 'Manager', department: 'IT' });
  });
  afterAll(async () => {
    for (const s of sockets) await s.close();
    await h.close();
  });

  const ticketEvents = (s: LiveClient, number: number) =>
    s.messages.filter((m) => m.type === 'ticket.updated' && (m.data as { number: number }).number === number);

  it('pushes ticket changes to those who may see the ticket, and to nobody else', async () => {
    const reqLive = await live(requester);
    const byLive = await live(bystander);
    const mgrLive = await live(manager);
    const t = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Desk lamp broken' })).body.ticket;
    await manager.client.post(`/api/v1/tickets/${t.number}/assign`, { assigneeId: String(tech.id) });
    await eventually(async () => ticketEvents(reqLive, t.number).length >= 2 && ticketEvents(mgrLive, t.number).length >= 2);
    expect(ticketEvents(reqLive, t.number).length).toBeGreaterThanOrEqual(2);
    expect(ticketEvents(mgrLive, t.number).length).toBeGreaterThanOrEqual(2);
    await sleep(200);
    expect(ticketEvents(byLive, t.number)).toEqual([]);
  });

  it('an internal note reaches staff but never the requester: not in comments, history, notifications or pushes', async () => {
    const reqLive = await live(requester);
    const techLive = await live(tech);
    const t = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'VPN drops' })).body.ticket;
    await manager.client.post(`/api/v1/tickets/${t.number}/assign`, { assigneeId: String(tech.id) });
    const secret = 'INTERNAL-ONLY-kangaroo';
    expect((await manager.client.post(`/api/v1/tickets/${t.number}/comments`, { body: `${secret} @${tech.email.split('@')[0]}`, internal: true })).status).toBe(201);
    // The requester may not write one either.
    expect((await requester.client.post(`/api/v1/tickets/${t.number}/comments`, { body: 'x', internal: true })).status).toBe(403);

    const sawIt = () => techLive.messages.some((m) => m.type === 'notification' && JSON.stringify(m.data).includes(secret));
    await eventually(async () => sawIt());
    expect(sawIt()).toBe(true);
    await sleep(200);
    const everything = JSON.stringify([
      reqLive.messages,
      (await requester.client.get(`/api/v1/tickets/${t.number}/comments`)).body,
      (await requester.client.get(`/api/v1/tickets/${t.number}/history`)).body,
      (await requester.client.get('/api/v1/notifications')).body,
      (await requester.client.get(`/api/v1/tickets?q=kangaroo`)).body,
    ]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('kangaroo');
    // No mail about it to the requester either.
    const { rows } = await h.deps.database.query<{ text: string }>('select text from mail_outbox where "to" = $1', [requester.email]);
    expect(rows.map((r) => r.text).join('\n')).not.toContain(secret);
  });

  it('nothing is pushed or notified for a change that rolled back', async () => {
    const reqLive = await live(requester);
    const t = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Rollback probe' })).body.ticket;
    await eventually(async () => ticketEvents(reqLive, t.number).length === 1);
    expect(ticketEvents(reqLive, t.number)).toHaveLength(1);
    const before = (await requester.client.get('/api/v1/notifications')).body.items.length;
    // A forbidden transition fails inside the transaction: no push, no notification.
    expect((await tech.client.post(`/api/v1/tickets/${t.number}/status`, { status: 'rejected' })).status).toBeGreaterThanOrEqual(400);
    await sleep(300);
    expect(ticketEvents(reqLive, t.number)).toHaveLength(1);
    expect((await requester.client.get('/api/v1/notifications')).body.items.length).toBe(before);
  });

  it('notifications: unread count, mark read, and per-event preferences', async () => {
    const t = (await requester.client.post('/api/v1/tickets', { kind: 'incident', title: 'Chair squeaks' })).body.ticket;
    await manager.client.post(`/api/v1/tickets/${t.number}/comments`, { body: 'On it' });
    const inbox = await requester.client.get('/api/v1/notifications?unread=true');
    expect(inbox.body.unreadCount).toBeGreaterThan(0);
    const first = inbox.body.items[0].id;
    expect((await requester.client.post('/api/v1/notifications/read', { ids: [first] })).body.updated).toBe(1);
    await requester.client.post('/api/v1/notifications/read', { all: true });
    expect((await requester.client.get('/api/v1/notifications')).body.unreadCount).toBe(0);

    const prefs = await requester.client.request('PUT', '/api/v1/notifications/preferences', {
      preferences: { 'ticket.commented': { inApp: false, email: false } },
    });
    expect(prefs.status).toBe(200);
    await manager.client.post(`/api/v1/tickets/${t.number}/comments`, { body: 'Fixed the squeak' });
    expect((await requester.client.get('/api/v1/notifications?unread=true')).body.items).toHaveLength(0);
    const { rows } = await h.deps.database.query<{ n: number }>("select count(*)::int n from mail_outbox where \"to\" = $1 and text like '%Fixed the squeak%'", [requester.email]);
    expect(rows[0].n).toBe(0);
  });
});
