// The demo company's mail: a webhook mailbox, tickets that came by mail, one with a threaded
// conversation (mail, web reply, mail), and the dropped noise visible on the mailbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../factories.js';
import { type Client, type Harness, harness } from '../harness.js';

describe('mail demo data', () => {
  let h: Harness;
  let admin: Client;

  beforeAll(async () => {
    h = await harness();
    admin = h.client();
    const res = await admin.post('/api/v1/setup', {
      company: { name: 'Demo Corp', slug: 'demo' },
      admin: { name: 'Ada Admin', email: 'ada@demo.test', password: PASSWORD },
      demoData: true,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await admin.login('ada@demo.test', PASSWORD)).status).toBe(200);
  });
  afterAll(() => h.close());

  it('has a webhook mailbox and a threaded conversation by mail', async () => {
    const boxes = await admin.get('/api/v1/mailboxes');
    expect(boxes.body.items).toHaveLength(1);
    const box = boxes.body.items[0];
    expect(box).toMatchObject({ type: 'webhook', name: 'Help desk mail' });
    expect(box.webhookUrl).toMatch(/\/api\/v1\/inbound\/[A-Za-z0-9_-]+$/);
    const messages = await admin.get(`/api/v1/mailboxes/${box.id}/messages`);
    const results = messages.body.items.map((m: { result: string; reason: string | null }) => `${m.result}:${m.reason ?? ''}`).sort();
    expect(results).toEqual(['appended:', 'created:', 'created:', 'ignored:auto_reply', 'ignored:bounce']);
    const created = messages.body.items.find(
      (m: { result: string; subject: string }) => m.result === 'created' && m.subject.startsWith('Badge reader'),
    );
    const comments = await admin.get(`/api/v1/tickets/${created.ticketNumber}/comments`);
    expect(comments.body.items).toHaveLength(2);
    expect(comments.body.items[0].email).toBeUndefined();
    expect(comments.body.items[1].email).toMatchObject({ from: 'Grace Hopper <grace.hopper@partner.example.org>' });
    const t = await admin.get(`/api/v1/tickets/${created.ticketNumber}`);
    expect(t.body.ticket).toMatchObject({
      source: 'email',
      requester: null,
      contact: { name: 'Grace Hopper', email: 'grace.hopper@partner.example.org' },
    });
    const contacts = await admin.get('/api/v1/contacts');
    expect(contacts.body.items.map((c: { email: string }) => c.email)).toEqual(['grace.hopper@partner.example.org']);
  });
});
