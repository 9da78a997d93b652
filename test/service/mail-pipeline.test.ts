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
    expect(t.body.ticket ?? t.body).toMatchObject({
      source: 'email',
      requester: null,
      contact: { name: 'Alice Example', email: 'alice@client.example' },
    });
    expect(await count(h, 'select count(*) from contacts where tenant_id = $1', [acme.id])).toBe(1);
  });

  it('a reply by In-Reply-To appends; subject alone never threads', async () => {
    const id = newId();
    const created = await ingest(eml({ messageId: id, subject: 'VPN is down' }));
    const reply = await ingest(
      eml({ inReplyTo: id, references: [id], subject: 'Re: VPN is down', text: 'Still down.\n\nOn Tue, Alice wrote:\n> VPN is down' }),
    );
    expect(reply).toMatchObject({ result: 'appended', ticketNumber: created.ticketNumber });
    const sameSubject = await ingest(eml({ subject: 'Re: VPN is down' }));
    expect(sameSubject.result).toBe('created');
    expect(sameSubject.ticketNumber).not.toBe(created.ticketNumber);
  });

  it('the same message ingested concurrently (two mailboxes, a re-fetch) makes exactly one ticket', async () => {
    const id = newId();
    const raw = eml({ messageId: id, from: 'race@client.example', subject: 'Race' });
    const results = await Promise.all([ingest(raw), ingest(raw), ingest(raw)]);
    expect(results.filter((r) => r.result === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'duplicate')).toHaveLength(2);
    expect(await count(h, `select count(*) from tickets where tenant_id = $1 and title = 'Race'`, [acme.id])).toBe(1);
  });

  it('messages ingested at the same time each make a ticket with its own consecutive number', async () => {
    const first = await count(h, 'select coalesce((select last from ticket_counters where tenant_id = $1), 0)', [acme.id]);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => ingest(eml({ messageId: newId(), from: `many${i}@client.example`, subject: `Many ${i}` }))),
    );
    expect(results.map((r) => r.result)).toEqual(Array(8).fill('created'));
    const numbers = results.map((r) => r.ticketNumber as number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 8 }, (_, i) => first + 1 + i));
    expect(await count(h, 'select last from ticket_counters where tenant_id = $1', [acme.id])).toBe(first + 8);
  });

  it('a message without a Message-ID is keyed by its hash: the same bytes twice are a duplicate', async () => {
    const raw = eml({ messageId: null, from: 'nohdr@client.example', subject: 'No id' });
    expect((await ingest(raw)).result).toBe('created');
    expect((await ingest(raw)).result).toBe('duplicate');
    const { rows } = await h.deps.database.query<{ message_id_key: string }>(
      `select message_id_key from inbound_messages where tenant_id = $1 and subject = 'No id'`,
      [acme.id],
    );
    expect(rows[0].message_id_key).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('a failure inside the transaction records nothing, so the retry ingests the message', async () => {
    const id = newId();
    const raw = eml({ messageId: id, from: 'retry@client.example', subject: 'Retry me' });
    const real = h.deps.mailer.queue;
    h.deps.mailer.queue = async () => {
      throw new Error('simulated crash');
    };
    await expect(ingest(raw)).rejects.toThrow('simulated crash');
    h.deps.mailer.queue = real;
    expect(await count(h, 'select count(*) from inbound_messages where tenant_id = $1 and message_id_key = $2', [acme.id, id])).toBe(0);
    expect((await ingest(raw)).result).toBe('created');
  });

  it('Message-IDs are per company: the same message to two companies makes a ticket in each', async () => {
    const other = await createCompany(h);
    const raw = eml({ messageId: newId(), from: 'both@client.example', subject: 'Both companies' });
    expect((await ingest(raw)).result).toBe('created');
    expect((await ingestRawMessage(h.deps, { tenantId: other.id, mailboxId: null, raw })).result).toBe('created');
  });
});
