// Outbound threading over a real SMTP server (smtp-server, in process): the acknowledgement of a
// mailed-in ticket and a staff reply go out with Message-ID, In-Reply-To, References, [#n], the
// mailbox's From and (for automatic mail) Auto-Submitted; the requester's reply to the delivered
// message, fed back through the webhook, lands on the same ticket.
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/server/runtime.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually } from '../helpers.js';
import { eml, newId } from '../mail-fixtures.js';
import { bounded, freePort, type Received, startSmtp, stopSmtp } from '../smtp.js';

const header = (raw: string, name: string) =>
  new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'im')
    .exec(raw)?.[1]
    ?.replace(/\r?\n[ \t]+/g, ' ')
    .trim();

describe('outbound mail threading over SMTP', () => {
  let h: Harness;
  let acme: TestCompany;
  let smtp: SMTPServer | null = null;
  let token = '';
  const received: Received[] = [];

  beforeAll(async () => {
    const port = await freePort();
    h = await harness({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Steward <steward@acme.test>' });
    await h.deps.jobs.start(jobDefinitions(h.deps), true);
    smtp = await startSmtp(port, received);
    acme = await createCompany(h);
    const box = await acme.admin.client.post('/api/v1/mailboxes', { type: 'webhook', name: 'Help', address: 'help@acme.test' });
    token = String(box.body.mailbox.webhookUrl).split('/').pop() as string;
  });
  afterAll(async () => {
    await bounded(h.deps.jobs.stop(), 3000).catch(() => {});
    await stopSmtp(smtp);
    await bounded(h.close(), 3000).catch(() => {});
  });

  const send = (raw: Buffer) => h.client().request('POST', `/api/v1/inbound/${token}`, raw, { 'content-type': 'message/rfc822' });
  const deliveredTo = async (to: string, n: number): Promise<Received[]> => {
    const mine = () => received.filter((m) => m.to.includes(to));
    await eventually(async () => mine().length >= n, 20_000);
    return mine();
  };

  it('acknowledgement and staff reply carry the thread; a reply to the delivered mail threads', async () => {
    const who = 'ivy@client.example';
    const m1 = newId();
    const first = await send(eml({ from: `Ivy <${who}>`, messageId: m1, subject: 'Scanner offline' }));
    expect(first.body.result).toBe('created');
    const n = first.body.ticketNumber as number;
    const [ack] = await deliveredTo(who, 1);
    expect(header(ack.raw, 'From')).toContain('help@acme.test');
    expect(header(ack.raw, 'Subject')).toContain(`[#${n}]`);
    expect(header(ack.raw, 'In-Reply-To')).toBe(`<${m1}>`);
    expect(header(ack.raw, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(ack.raw, 'X-Steward-Loop')).toBe('1');
    const ackId = header(ack.raw, 'Message-ID') as string;
    expect(ackId).toMatch(/^<steward\.[^>]+@acme\.test>$/);

    expect((await acme.admin.client.post(`/api/v1/tickets/${n}/comments`, { body: 'Restart it, please.' })).status).toBe(201);
    const mails = await deliveredTo(who, 2);
    const reply = mails[1];
    expect(header(reply.raw, 'In-Reply-To')).toBe(ackId);
    expect(header(reply.raw, 'References')).toContain(`<${m1}>`);
    expect(header(reply.raw, 'References')).toContain(ackId);
    expect(header(reply.raw, 'Auto-Submitted')).toBeUndefined();

    // Ivy's client answers the delivered reply: In-Reply-To its Message-ID, the subject changed.
    const back = await send(
      eml({ from: who, inReplyTo: (header(reply.raw, 'Message-ID') as string).slice(1, -1), subject: 'Re: your message' }),
    );
    expect(back.body).toEqual({ result: 'appended', ticketNumber: n });
    // The delivered message itself, bounced back into the mailbox, is recognised as ours.
    const echo = await send(Buffer.from(reply.raw));
    expect(echo.body).toEqual({ result: 'ignored', reason: 'loop' });
  });
});
