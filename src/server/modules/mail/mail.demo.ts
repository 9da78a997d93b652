// Demo mail for a fresh install: a webhook mailbox (help@…), a conversation by mail with an external
// contact (a request, a staff reply on the web, the contact's answer threaded by its headers), a
// ticket a demo user opened by mail, and the noise the pipeline dropped (a bounce, an out-of-office)
// visible on the mailbox. The messages go through the real pipeline inside the setup transaction;
// nothing is mailed (the demo addresses are examples).
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { demoActor } from '../inventory/inventory.demo.js';
import { addCommentIn } from '../tickets/comments.service.js';
import { ingestRawMessageIn, insertWebhookMailboxIn } from './mail.service.js';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

function message(m: {
  to?: string;
  from: string;
  subject: string;
  id: string;
  text: string;
  inReplyTo?: string;
  headers?: string[];
  date: string;
}): Buffer {
  return crlf([
    `From: ${m.from}`,
    `To: ${m.to ?? 'help@demo.example.com'}`,
    `Subject: ${m.subject}`,
    `Date: ${m.date}`,
    `Message-ID: <${m.id}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`, `References: <${m.inReplyTo}>`] : []),
    ...(m.headers ?? []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text,
    '',
  ]);
}

export async function seedDemoMail(scope: Scope, deps: Deps, tenantId: number): Promise<void> {
  const staff = await demoActor(scope, tenantId, 'Maria Lopez');
  const requester = await demoActor(scope, tenantId, 'Kenji Sato');
  if (!staff || !requester) return;
  const quiet: Deps = {
    ...deps,
    mailer: Object.assign(Object.create(deps.mailer) as Deps['mailer'], { queue: async () => 0, queueMany: async () => [] }),
  };
  const box = await insertWebhookMailboxIn(scope, deps, tenantId, 'Help desk mail', `help@demo${tenantId}.example.com`);
  const ingest = (raw: Buffer) => ingestRawMessageIn(scope, quiet, { tenantId, mailboxId: box.id, raw });
  const to = box.address;
  const id = (n: string) => `demo-${tenantId}-${n}@mail.example.org`;

  const first = await ingest(
    message({
      to,
      from: 'Grace Hopper <grace.hopper@partner.example.org>',
      subject: 'Badge reader at the loading dock rejects our cards',
      id: id('1'),
      date: 'Mon, 30 Nov 2026 08:12:00 +0100',
      text: 'Hello,\n\nsince this morning the badge reader at the loading dock rejects all cards of our delivery drivers. Could someone have a look?\n\nThanks,\nGrace Hopper\nPartner Logistics',
    }),
  );
  if (first.ticketNumber) {
    await addCommentIn(scope, quiet, staff, first.ticketNumber, {
      body: 'Hello Grace, the reader lost its connection to the access server. I restarted it; could your drivers try again?',
      internal: false,
    });
    await ingest(
      message({
        from: 'Grace Hopper <grace.hopper@partner.example.org>',
        subject: `Re: [#${first.ticketNumber}] Badge reader at the loading dock rejects our cards`,
        id: id('2'),
        inReplyTo: id('1'),
        date: 'Mon, 30 Nov 2026 10:40:00 +0100',
        text: 'It works again, thank you!\n\nOn Mon, 30 Nov 2026, Maria Lopez wrote:\n> the reader lost its connection to the access server.',
      }),
    );
  }
  await ingest(
    message({
      to,
      from: `Kenji Sato <${requester.email}>`,
      subject: 'Second monitor for the front desk',
      id: id('3'),
      date: 'Tue, 01 Dec 2026 09:05:00 +0100',
      text: 'Hi, the front desk needs a second monitor for the visitor log. Kenji',
    }),
  );
  // What the pipeline drops, shown on the mailbox with its reason.
  await ingest(
    message({
      to,
      from: 'Mail Delivery System <MAILER-DAEMON@mx.partner.example.org>',
      subject: 'Undelivered Mail Returned to Sender',
      id: id('4'),
      date: 'Tue, 01 Dec 2026 09:30:00 +0100',
      text: 'This is the mail system. Your message could not be delivered.',
    }),
  );
  await ingest(
    message({
      to,
      from: 'Grace Hopper <grace.hopper@partner.example.org>',
      subject: 'Automatic reply: Out of office',
      id: id('5'),
      headers: ['Auto-Submitted: auto-replied'],
      date: 'Tue, 01 Dec 2026 11:00:00 +0100',
      text: 'I am out of the office until Monday.',
    }),
  );
}
