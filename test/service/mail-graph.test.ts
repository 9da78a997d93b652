// The Microsoft Graph connector against a local stand-in for Entra ID and Graph: paging, move (or
// mark read) only after the message was recorded, the token cache kept encrypted on the mailbox, a
// refused authorisation → auth_error with one notice to the admins, and re-authorising.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueMailboxes } from '../../src/server/modules/mail/connect.repo.js';
import { fetchMailbox } from '../../src/server/modules/mail/connect.service.js';
import { GraphClient } from '../../src/server/modules/mail/graph.js';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { eml, type FakeGraph, startFakeGraph } from '../mail-servers.js';
import { insertMailbox, mailboxRow, updateMailbox } from '../mailbox-fixtures.js';

describe('Microsoft Graph mailboxes', () => {
  let h: Harness;
  let g: FakeGraph;
  let co: TestCompany;

  const graphMailbox = (extra: Parameters<typeof insertMailbox>[2] = {}) =>
    insertMailbox(h, co.id, {
      type: 'graph',
      name: 'Support (Microsoft 365)',
      address: g.mailbox,
      graphTenantId: g.tenantId,
      clientId: g.clientId,
      clientSecret: g.clientSecret,
      graphMailbox: g.mailbox,
      ...extra,
    });
  const inbound = (mailboxId: number) =>
    count(h, 'select count(*) from inbound_messages where tenant_id = $1 and mailbox_id = $2', [co.id, mailboxId]);
  const reset = () => {
    g.messages.length = 0;
    g.log.length = 0;
    g.rejectSecret = false;
    g.rejectTokens = false;
  };

  beforeAll(async () => {
    g = await startFakeGraph({ pageSize: 10 });
    h = await harness({ graphLoginUrl: g.loginUrl, graphApiUrl: g.graphUrl });
    co = await createCompany(h);
  });
  afterAll(async () => {
    await h?.close();
    await g?.close();
  });

  it('pages through the inbox and moves each message only after its ingest resolved', async () => {
    reset();
    for (let i = 0; i < 23; i++) g.deliver(eml({ subject: `Graph ${i}`, from: `Person ${i} <p${i}@example.org>` }).toString());
    const client = new GraphClient(
      { tenantId: g.tenantId, clientId: g.clientId, clientSecret: g.clientSecret, mailbox: g.mailbox, processedFolder: 'Steward' },
      { loginUrl: g.loginUrl, apiUrl: g.graphUrl },
      null,
    );
    const report = await client.drain(async (raw, ref) => {
      g.log.push(`SINK ${ref}`);
      expect(raw.toString()).toMatch(/^From: Person \d+/);
      return { result: 'created' };
    });
    expect(report).toMatchObject({ fetched: 23, waiting: 0 });
    // Three pages of at most 10, following @odata.nextLink.
    expect(g.log.filter((l) => l.endsWith('/mailFolders/inbox/messages'))).toHaveLength(3);
    // Every hand-over sits between the message's download and its move.
    g.log.forEach((line, i) => {
      if (!line.startsWith('SINK')) return;
      expect(g.log[i - 1]).toMatch(/^GET .*\/messages\/[^/]+\/\$value$/);
      expect(g.log[i + 1]).toMatch(/^POST .*\/messages\/[^/]+\/move$/);
    });
    const steward = g.folders.find((f) => f.displayName === 'Steward');
    expect(steward).toBeTruthy();
    expect(g.inFolder('AAMkInbox')).toHaveLength(0);
    expect(g.inFolder(steward?.id ?? '')).toHaveLength(23);
  });

  it('a fetch ingests every message once, marks them read, and keeps the token cache encrypted on the mailbox', async () => {
    reset();
    const id = await graphMailbox();
    for (let i = 0; i < 12; i++) g.deliver(eml({ subject: `Read mode ${i}` }).toString());
    const issued = g.tokensIssued;
    const outcome = await fetchMailbox(h.deps, co.id, id);
    expect(outcome).toMatchObject({ status: 'done', report: { fetched: 12, waiting: 0 } });
    expect(await inbound(id)).toBe(12);
    expect(g.messages.every((m) => m.isRead && m.folder === 'AAMkInbox')).toBe(true);
    const row = await mailboxRow(h, co.id, id);
    expect(row).toMatchObject({ lastError: null, waitingCount: 0, fetch: { state: 'ok' } });
    expect(row.lastFetchAt).not.toBeNull();
    expect(row.graphTokenEnc).toMatch(/^v1\./);
    expect(row.graphTokenEnc).not.toContain('eyJ0eXAiOiJKV1Qi');
    expect(row.graphTokenExpiresAt).not.toBeNull();
    expect(g.tokensIssued).toBe(issued + 1);

    // The next poll uses the cached token; the same messages delivered again are duplicates.
    for (const m of g.messages) m.isRead = false;
    const again = await fetchMailbox(h.deps, co.id, id);
    expect(again.report?.results).toEqual({ duplicate: 12 });
    expect(g.tokensIssued).toBe(issued + 1);
    expect(await inbound(id)).toBe(12);
  });

  it('a cached token Graph no longer takes is replaced once, without an auth error', async () => {
    reset();
    const id = await graphMailbox();
    g.deliver(eml({ subject: 'Before the key roll-over' }).toString());
    expect((await fetchMailbox(h.deps, co.id, id)).status).toBe('done');
    const issued = g.tokensIssued;
    g.revokeIssuedTokens();
    g.deliver(eml({ subject: 'After the key roll-over' }).toString());
    expect(await fetchMailbox(h.deps, co.id, id)).toMatchObject({ status: 'done', report: { fetched: 1 } });
    expect(g.tokensIssued).toBe(issued + 1);
    expect(await mailboxRow(h, co.id, id)).toMatchObject({ lastError: null, fetch: { state: 'ok' } });
  });

  it('test connection: ok with good credentials, the Entra ID error with a wrong secret, and nothing changes', async () => {
    reset();
    const good = await graphMailbox();
    const bad = await graphMailbox({ clientSecret: 'wrong-secret' });
    expect((await co.admin.client.post(`/api/v1/mailboxes/${good}/test`)).body).toEqual({ ok: true });
    const refused = await co.admin.client.post(`/api/v1/mailboxes/${bad}/test`);
    expect(refused.status).toBe(200);
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/AADSTS7000215/);
    expect(await mailboxRow(h, co.id, bad)).toMatchObject({ lastError: null, graphTokenEnc: null, fetch: null });
  });

  it('a refused authorisation: auth_error on the mailbox, one notice to the admins, no more fetching until re-authorised', async () => {
    reset();
    const admin2 = await createUser(h, co, { role: 'Admin' });
    const agent = await createUser(h, co, { role: 'Technician' });
    const id = await graphMailbox();
    g.deliver(eml({ subject: 'Waiting while broken' }).toString());
    // The consent was revoked: Graph answers 401 to the cached token, Entra ID refuses the secret.
    g.rejectTokens = true;
    g.rejectSecret = true;
    const outcome = await fetchMailbox(h.deps, co.id, id);
    expect(outcome.status).toBe('auth_error');
    const row = await mailboxRow(h, co.id, id);
    expect(row.lastError).toMatch(/^auth_error: /);
    expect(row.fetch?.state).toBe('auth_error');
    expect(g.messages[0].isRead).toBe(false);
    const notices = (userId: number) =>
      count(h, "select count(*) from notifications where tenant_id = $1 and user_id = $2 and event = 'mail.auth_error'", [co.id, userId]);
    expect(await notices(co.admin.id)).toBe(1);
    expect(await notices(admin2.id)).toBe(1);
    expect(await notices(agent.id)).toBe(0);
    const inbox = await co.admin.client.get('/api/v1/notifications');
    expect(JSON.stringify(inbox.body)).toContain('lost its authorisation');

    // Not scheduled, and a direct fetch does not hammer Entra ID nor notify again.
    const due = await h.deps.database.system(({ tx }) => dueMailboxes(tx));
    expect(due.some((m) => m.tenantId === co.id && m.id === id)).toBe(false);
    const tokenCalls = g.log.filter((l) => l.includes('/oauth2/v2.0/token')).length;
    expect((await fetchMailbox(h.deps, co.id, id)).status).toBe('skipped');
    expect(g.log.filter((l) => l.includes('/oauth2/v2.0/token')).length).toBe(tokenCalls);
    expect(await notices(co.admin.id)).toBe(1);

    // Re-authorising with the same (refused) secret fails and keeps the state.
    const still = await co.admin.client.post(`/api/v1/mailboxes/${id}/reauthorize`);
    expect(still.status).toBe(200);
    expect(still.body.ok).toBe(false);
    expect((await mailboxRow(h, co.id, id)).fetch?.state).toBe('auth_error');
    // Only a settings manager may re-authorise.
    expect((await agent.client.post(`/api/v1/mailboxes/${id}/reauthorize`)).status).toBe(403);

    // A new client secret is saved: re-authorise clears the error and the mailbox is fetched again.
    g.clientSecret = `secret~rotated-${Date.now()}`;
    g.rejectSecret = false;
    g.rejectTokens = false;
    await updateMailbox(h, co.id, id, { clientSecret: g.clientSecret });
    const fixed = await co.admin.client.post(`/api/v1/mailboxes/${id}/reauthorize`);
    expect(fixed.body).toEqual({ ok: true });
    expect(await mailboxRow(h, co.id, id)).toMatchObject({ lastError: null, fetch: { state: 'ok', failures: 0 } });
    const after = await fetchMailbox(h.deps, co.id, id);
    expect(after).toMatchObject({ status: 'done', report: { fetched: 1 } });
    expect(g.messages[0].isRead).toBe(true);
  });

  it('re-authorise is for Graph mailboxes only, and for this company only', async () => {
    const webhook = await insertMailbox(h, co.id, { type: 'webhook', address: 'forms@steward.test' });
    const notGraph = await co.admin.client.post(`/api/v1/mailboxes/${webhook}/reauthorize`);
    expect(notGraph.status).toBe(200);
    expect(notGraph.body).toMatchObject({ ok: false, error: expect.stringMatching(/Microsoft Graph/) });
    const other = await createCompany(h);
    const id = await graphMailbox();
    expect((await other.admin.client.post(`/api/v1/mailboxes/${id}/reauthorize`)).status).toBe(404);
  });

  it('mail from a Graph mailbox goes out through its sendMail, as MIME with our threading headers (no SMTP needed)', async () => {
    reset();
    g.sent.length = 0;
    // Its own address (the earlier tests' mailboxes share the stand-in's), read through the same Graph user.
    const id = await graphMailbox({ name: 'Graph outbound', address: 'graph-out@steward.test' });
    const mailId = await h.deps.database.withTenant(co.id, (scope) =>
      h.deps.mailer.queue(scope, co.id, {
        template: 'ticket.comment',
        to: 'requester@example.org',
        from: 'Support <Graph-Out@steward.test>',
        subject: '[#7] Re: Printer jam',
        text: 'We replaced the fuser.',
        inReplyTo: 'their-message@example.org',
        references: ['their-message@example.org'],
      }),
    );
    const [row] = (await h.deps.database.query<{ status: string; message_id: string }>('select status, message_id from mail_outbox where id = $1', [mailId])).rows;
    expect(row.status).toBe('pending');
    const deliver = h.deps.mailer.jobs().find((j) => j.name === 'mail.deliver');
    await deliver?.handler({ id: mailId });
    const [tried] = (await h.deps.database.query<{ last_error: string | null }>('select last_error from mail_outbox where id = $1', [mailId])).rows;
    expect(tried.last_error).toBeNull();
    expect(g.sent).toHaveLength(1);
    const mime = Buffer.from(String(g.sent[0]), 'base64').toString();
    expect(mime).toContain(`Message-ID: <${row.message_id}>`);
    expect(mime).toContain('In-Reply-To: <their-message@example.org>');
    expect(mime).toMatch(/^Subject: \[#7\] Re: Printer jam$/m);
    expect(mime).toMatch(/^From: Support <Graph-Out@steward.test>$/m);
    const [after] = (await h.deps.database.query<{ status: string }>('select status from mail_outbox where id = $1', [mailId])).rows;
    expect(after.status).toBe('sent');

    // Mail from any other address, with no SMTP server, stays in the outbox.
    const other = await h.deps.database.withTenant(co.id, (scope) =>
      h.deps.mailer.queue(scope, co.id, { template: 'ticket.comment', to: 'x@example.org', from: 'someone@else.example', subject: 's', text: 't' }),
    );
    await deliver?.handler({ id: other });
    const [kept] = (await h.deps.database.query<{ status: string }>('select status from mail_outbox where id = $1', [other])).rows;
    expect(kept.status).toBe('kept');
    expect(g.sent).toHaveLength(1);
    await updateMailbox(h, co.id, id, { active: false });
  });
});
