// Mail delivery through the outbox and pg-boss to a real SMTP server (smtp-server, in process):
// delivered mail is marked sent; with the server down the row stays pending with the error and the
// attempt counted, and goes out once the server is back.
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDefinitions } from '../../src/server/runtime.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { eventually, linkToken, outbox } from '../helpers.js';
import { bounded, freePort, type Received, startSmtp, stopSmtp } from '../smtp.js';

/** Quoted-printable soft line breaks and escapes undone, enough to find a link in the raw message. */
const unQp = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

describe('mail delivery', () => {
  let h: Harness;
  let acme: TestCompany;
  let port: number;
  let smtp: SMTPServer | null = null;
  const received: Received[] = [];

  beforeAll(async () => {
    port = await freePort();
    h = await harness({ smtpUrl: `smtp://127.0.0.1:${port}`, mailFrom: 'Steward <steward@test.local>' });
    await h.deps.jobs.start(jobDefinitions(h.deps), true);
    acme = await createCompany(h);
    smtp = await startSmtp(port, received);
  });
  afterAll(async () => {
    // Bounded: a database stuck in a deadlock must fail the test, not hang the run.
    await bounded(h.deps.jobs.stop(), 3000).catch(() => {});
    await stopSmtp(smtp);
    await bounded(h.close(), 3000).catch(() => {});
  });

  const invite = async (email: string) => {
    const res = await acme.admin.client.post('/api/v1/users', { name: 'Mail Test', email, roleId: String(acme.roleIds.get('Requester')) });
    expect(res.status).toBe(201);
    const [row] = await outbox(h, { to: email });
    expect(row).toBeDefined();
    return row;
  };

  it('inviting a user delivers the invitation and marks the row sent', async () => {
    const email = `up@${acme.slug}.test`;
    const row = await invite(email);
    const sent = await eventually(async () => {
      const [r] = await outbox(h, { to: email });
      return r.status === 'sent' ? r : null;
    }, 20_000);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null, template: 'invitation' });
    const mine = received.filter((m) => m.to.includes(email));
    expect(mine).toHaveLength(1);
    const raw = unQp(mine[0].raw);
    expect(raw).toMatch(/^Subject: You are invited to /m);
    expect(raw).toContain(`/invitation?token=${linkToken(row.text, '/invitation')}`);
    // The outbox page shows it as sent.
    const page = await acme.admin.client.get('/api/v1/outbox');
    expect(page.body.items.find((m: { to: string[] }) => m.to.includes(email))).toMatchObject({
      to: [email],
      status: 'sent',
      attempts: 1,
      sentAt: expect.any(String),
    });
  });

  it('several messages of one transaction are all delivered (their jobs queued in one statement after commit)', async () => {
    const to = [1, 2, 3].map((i) => `batch${i}@${acme.slug}.test`);
    await h.deps.database.withTenant(acme.id, (scope) =>
      h.deps.mailer.queueMany(
        scope,
        acme.id,
        to.map((address) => ({ template: 'test', to: address, subject: `Batch for ${address}`, text: 'Hello' })),
      ),
    );
    const rows = await eventually(async () => {
      const all = (await Promise.all(to.map((address) => outbox(h, { to: address })))).flat();
      return all.length === 3 && all.every((r) => r.status === 'sent') ? all : null;
    }, 20_000);
    expect(rows?.map((r) => r.attempts)).toEqual([1, 1, 1]);
    for (const address of to) expect(received.filter((m) => m.to.includes(address))).toHaveLength(1);
  });

  it('a change that rolls back sends nothing', async () => {
    const before = received.length;
    // Seat limit: the failed creation must not leave a message behind.
    await h.deps.database.query('update companies set seats = 0 where id = $1', [acme.id]);
    const res = await acme.admin.client.post('/api/v1/users', {
      name: 'Never',
      email: `never@${acme.slug}.test`,
      roleId: String(acme.roleIds.get('Requester')),
    });
    expect(res.status).toBe(422);
    await new Promise((r) => setTimeout(r, 2500));
    await h.deps.database.query('update companies set seats = 100 where id = $1', [acme.id]);
    expect(await outbox(h, { to: `never@${acme.slug}.test` })).toEqual([]);
    expect(received.length).toBe(before);
  });
  it('with the SMTP server down the message stays pending with the error and the attempt counted', async () => {
    const email = `down@${acme.slug}.test`;
    await stopSmtp(smtp);
    smtp = null;
    const row = await invite(email);
    expect(row.status).toBe('pending');
    const tried = await eventually(async () => {
      const [r] = await bounded(outbox(h, { to: email }));
      // The attempt is counted when it starts (the claim); its outcome is recorded when it ends.
      return r.attempts >= 1 && r.last_error !== null ? r : null;
    }, 20_000);
    expect(tried).toBeTruthy();
    expect(tried!.status).toBe('pending');
    expect(tried!.last_error).toMatch(/ECONNREFUSED|connect/i);
    expect(received.filter((m) => m.to.includes(email))).toHaveLength(0);

    // The server comes up; the retry (here run at once instead of after its backoff) delivers it.
    smtp = await startSmtp(port, received);
    const deliver = jobDefinitions(h.deps).find((d) => d.name === 'mail.deliver')!;
    await bounded(deliver.handler({ id: row.id }));
    const [sent] = await bounded(outbox(h, { to: email }));
    expect(sent.status).toBe('sent');
    expect(sent.last_error).toBeNull();
    expect(sent.attempts).toBe(tried!.attempts + 1);
    const mine = received.filter((m) => m.to.includes(email));
    expect(mine).toHaveLength(1);
    expect(mine[0].to).toEqual([email]);
    expect(mine[0].from).toBe('steward@test.local');
    expect(unQp(mine[0].raw)).toContain(`/invitation?token=${linkToken(sent.text, '/invitation')}`);
    // Running the job again sends nothing twice.
    await bounded(deliver.handler({ id: row.id }));
    expect(received.filter((m) => m.to.includes(email))).toHaveLength(1);
  });
});
