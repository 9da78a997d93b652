// The e-mail channel over HTTP: mailboxes (secrets never returned), the raw-MIME webhook and its
// answers, the mail settings, contacts, and the threads a conversation by mail and web makes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Client, type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { eml, newId } from '../mail-fixtures.js';

const RFC822 = { 'content-type': 'message/rfc822' };

describe('e-mail channel over HTTP', () => {
  let h: Harness;
  let acme: TestCompany;
  let anon: Client;
  let token: string;
  let mailboxId: string;

  beforeAll(async () => {
    h = await harness({ mailFrom: 'Steward <steward@acme.test>' });
    acme = await createCompany(h);
    anon = h.client();
    const res = await acme.admin.client.post('/api/v1/mailboxes', { type: 'webhook', name: 'Help desk', address: 'help@acme.test' });
    expect(res.status).toBe(201);
    mailboxId = res.body.mailbox.id;
    token = String(res.body.mailbox.webhookUrl).split('/').pop() as string;
  });
  afterAll(() => h.close());

  const send = (raw: Buffer, t = token) => anon.request('POST', `/api/v1/inbound/${t}`, raw, RFC822);
  const outboxOf = async (to: string) =>
    (
      await h.deps.database.query<{
        subject: string;
        message_id: string;
        in_reply_to: string | null;
        references: string[];
        headers: Record<string, string>;
        from_address: string | null;
        template: string;
      }>(
        `select subject, message_id, in_reply_to, "references", headers, from_address, template from mail_outbox where tenant_id = $1 and lower("to") = lower($2) order by id`,
        [acme.id, to],
      )
    ).rows;

  it('an IMAP mailbox keeps its password encrypted and never returns it', async () => {
    const res = await acme.admin.client.post('/api/v1/mailboxes', {
      type: 'imap',
      name: 'IMAP',
      address: 'imap@acme.test',
      host: 'mail.acme.test',
      port: 993,
      secure: true,
      username: 'help',
      password: 'hunter2-secret',
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(res.body.mailbox).toMatchObject({ type: 'imap', host: 'mail.acme.test', hasSecret: true });
    const { rows } = await h.deps.database.query<{ password_enc: string }>('select password_enc from mailboxes where id = $1', [
      Number(res.body.mailbox.id),
    ]);
    expect(rows[0].password_enc).not.toContain('hunter2');
    const got = await acme.admin.client.get(`/api/v1/mailboxes/${res.body.mailbox.id}`);
    expect(JSON.stringify(got.body)).not.toContain('hunter2');
    const bad = await acme.admin.client.patch(`/api/v1/mailboxes/${res.body.mailbox.id}`, { clientSecret: 'x' });
    expect(bad.status).toBe(400);
    expect((await acme.admin.client.patch(`/api/v1/mailboxes/${res.body.mailbox.id}`, { password: 'hunter3-secret' })).status).toBe(200);
    expect((await acme.admin.client.delete(`/api/v1/mailboxes/${res.body.mailbox.id}`)).status).toBe(204);
    // Audited (which fields changed), never with the secret.
    const audit = await h.deps.database.query<{ action: string; details: unknown }>(
      `select action, details from audit_log where tenant_id = $1 and target_type = 'mailbox' and target_id = $2 order by id`,
      [acme.id, String(res.body.mailbox.id)],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['mailbox.created', 'mailbox.updated', 'mailbox.deleted']);
    expect(JSON.stringify(audit.rows)).not.toMatch(/hunter/);
  });

  it('the webhook answers 404 for an unknown token and for an inactive mailbox', async () => {
    expect((await send(eml({}), 'no-such-token')).status).toBe(404);
    const box = await acme.admin.client.post('/api/v1/mailboxes', {
      type: 'webhook',
      name: 'Off',
      address: 'off@acme.test',
      active: false,
    });
    const t = String(box.body.mailbox.webhookUrl).split('/').pop() as string;
    const res = await send(eml({}), t);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('a thread of five messages across mail and web replies stays on one ticket', async () => {
    const requester = 'carol@client.example';
    const m1 = newId();
    const first = await send(eml({ from: `Carol <${requester}>`, messageId: m1, subject: 'Heating broken in room 12' }));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ result: 'created' });
    const n = first.body.ticketNumber as number;
    // The acknowledgement to Carol carries our Message-ID, In-Reply-To her message and [#n].
    const [ack] = await outboxOf(requester);
    expect(ack).toMatchObject({ in_reply_to: m1, from_address: 'help@acme.test' });
    expect(ack.subject).toContain(`[#${n}]`);
    expect(ack.headers['Auto-Submitted']).toBe('auto-generated');
    // 2: Carol replies to our acknowledgement (threads by our own Message-ID).
    const m2 = newId();
    const second = await send(
      eml({
        from: requester,
        messageId: m2,
        inReplyTo: ack.message_id,
        references: [m1, ack.message_id],
        subject: `Re: [#${n}] Heating broken`,
      }),
    );
    expect(second.body).toMatchObject({ result: 'appended', ticketNumber: n });
    // 3: a web reply from staff goes to Carol threaded.
    const web = await acme.admin.client.post(`/api/v1/tickets/${n}/comments`, { body: 'A technician comes at 3 pm.' });
    expect(web.status).toBe(201);
    const mails = await outboxOf(requester);
    const reply = mails.at(-1) as (typeof mails)[number];
    expect(reply.subject).toContain(`[#${n}]`);
    expect(reply.in_reply_to).toBe(m2);
    expect(reply.references).toEqual(expect.arrayContaining([m1, m2]));
    expect(reply.headers['Auto-Submitted']).toBeUndefined();
    // 4: Carol answers the web reply.
    const m4 = newId();
    const fourth = await send(
      eml({ from: requester, messageId: m4, inReplyTo: reply.message_id, subject: 'Re: whatever the client made of it' }),
    );
    expect(fourth.body).toMatchObject({ result: 'appended', ticketNumber: n });
    // 5: a colleague CC'd on the first message answers all (threads by the first Message-ID).
    const fifth = await send(
      eml({
        from: 'Dan <dan@client.example>',
        messageId: newId(),
        inReplyTo: m1,
        references: [m1],
        subject: 'Re: Heating broken in room 12',
      }),
    );
    expect(fifth.body).toMatchObject({ result: 'appended', ticketNumber: n });
    const comments = await acme.admin.client.get(`/api/v1/tickets/${n}/comments`);
    expect(comments.body.items).toHaveLength(4);
    const byMail = comments.body.items.filter((c: { email?: unknown }) => c.email);
    expect(byMail).toHaveLength(3);
    expect(byMail[0].email).toMatchObject({ from: expect.stringContaining(requester), messageId: m2 });
    const raw = await acme.admin.client.get(byMail[0].email.rawUrl);
    expect(raw.status).toBe(200);
    expect(String(raw.body)).toContain(`Message-ID: <${m2}>`);
  });

  it('an out-of-office answer to our acknowledgement is ignored: the storm stops after one message', async () => {
    const who = 'ooo@client.example';
    const first = await send(eml({ from: who, subject: 'Need a new badge' }));
    const [ack] = await outboxOf(who);
    const auto = await send(
      eml({
        from: who,
        inReplyTo: ack.message_id,
        subject: `Automatic reply: [#${first.body.ticketNumber}] Need a new badge`,
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    expect(auto.body).toEqual({ result: 'ignored', reason: 'auto_reply' });
    expect(await outboxOf(who)).toHaveLength(1);
    const comments = await acme.admin.client.get(`/api/v1/tickets/${first.body.ticketNumber}/comments`);
    expect(comments.body.items).toHaveLength(0);
  });

  it('the same message to two mailboxes makes one ticket; twice is a duplicate', async () => {
    const other = await acme.admin.client.post('/api/v1/mailboxes', { type: 'webhook', name: 'IT', address: 'it@acme.test' });
    const t2 = String(other.body.mailbox.webhookUrl).split('/').pop() as string;
    const raw = eml({ from: 'erin@client.example', to: 'help@acme.test, it@acme.test', subject: 'Monitor flickers' });
    const a = await send(raw);
    const b = await send(raw, t2);
    expect(a.body.result).toBe('created');
    expect(b.body).toMatchObject({ result: 'duplicate', ticketNumber: a.body.ticketNumber });
    expect(await count(h, `select count(*) from tickets where tenant_id = $1 and title = 'Monitor flickers'`, [acme.id])).toBe(1);
  });

  it('reopens within reopenDays, and opens a new linked ticket after', async () => {
    const who = 'frank@client.example';
    const m1 = newId();
    const first = await send(eml({ from: who, messageId: m1, subject: 'Door lock' }));
    const n = first.body.ticketNumber;
    await h.deps.database.query(`update tickets set status = 'resolved', resolved_at = now() where tenant_id = $1 and number = $2`, [
      acme.id,
      n,
    ]);
    const again = await send(eml({ from: who, inReplyTo: m1, subject: 'Re: Door lock' }));
    expect(again.body).toEqual({ result: 'reopened', ticketNumber: n });
    const t = await acme.admin.client.get(`/api/v1/tickets/${n}`);
    expect(t.body.ticket.status).toBe('in_progress');
    await h.deps.database.query(
      `update tickets set status = 'closed', closed_at = now() - interval '30 days' where tenant_id = $1 and number = $2`,
      [acme.id, n],
    );
    const late = await send(eml({ from: who, inReplyTo: m1, subject: 'Re: Door lock' }));
    expect(late.body).toMatchObject({ result: 'created', linkedTicketNumber: n });
    const linked = await acme.admin.client.get(`/api/v1/tickets/${late.body.ticketNumber}`);
    expect(linked.body.ticket.relatedTickets.map((r: { number: number }) => r.number)).toEqual([n]);
    const old = await acme.admin.client.get(`/api/v1/tickets/${n}`);
    expect(old.body.ticket.relatedTickets.map((r: { number: number }) => r.number)).toEqual([late.body.ticketNumber]);
  });

  it('[#number] in the subject threads for the ticket contact; the subject alone never does', async () => {
    const who = 'gina@client.example';
    const first = await send(eml({ from: who, subject: 'Projector bulb' }));
    const n = first.body.ticketNumber;
    const byNumber = await send(eml({ from: who, subject: `Re: [#${n}] Projector bulb` }));
    expect(byNumber.body).toEqual({ result: 'appended', ticketNumber: n });
    const stranger = await send(eml({ from: 'mallory@elsewhere.example', subject: `Re: [#${n}] Projector bulb` }));
    expect(stranger.body.result).toBe('created');
    const subjectOnly = await send(eml({ from: who, subject: 'Re: Projector bulb' }));
    expect(subjectOnly.body.result).toBe('created');
  });

  it('a user who writes in is the requester; loops, bounces and bulk are ignored with their reason', async () => {
    const user = await createUser(h, acme, { role: 'Requester' });
    const mine = await send(eml({ from: user.email, subject: 'Laptop slow' }));
    const t = await acme.admin.client.get(`/api/v1/tickets/${mine.body.ticketNumber}`);
    expect(t.body.ticket).toMatchObject({ source: 'email', requester: { id: String(user.id) }, contact: null });
    expect((await send(eml({ from: 'help@acme.test' }))).body).toEqual({ result: 'ignored', reason: 'loop' });
    expect((await send(eml({ from: 'MAILER-DAEMON@mx.example' }))).body).toEqual({ result: 'ignored', reason: 'bounce' });
    expect((await send(eml({ headers: { Precedence: 'bulk' } }))).body).toEqual({ result: 'ignored', reason: 'bulk' });
    expect((await send(eml({ headers: { 'X-Autoreply': 'yes' } }))).body).toEqual({ result: 'ignored', reason: 'auto_reply' });
    expect((await send(eml({ headers: { 'Auto-Submitted': 'no' }, subject: 'Auto-Submitted no is a person' }))).body.result).toBe(
      'created',
    );
  });

  it('allowed domains and the deny list; the settings answer their shape and refuse bad input', async () => {
    const bad = await acme.admin.client.patch('/api/v1/settings/mail', { maxMessageMb: 0 });
    expect(bad.status).toBe(400);
    const res = await acme.admin.client.patch('/api/v1/settings/mail', {
      allowedDomains: ['partner.example'],
      denySenders: ['spam@partner.example'],
    });
    expect(res.status).toBe(200);
    expect(res.body.settings).toEqual({
      allowedDomains: ['partner.example'],
      denySenders: ['spam@partner.example'],
      maxMessageMb: 25,
      reopenDays: 14,
    });
    expect((await send(eml({ from: 'x@other.example' }))).body).toEqual({ result: 'ignored', reason: 'sender_not_allowed' });
    expect((await send(eml({ from: 'spam@partner.example' }))).body).toEqual({ result: 'ignored', reason: 'sender_not_allowed' });
    expect((await send(eml({ from: 'ok@partner.example' }))).body.result).toBe('created');
    await acme.admin.client.patch('/api/v1/settings/mail', { allowedDomains: [], denySenders: [] });
  });

  it('a sender over the hourly limit is rate limited', async () => {
    await h.deps.database.query(
      'insert into mail_settings (tenant_id, sender_hourly_limit) values ($1, 3) on conflict (tenant_id) do update set sender_hourly_limit = 3',
      [acme.id],
    );
    const who = 'flood@client.example';
    for (let i = 0; i < 3; i++) expect((await send(eml({ from: who, subject: `flood ${i}` }))).body.result).toBe('created');
    expect((await send(eml({ from: who, subject: 'flood 4' }))).body).toEqual({ result: 'ignored', reason: 'rate_limited' });
    await h.deps.database.query('update mail_settings set sender_hourly_limit = 30 where tenant_id = $1', [acme.id]);
  });

  it('over the size limit: 413, the refusal shows on the mailbox and the sender gets a bounce', async () => {
    await acme.admin.client.patch('/api/v1/settings/mail', { maxMessageMb: 1 });
    const big = eml({ from: 'henry@client.example', subject: 'Huge scan', text: 'x'.repeat(1024 * 1024 + 10) });
    const res = await send(big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
    const list = await acme.admin.client.get(`/api/v1/mailboxes/${mailboxId}/messages?result=ignored`);
    expect(list.body.items[0]).toMatchObject({ from: 'henry@client.example', subject: 'Huge scan', reason: 'too_large' });
    const [bounce] = await outboxOf('henry@client.example');
    expect(bounce.template).toBe('mail.refused_too_large');
    expect(bounce.headers['Auto-Submitted']).toBe('auto-replied');
    await acme.admin.client.patch('/api/v1/settings/mail', { maxMessageMb: 25 });
  });

  it('contacts are listed and turned into users who then own their tickets', async () => {
    const list = await acme.admin.client.get('/api/v1/contacts?q=carol');
    expect(list.status).toBe(200);
    const carol = list.body.items.find((c: { email: string }) => c.email === 'carol@client.example');
    expect(carol).toMatchObject({ name: 'Carol', user: null });
    const conv = await acme.admin.client.post(`/api/v1/contacts/${carol.id}/convert`, {});
    expect(conv.status).toBe(200);
    expect(conv.body.contact.user).toMatchObject({ name: 'Carol' });
    expect(
      await count(h, `select count(*) from tickets where tenant_id = $1 and requester_id = $2`, [acme.id, Number(conv.body.user.id)]),
    ).toBeGreaterThan(0);
    expect((await acme.admin.client.post(`/api/v1/contacts/${carol.id}/convert`, {})).status).toBe(409);
  });

  it('bad input gets the error shape and changes nothing', async () => {
    const before = await count(h, 'select count(*) from inbound_messages where tenant_id = $1', [acme.id]);
    const json = await anon.request('POST', `/api/v1/inbound/${token}`, { raw: 'not mime' });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('unsupported_media_type');
    const empty = await anon.request('POST', `/api/v1/inbound/${token}`, Buffer.alloc(0), RFC822);
    expect(empty.status).toBeGreaterThanOrEqual(400);
    expect(empty.status).toBeLessThan(500);
    expect(await count(h, 'select count(*) from inbound_messages where tenant_id = $1', [acme.id])).toBe(before);
    const bad = await acme.admin.client.post('/api/v1/mailboxes', { type: 'imap', name: 'No host', address: 'x@acme.test' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation');
    const unknownField = await acme.admin.client.patch(`/api/v1/mailboxes/${mailboxId}`, { host: 'imap.acme.test' });
    expect(unknownField.status).toBe(400);
    const box = await acme.admin.client.get(`/api/v1/mailboxes/${mailboxId}`);
    expect(box.body.mailbox.version).toBe(1);
    const other = await createCompany(h);
    expect((await other.admin.client.get(`/api/v1/mailboxes/${mailboxId}`)).status).toBe(404);
    expect((await acme.admin.client.get('/api/v1/mail/messages/999999/raw')).status).toBe(404);
  });

  it('a requester may read the original of a message on their own ticket only', async () => {
    const user = await createUser(h, acme, { role: 'Requester' });
    const mine = await send(eml({ from: user.email, subject: 'My chair is broken' }));
    const list = await acme.admin.client.get(`/api/v1/mailboxes/${mailboxId}/messages?limit=200`);
    const msg = list.body.items.find((m: { ticketNumber: number | null }) => m.ticketNumber === mine.body.ticketNumber);
    expect((await user.client.get(msg.rawUrl)).status).toBe(200);
    const someoneElse = list.body.items.find(
      (m: { ticketNumber: number | null; rawUrl: string | null }) =>
        m.ticketNumber && m.ticketNumber !== mine.body.ticketNumber && m.rawUrl,
    );
    expect((await user.client.get(someoneElse.rawUrl)).status).toBe(404);
  });

  it("a user's reply to our own notification about their web ticket lands on it", async () => {
    const user = await createUser(h, acme, { role: 'Requester' });
    const opened = await user.client.post('/api/v1/tickets', {
      kind: 'incident',
      title: 'Desk lamp flickers',
      description: 'Since Monday.',
    });
    expect(opened.status).toBe(201);
    const n = opened.body.ticket.number as number;
    const status = await acme.admin.client.post(`/api/v1/tickets/${n}/status`, { status: 'in_progress' });
    expect(status.status).toBe(200);
    const notices = await outboxOf(user.email);
    const notice = notices.at(-1) as (typeof notices)[number];
    expect(notice.subject).toContain(`[#${n}]`);
    expect(notice.headers['Auto-Submitted']).toBe('auto-generated');
    expect(notice.message_id).toBeTruthy();
    const reply = await send(eml({ from: user.email, inReplyTo: notice.message_id, subject: 'Re: your notification' }));
    expect(reply.body).toEqual({ result: 'appended', ticketNumber: n });
    // The web ticket's conversation shows that reply as one that came by mail.
    const comments = await acme.admin.client.get(`/api/v1/tickets/${n}/comments`);
    expect(comments.body.items.at(-1).email).toMatchObject({ from: user.email });
  });

  it('an HTML message shows as sanitised rich text until the description is edited', async () => {
    const res = await send(
      eml({
        from: 'jo@client.example',
        subject: 'Rich',
        text: 'plain version',
        html: '<p>The <b>fan</b> is loud<script>alert(1)</script></p>',
      }),
    );
    const n = res.body.ticketNumber;
    const t = await acme.admin.client.get(`/api/v1/tickets/${n}`);
    expect(t.body.ticket.descriptionHtml).toContain('<b>fan</b>');
    expect(t.body.ticket.descriptionHtml).not.toContain('script');
    expect(t.body.ticket.description).toBe('plain version');
    const edit = await acme.admin.client.request(
      'PATCH',
      `/api/v1/tickets/${n}`,
      { description: 'Edited by staff' },
      { 'if-match': String(t.body.ticket.version) },
    );
    expect(edit.status).toBe(200);
    const after = await acme.admin.client.get(`/api/v1/tickets/${n}`);
    expect(after.body.ticket.descriptionHtml).toContain('Edited by staff');
  });

  it('reopenDays 0 never reopens: a reply to a resolved ticket opens a new, linked one', async () => {
    expect((await acme.admin.client.patch('/api/v1/settings/mail', { reopenDays: 0 })).status).toBe(200);
    const m1 = newId();
    const first = await send(eml({ from: 'kim@client.example', messageId: m1, subject: 'Window stuck' }));
    const n = first.body.ticketNumber;
    await h.deps.database.query(`update tickets set status = 'resolved', resolved_at = now() where tenant_id = $1 and number = $2`, [
      acme.id,
      n,
    ]);
    const reply = await send(eml({ from: 'kim@client.example', inReplyTo: m1, subject: 'Re: Window stuck' }));
    expect(reply.body).toMatchObject({ result: 'created', linkedTicketNumber: n });
    const old = await acme.admin.client.get(`/api/v1/tickets/${n}`);
    expect(old.body.ticket.status).toBe('resolved');
    await acme.admin.client.patch('/api/v1/settings/mail', { reopenDays: 14 });
  });
});
