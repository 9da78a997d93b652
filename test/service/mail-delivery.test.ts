// Mail delivery never holds the database while it talks SMTP (claim, commit, send, record), and no
// pending message is left behind: a lost retry job and a worker that died holding a claim are both
// recovered by the sweep.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../src/server/db/schema/index.js';
import { jobDefinitions } from '../../src/server/runtime.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness, TEST_DB } from '../harness.js';
import { eventually, outbox } from '../helpers.js';
import { bounded, freePort, type Received, startSilentSmtp, startSmtp, stopSmtp } from '../smtp.js';

const job = (h: Harness, name: string) => jobDefinitions(h.deps).find((d) => d.name === name)!;

/** A pending message written straight to the outbox, as a crash or a lost job would leave it. */
async function pendingRow(h: Harness, tenantId: number, to: string, state: { attempts: number; nextAttempt: string; claimed?: string }) {
  const { rows } = await h.deps.database.query<{ id: number }>(
    `insert into mail_outbox (tenant_id, "to", subject, text, template, status, attempts, next_attempt_at, claimed_at)
     values ($1, $2, 'Left behind', 'Hello', 'test', 'pending', $3, now() + $4::interval, now() + $5::interval) returning id::int`,
    [tenantId, to, state.attempts, state.nextAttempt, state.claimed ?? null],
  );
  return rows[0].id;
}

describe('mail delivery with a hung SMTP server', () => {
  let h: Harness;
  let acme: TestCompany;
  let silent: Awaited<ReturnType<typeof startSilentSmtp>>;

  beforeAll(async () => {
    const port = await freePort();
    silent = await startSilentSmtp(port);
    // No job workers: the test runs the delivery itself, and its retry job cannot be queued.
    h = await harness({ smtpUrl: `smtp://127.0.0.1:${port}` });
    acme = await createCompany(h);
  });
  afterAll(async () => {
    await silent.close();
    await bounded(h.close(), 5000).catch(() => {});
  });

  it('a send that hangs for 30 s neither slows other queries nor holds a row lock or a transaction', async () => {
    const email = `hang@${acme.slug}.test`;
    const id = await h.deps.database.withTenant(acme.id, (scope) =>
      h.deps.mailer.queue(scope, acme.id, { template: 'test', to: email, subject: 'Hang', text: 'Hello' }),
    );
    // Runs until nodemailer gives up on the greeting (30 s) or the server goes away.
    const delivery = job(h, 'mail.deliver').handler({ id });
    expect(await eventually(async () => silent.connections() > 0, 10_000, 20)).toBe(true);

    const started = Date.now();
    const list = await bounded(acme.admin.client.get('/api/v1/tickets'), 5000);
    expect(list.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(2000);
    // Nobody holds the row: another transaction can lock it at once.
    const locked = await bounded(
      h.deps.database.system(({ tx }) =>
        tx.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.id, id)).for('update', { noWait: true }),
      ),
      5000,
    );
    expect(locked).toEqual([{ id }]);
    if (TEST_DB === 'postgres') {
      const { rows } = await h.deps.database.query<{ n: number }>(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
      );
      expect(rows[0].n).toBe(0);
    }
    // While it is being sent the row is claimed, with the attempt counted.
    const [claimed] = (
      await h.deps.database.query<{ attempts: number; claimed: boolean }>(
        'select attempts, claimed_at is not null as claimed from mail_outbox where id = $1',
        [id],
      )
    ).rows;
    expect(claimed).toEqual({ attempts: 1, claimed: true });

    // The server hangs up: the failure is recorded and the next attempt is due after its backoff.
    await silent.close();
    await bounded(delivery, 10_000);
    const [after] = (
      await h.deps.database.query<{ status: string; attempts: number; claimed: boolean; wait: number; last_error: string | null }>(
        `select status, attempts, claimed_at is not null as claimed, last_error,
                extract(epoch from next_attempt_at - now())::int as wait from mail_outbox where id = $1`,
        [id],
      )
    ).rows;
    expect(after).toMatchObject({ status: 'pending', attempts: 1, claimed: false });
    expect(after.last_error).toBeTruthy();
    expect(after.wait).toBeGreaterThan(20);
    expect(after.wait).toBeLessThanOrEqual(30);
  }, 60_000);
});

describe('mail the sweep recovers', () => {
  let h: Harness;
  let acme: TestCompany;
  const received: Received[] = [];
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const sentTo = (email: string) => received.filter((m) => m.to.includes(email)).length;
  const statusOf = async (email: string) => (await outbox(h, { to: email }))[0];

  beforeAll(async () => {
    const port = await freePort();
    smtp = await startSmtp(port, received);
    h = await harness({ smtpUrl: `smtp://127.0.0.1:${port}` });
    await h.deps.jobs.start(jobDefinitions(h.deps), true);
    acme = await createCompany(h);
  });
  afterAll(async () => {
    await bounded(h.deps.jobs.stop(), 3000).catch(() => {});
    await stopSmtp(smtp);
    await bounded(h.close(), 3000).catch(() => {});
  });

  it('a retried message whose job was lost is sent by the next sweep', async () => {
    const email = `lost@${acme.slug}.test`;
    // One failed attempt, retry due ten minutes ago, and no job for it anywhere.
    await pendingRow(h, acme.id, email, { attempts: 1, nextAttempt: '-10 minutes' });
    await bounded(job(h, 'mail.sweep').handler({}));
    const sent = await eventually(async () => ((await statusOf(email)).status === 'sent' ? statusOf(email) : null), 20_000);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(sentTo(email)).toBe(1);
  });

  it('a message not yet due is left to its own job', async () => {
    const email = `later@${acme.slug}.test`;
    await pendingRow(h, acme.id, email, { attempts: 1, nextAttempt: '10 minutes' });
    await bounded(job(h, 'mail.sweep').handler({}));
    await new Promise((r) => setTimeout(r, 3000));
    expect(await statusOf(email)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(sentTo(email)).toBe(0);
  });

  it('a worker that died between claim and record does not lose the mail: the lapsed claim is retaken', async () => {
    const email = `crashed@${acme.slug}.test`;
    // Claimed eleven minutes ago; the claim lapsed a minute ago and nothing was recorded.
    const id = await pendingRow(h, acme.id, email, { attempts: 1, nextAttempt: '-1 minute', claimed: '-11 minutes' });
    await bounded(job(h, 'mail.deliver').handler({ id }));
    expect(await statusOf(email)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(sentTo(email)).toBe(1);
    // And the sweep would have found it: a lapsed claim is due like any retry.
    const other = `crashed2@${acme.slug}.test`;
    await pendingRow(h, acme.id, other, { attempts: 1, nextAttempt: '-2 minutes', claimed: '-12 minutes' });
    await bounded(job(h, 'mail.sweep').handler({}));
    expect(await eventually(async () => (await statusOf(other)).status === 'sent', 20_000)).toBe(true);
    expect(sentTo(other)).toBe(1);
  });

  it('a message another worker is sending right now is not sent twice', async () => {
    const email = `held@${acme.slug}.test`;
    const id = await pendingRow(h, acme.id, email, { attempts: 1, nextAttempt: '9 minutes', claimed: '-1 minute' });
    await bounded(job(h, 'mail.deliver').handler({ id }));
    expect(await statusOf(email)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(sentTo(email)).toBe(0);
  });

  it('a lapsed claim on the last allowed attempt ends as failed instead of pending forever', async () => {
    const email = `poison@${acme.slug}.test`;
    await pendingRow(h, acme.id, email, { attempts: 6, nextAttempt: '-1 minute', claimed: '-11 minutes' });
    await bounded(job(h, 'mail.sweep').handler({}));
    expect(await statusOf(email)).toMatchObject({ status: 'failed', attempts: 6, last_error: 'delivery interrupted' });
    expect(sentTo(email)).toBe(0);
  });
});
