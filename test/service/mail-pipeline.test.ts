// The inbound pipeline (mail.pipeline.ts) on its own: create, dedupe, thread, reopen, link, filters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRawMessage } from '../../src/server/modules/mail/mail.pipeline.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { eml, newId } from '../mail-fixtures.js';

describe('mail pipeline', () => {
  let h: Harness;
  let acme: TestCompany;
  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
  });
  afterAll(() => h.close());
  const ingest = (raw: Buffer, mailboxId: number | null = null) => ingestRawMessage(h.deps, { tenantId: acme.id, mailboxId, raw });

  it('a new message makes a ticket from an external contact; the same message again is a duplicate', async () => {
    const id = newId();
    const raw = eml({ messageId: id });
    const first = await ingest(raw);
    expect(first).toMatchObject({ result: 'created' });
    expect(first.ticketNumber).toBeGreaterThan(0);
    const again = await ingest(raw);
    expect(again).toMatchObject({ result: 'duplicate', ticketNumber: first.ticketNumber });
    const t = await acme.admin.client.get(`/api/v1/tickets/${first.ticketNumber}`);
    expect(t.status).toBe(200);
    expect(t.body.ticket ?? t.body).toMatchObject({ source: 'email', requester: null, contact: { name: 'Alice Example', email: 'alice@client.example' } });
    expect(await count(h, 'select count(*) from contacts where tenant_id = $1', [acme.id])).toBe(1);
  });

  it('a reply by In-Reply-To appends; subject alone never threads', async () => {
    const id = newId();
    const created = await ingest(eml({ messageId: id, subject: 'VPN is down' }));
    const reply = await ingest(eml({ inReplyTo: id, references: [id], subject: 'Re: VPN is down', text: 'Still down.\n\nOn Tue, Alice wrote:\n> VPN is down' }));
    expect(reply).toMatchObject({ result: 'appended', ticketNumber: created.ticketNumber });
    const sameSubject = await ingest(eml({ subject: 'Re: VPN is down' }));
    expect(sameSubject.result).toBe('created');
    expect(sameSubject.ticketNumber).not.toBe(created.ticketNumber);
  });
});
