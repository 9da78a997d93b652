// The connectors' jobs on pg-boss: the schedule queues one fetch per due mailbox (never two for one
// mailbox), and the worker drains it through the pipeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_JOB, scheduleDueMailboxes } from '../../src/server/modules/mail/connect.service.js';
import { jobDefinitions } from '../../src/server/runtime.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { count, eventually } from '../helpers.js';
import { type Dovecot, eml, HAS_DOVECOT, NO_DOVECOT, startDovecot } from '../mail-servers.js';
import { insertMailbox, mailboxRow } from '../mailbox-fixtures.js';

if (!HAS_DOVECOT) console.warn(`mail-jobs: skipped: ${NO_DOVECOT}`);

const bounded = <T>(p: Promise<T>, ms = 3000) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))]);

describe.skipIf(!HAS_DOVECOT)('mailbox fetch jobs', () => {
  let h: Harness;
  let co: TestCompany;
  let dovecot: Dovecot;
  const u = { user: 'jobs@steward.test', password: 'jobs-password' };

  beforeAll(async () => {
    dovecot = await startDovecot([u]);
    h = await harness({ mailIdleSeconds: 0 });
    co = await createCompany(h);
  });
  afterAll(async () => {
    await bounded(h.deps.jobs.stop()).catch(() => {});
    await dovecot?.stop();
    await bounded(h.close()).catch(() => {});
  });

  it('queues one fetch per mailbox however often the schedule runs, and the worker drains it', async () => {
    const id = await insertMailbox(h, co.id, {
      type: 'imap',
      address: u.user,
      host: dovecot.host,
      port: dovecot.port,
      secure: false,
      username: u.user,
      password: u.password,
    });
    await dovecot.deliver(u, [eml({ from: 'A <a@example.org>' }), eml({ from: 'B <b@example.org>' }), eml({ from: 'C <c@example.org>' })]);
    // Queues only (no worker yet): three schedule runs leave one job for the mailbox.
    await h.deps.jobs.start(jobDefinitions(h.deps), false);
    for (let i = 0; i < 3; i++) await scheduleDueMailboxes(h.deps);
    const queued = await count(h, "select count(*) from pgboss.job where name = $1 and singleton_key = $2 and state = 'created'", [
      FETCH_JOB,
      `${co.id}:${id}`,
    ]);
    expect(queued).toBe(1);
    await h.deps.jobs.stop();

    // The worker runs it.
    await h.deps.jobs.start(jobDefinitions(h.deps), true);
    await eventually(async () => ((await dovecot.count(u)).seen === 3 ? true : null), 30_000);
    expect(await count(h, 'select count(*) from inbound_messages where tenant_id = $1 and mailbox_id = $2', [co.id, id])).toBe(3);
    // The messages are flagged on the server before the fetch releases its lease: wait for the release.
    await eventually(async () => ((await mailboxRow(h, co.id, id)).fetch?.leaseOwner == null ? true : null), 10_000);
    const row = await mailboxRow(h, co.id, id);
    expect(row.lastFetchAt).not.toBeNull();
    expect(row.fetch).toMatchObject({ state: 'ok', leaseOwner: null });
  });
});
