// The IMAP connector against a real Dovecot: drain in order, each message handed over once and
// flagged (or moved) only after the sink resolved, IDLE picks up new mail, a refused login shows on
// the test endpoint and on the mailbox, one worker per mailbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dueMailboxes } from '../../src/server/modules/mail/connect.repo.js';
import { fetchMailbox } from '../../src/server/modules/mail/connect.service.js';
import { type ImapSettings, INGEST_PARALLEL, type MailSink, runImapSession, testImap } from '../../src/server/modules/mail/imap.js';
import { createCompany, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count } from '../helpers.js';
import { insertMailbox, mailboxRow, updateMailbox } from '../mailbox-fixtures.js';
import { type Dovecot, type DovecotUser, eml, HAS_DOVECOT, NO_DOVECOT, startDovecot } from '../mail-servers.js';

if (!HAS_DOVECOT) console.warn(`mail-imap: skipped: ${NO_DOVECOT}`);

describe.skipIf(!HAS_DOVECOT)('IMAP mailboxes (Dovecot)', () => {
  let h: Harness;
  let co: TestCompany;
  let dovecot: Dovecot;
  const users: DovecotUser[] = Array.from({ length: 6 }, (_, i) => ({ user: `box${i}@steward.test`, password: `pw-${i}-secret` }));
  const settings = (u: DovecotUser, extra: Partial<ImapSettings> = {}): ImapSettings => ({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    username: u.user,
    password: u.password,
    folder: 'INBOX',
    processedFolder: null,
    ...extra,
  });
  const mailbox = (u: DovecotUser, extra: Parameters<typeof insertMailbox>[2] = {}) =>
    insertMailbox(h, co.id, {
      type: 'imap',
      address: u.user,
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: u.user,
      password: u.password,
      folder: 'INBOX',
      ...extra,
    });

  beforeAll(async () => {
    [h, dovecot] = await Promise.all([harness(), startDovecot(users)]);
    co = await createCompany(h);
  });
  afterAll(async () => {
    await dovecot?.stop();
    await h?.close();
  });

  it('hands each message over once, in order, and sets \\Seen only after the sink resolved', async () => {
    const u = users[0];
    const ids = Array.from({ length: 5 }, (_, i) => `<order-${i}@example.org>`);
    await dovecot.deliver(
      u,
      ids.map((id, i) => eml({ messageId: id, subject: `Message ${i}` })),
    );
    const got: string[] = [];
    const seenAtHandOver: number[] = [];
    const sink: MailSink = async (raw, ref) => {
      seenAtHandOver.push((await dovecot.count(u)).seen);
      got.push(/^Message-ID: (.+)$/m.exec(raw.toString())?.[1].trim() ?? '');
      expect(ref).toMatch(/^imap:\d+:\d+$/);
      return { result: 'created' };
    };
    // One at a time (parallel: 1): the hand-over order and the flags between are exact.
    const report = await runImapSession(settings(u), sink, { watchMs: 0, parallel: 1 });
    expect(got).toEqual(ids);
    // When message n was handed over, exactly the n before it were flagged.
    expect(seenAtHandOver).toEqual([0, 1, 2, 3, 4]);
    expect(report).toMatchObject({ fetched: 5, waiting: 0, results: { created: 5 } });
    expect(await dovecot.count(u)).toEqual({ total: 5, seen: 5 });
    // A second session finds nothing to do.
    const again = await runImapSession(settings(u), sink, { watchMs: 0 });
    expect(again.fetched).toBe(0);
  });

  it('by default ingests several messages at once: each once, \\Seen after its own sink, a reply after what it answers', async () => {
    const u = users[0];
    const parent = `<parallel-parent-${Date.now()}@example.org>`;
    const others = Array.from({ length: 6 }, (_, i) => `<parallel-${i}-${Date.now()}@example.org>`);
    await dovecot.deliver(u, [
      eml({ messageId: parent, subject: 'Parent' }),
      eml({ messageId: `<parallel-reply-${Date.now()}@example.org>`, subject: 'Re: Parent', headers: { 'In-Reply-To': parent } }),
      ...others.map((id, i) => eml({ messageId: id, subject: `Other ${i}` })),
    ]);
    const before = (await dovecot.count(u)).seen;
    const got: string[] = [];
    let inFlight = 0;
    let most = 0;
    let resolved = 0;
    let parentDone = false;
    let replyStartedAfterParent: boolean | null = null;
    const flaggedTooEarly: number[] = [];
    const sink: MailSink = async (raw) => {
      const subject = /^Subject: (.+)$/m.exec(raw.toString())?.[1].trim() ?? '';
      got.push(subject);
      if (subject === 'Re: Parent') replyStartedAfterParent = parentDone;
      inFlight++;
      most = Math.max(most, inFlight);
      // Flagged at hand-over: never more than the messages whose sink resolved.
      const seen = (await dovecot.count(u)).seen - before;
      if (seen > resolved) flaggedTooEarly.push(seen);
      // Wait (bounded) for a second message to arrive beside this one.
      for (let i = 0; i < 100 && inFlight < 2 && got.length < 8; i++) await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      resolved++;
      if (subject === 'Parent') parentDone = true;
      return { result: 'created' };
    };
    const report = await runImapSession(settings(u), sink, { watchMs: 0 });
    expect(report).toMatchObject({ fetched: 8, waiting: 0, results: { created: 8 } });
    expect([...got].sort()).toEqual(['Other 0', 'Other 1', 'Other 2', 'Other 3', 'Other 4', 'Other 5', 'Parent', 'Re: Parent']);
    expect(INGEST_PARALLEL).toBeGreaterThan(1);
    expect(most).toBeGreaterThan(1);
    expect(replyStartedAfterParent).toBe(true);
    expect(flaggedTooEarly).toEqual([]);
    expect((await dovecot.count(u)).seen - before).toBe(8);
  });

  it('leaves a message unflagged when the sink fails (the database did not commit)', async () => {
    const u = users[1];
    await dovecot.deliver(u, [eml(), eml()]);
    let calls = 0;
    const failing: MailSink = async () => {
      calls++;
      throw new Error('database unavailable');
    };
    await expect(runImapSession(settings(u), failing, { watchMs: 5000 })).rejects.toThrow(/could not be recorded/);
    expect(calls).toBe(1);
    expect(await dovecot.count(u)).toEqual({ total: 2, seen: 0 });
  });

  it('moves handled messages to the processed folder (created on first use)', async () => {
    const u = users[2];
    await dovecot.deliver(u, [eml(), eml(), eml()]);
    const report = await runImapSession(settings(u, { processedFolder: 'Processed' }), async () => ({ result: 'created' }), { watchMs: 0 });
    expect(report.fetched).toBe(3);
    expect((await dovecot.count(u)).total).toBe(0);
    expect((await dovecot.count(u, 'Processed')).total).toBe(3);
  });

  it('picks up a message that arrives during the session through IDLE', async () => {
    const u = users[3];
    await dovecot.deliver(u, [eml({ subject: 'before' })]);
    const subjects: string[] = [];
    const stop = new AbortController();
    let delivered = false;
    const report = await runImapSession(
      settings(u),
      async (raw) => {
        subjects.push(/^Subject: (.+)$/m.exec(raw.toString())?.[1].trim() ?? '');
        if (subjects.length === 2) stop.abort();
        return { result: 'created' };
      },
      {
        // Polling would wait 10 minutes: only IDLE can bring the second message within the session.
        watchMs: 45_000,
        pollMs: 600_000,
        signal: stop.signal,
        onDrain: async () => {
          if (delivered) return;
          delivered = true;
          setTimeout(() => void dovecot.deliver(u, [eml({ subject: 'during' })]), 300);
        },
      },
    );
    expect(subjects).toEqual(['before', 'during']);
    expect(report.fetched).toBe(2);
  });

  it('reconnects with backoff when the server drops the session, and goes on draining', async () => {
    const u = users[3];
    const subjects: string[] = [];
    const stop = new AbortController();
    let drains = 0;
    await runImapSession(
      settings(u),
      async (raw) => {
        subjects.push(/^Subject: (.+)$/m.exec(raw.toString())?.[1].trim() ?? '');
        if (subjects.includes('after the cut')) stop.abort();
        return { result: 'created' };
      },
      {
        watchMs: 45_000,
        pollMs: 600_000,
        signal: stop.signal,
        onDrain: async () => {
          drains++;
          if (drains !== 1) return;
          // The server cuts the session; mail arrives while the connector is away.
          setTimeout(() => {
            dovecot.kick(u);
            void dovecot.deliver(u, [eml({ subject: 'after the cut' })]);
          }, 300);
        },
      },
    );
    expect(subjects).toContain('after the cut');
    expect(drains).toBeGreaterThanOrEqual(2);
    expect((await dovecot.count(u)).seen).toBe((await dovecot.count(u)).total);
  });

  it('a fetch runs every message through the pipeline once and records the mailbox status', async () => {
    const u = users[4];
    const id = await mailbox(u);
    await dovecot.deliver(
      u,
      Array.from({ length: 5 }, (_, i) => eml({ subject: `Pipeline ${i}`, from: `Requester ${i} <req${i}@example.org>` })),
    );
    const outcome = await fetchMailbox(h.deps, co.id, id);
    expect(outcome.status).toBe('done');
    expect(outcome.report?.fetched).toBe(5);
    expect(await count(h, 'select count(*) from inbound_messages where tenant_id = $1 and mailbox_id = $2', [co.id, id])).toBe(5);
    expect(await dovecot.count(u)).toEqual({ total: 5, seen: 5 });
    const row = await mailboxRow(h, co.id, id);
    expect(row.lastFetchAt).not.toBeNull();
    expect(row.lastError).toBeNull();
    expect(row.waitingCount).toBe(0);
    expect(row.fetch).toMatchObject({ state: 'ok', failures: 0, leaseOwner: null });

    // The same messages fetched again (the flags lost, as after a crash) are duplicates, not new rows.
    const c = await dovecot.open(u);
    await c.mailboxOpen('INBOX');
    await c.messageFlagsRemove('1:*', ['\\Seen']);
    await c.logout();
    const again = await fetchMailbox(h.deps, co.id, id);
    expect(again.report?.results).toEqual({ duplicate: 5 });
    expect(await count(h, 'select count(*) from inbound_messages where tenant_id = $1 and mailbox_id = $2', [co.id, id])).toBe(5);
  });

  it('a wrong password: the test endpoint says so, the fetch records it on the mailbox and backs off', async () => {
    const u = users[5];
    const id = await mailbox(u, { password: 'not-the-password' });
    const test = await co.admin.client.post(`/api/v1/mailboxes/${id}/test`);
    expect(test.status).toBe(200);
    expect(test.body.ok).toBe(false);
    expect(test.body.error).toMatch(/Login failed/i);
    // The test changed nothing.
    expect((await mailboxRow(h, co.id, id)).lastError).toBeNull();

    const outcome = await fetchMailbox(h.deps, co.id, id);
    expect(outcome.status).toBe('error');
    const row = await mailboxRow(h, co.id, id);
    expect(row.lastError).toMatch(/Login failed/i);
    expect(row.lastErrorAt).not.toBeNull();
    expect(row.fetch).toMatchObject({ state: 'error', failures: 1, leaseOwner: null });
    expect(row.fetch?.nextAttemptAt).not.toBeNull();
    // Backing off: the schedule does not queue it again yet.
    const isDue = async () => (await h.deps.database.system(({ tx }) => dueMailboxes(tx))).some((m) => m.id === id && m.tenantId === co.id);
    expect(await isDue()).toBe(false);

    // The right password is saved: the mailbox is due again at once (no waiting out the backoff),
    // the test passes, and the next fetch clears the error.
    await updateMailbox(h, co.id, id, { password: u.password });
    expect(await isDue()).toBe(true);
    expect((await co.admin.client.post(`/api/v1/mailboxes/${id}/test`)).body).toEqual({ ok: true });
    expect((await fetchMailbox(h.deps, co.id, id)).status).toBe('done');
    expect(await mailboxRow(h, co.id, id)).toMatchObject({ lastError: null, fetch: { state: 'ok', failures: 0 } });
    expect(await isDue()).toBe(true);
  });

  it('one worker per mailbox: a second fetch while one holds the lease is turned away', async () => {
    const u = users[0];
    const id = await mailbox(u);
    await dovecot.deliver(u, [eml()]);
    const first = fetchMailbox(h.deps, co.id, id, { watchMs: 3000 });
    // The first fetch has taken the lease once its first drain recorded the status.
    for (let i = 0; i < 100 && !(await mailboxRow(h, co.id, id)).lastFetchAt; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await fetchMailbox(h.deps, co.id, id)).status).toBe('busy');
    expect((await first).status).toBe('done');
    expect((await fetchMailbox(h.deps, co.id, id)).status).toBe('done');
  });

  it('a long drain keeps its lease and its waiting count current, and stops when the lease is taken from it', async () => {
    const u = users[1];
    const c = await dovecot.open(u);
    await c.mailboxOpen('INBOX');
    await c.messageFlagsAdd('1:*', ['\\Seen']);
    await c.logout();
    const before = (await dovecot.count(u)).total;
    await dovecot.deliver(
      u,
      Array.from({ length: 200 }, (_, i) => eml({ from: `Long ${i} <long${i}@example.org>`, subject: `Long drain ${i}` })),
    );
    const id = await mailbox(u);
    const running = fetchMailbox(h.deps, co.id, id);
    // Once the first progress mark (50) has passed, another worker takes the lease.
    for (;;) {
      const seen = (await dovecot.count(u)).seen - before;
      if (seen > 55) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await h.deps.database.query("update mailbox_fetch_state set lease_owner = 'another-worker' where tenant_id = $1 and mailbox_id = $2", [
      co.id,
      id,
    ]);
    expect((await running).status).toBe('busy');
    const handled = (await dovecot.count(u)).seen - before;
    // The drain stops at the 100 mark; the messages already in flight then (INGEST_PARALLEL at once) finish and are flagged.
    expect(handled).toBeGreaterThanOrEqual(100);
    expect(handled).toBeLessThan(100 + INGEST_PARALLEL);
    const row = await mailboxRow(h, co.id, id);
    // The waiting count of the 50 mark; the lease (and the status) stay the other worker's.
    expect(row.waitingCount).toBeGreaterThan(150 - INGEST_PARALLEL);
    expect(row.waitingCount).toBeLessThanOrEqual(150);
    expect(row.fetch?.leaseOwner).toBe('another-worker');
    expect(row.lastError).toBeNull();
  });

  it('only a settings manager of the company may test a mailbox', async () => {
    const other = await createCompany(h);
    const id = await mailbox(users[0]);
    expect((await other.admin.client.post(`/api/v1/mailboxes/${id}/test`)).status).toBe(404);
    const tech = await createUser(h, co, { role: 'Technician' });
    const refused = await tech.client.post(`/api/v1/mailboxes/${id}/test`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect((await co.admin.client.post('/api/v1/mailboxes/not-a-number/test')).status).toBe(400);
    expect((await co.admin.client.post('/api/v1/mailboxes/999999999/test')).status).toBe(404);
  });
});

describe.skipIf(!HAS_DOVECOT)('an IMAP server without IDLE', () => {
  let dovecot: Dovecot;
  const u: DovecotUser = { user: 'poll@steward.test', password: 'poll-password' };
  beforeAll(async () => {
    dovecot = await startDovecot([u], { noIdle: true });
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('is polled: a message that arrives during the session is picked up by the next poll', async () => {
    const c = await dovecot.open(u);
    expect(c.capabilities.has('IDLE')).toBe(false);
    await c.logout();
    const subjects: string[] = [];
    const stop = new AbortController();
    let drains = 0;
    await runImapSession(
      {
        host: dovecot.host,
        port: dovecot.port,
        secure: false,
        username: u.user,
        password: u.password,
        folder: 'INBOX',
        processedFolder: null,
      },
      async (raw) => {
        subjects.push(/^Subject: (.+)$/m.exec(raw.toString())?.[1].trim() ?? '');
        stop.abort();
        return { result: 'created' };
      },
      {
        watchMs: 45_000,
        pollMs: 500,
        signal: stop.signal,
        onDrain: async () => {
          drains++;
          if (drains === 1) await dovecot.deliver(u, [eml({ subject: 'polled' })]);
        },
      },
    );
    expect(subjects).toEqual(['polled']);
    expect(drains).toBeGreaterThanOrEqual(2);
    expect(await dovecot.count(u)).toEqual({ total: 1, seen: 1 });
  });
});

describe.skipIf(!HAS_DOVECOT)('IMAP over TLS', () => {
  let dovecot: Dovecot;
  const u: DovecotUser = { user: 'tls@steward.test', password: 'tls-password' };
  const tls = (extra: Partial<ImapSettings> = {}): ImapSettings => ({
    host: dovecot.host,
    port: dovecot.tlsPort as number,
    secure: true,
    username: u.user,
    password: u.password,
    folder: 'INBOX',
    processedFolder: null,
    ...extra,
  });
  beforeAll(async () => {
    dovecot = await startDovecot([u], { tls: true });
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('drains over TLS when the certificate is trusted', async () => {
    await dovecot.deliver(u, [eml({ subject: 'over TLS' })]);
    expect(await testImap(tls({ ca: dovecot.caPem as string }))).toEqual({ ok: true });
    const report = await runImapSession(tls({ ca: dovecot.caPem as string }), async () => ({ result: 'created' }), { watchMs: 0 });
    expect(report.fetched).toBe(1);
    expect(await dovecot.count(u)).toEqual({ total: 1, seen: 1 });
  });

  it('refuses a certificate it cannot verify, and says so', async () => {
    const result = await testImap(tls());
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/TLS failed|certificate/i);
  });

  it('upgrades a plain connection with STARTTLS when the server offers it', async () => {
    await dovecot.deliver(u, [eml({ subject: 'after STARTTLS' })]);
    // The plain port with a trusted CA: STARTTLS is used (an untrusted certificate there fails too).
    expect(await testImap(tls({ port: dovecot.port, secure: false, ca: dovecot.caPem as string }))).toEqual({ ok: true });
    const refused = await testImap(tls({ port: dovecot.port, secure: false }));
    expect(refused.ok).toBe(false);
  });
});
