// Log retention: old and new rows of every kind the purge knows (audit entries, sensitive audit
// entries, notifications, sent / failed / kept / pending mail, sensitive mail, webhook deliveries in
// every state) in two companies with different settings; the purge removes exactly the expired ones
// — sensitive first and sooner — and every other row of every tenant table stays as it was. A dry
// run counts the same and deletes nothing; small batches reach the same end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupLogs } from '../../src/server/cli/cleanup-logs.js';
import { purgeAll, purgeCompany, retentionOf } from '../../src/server/modules/retention/retention.service.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';
import { snapshot } from '../helpers.js';

const PURGED = ['audit_log', 'notifications', 'mail_outbox', 'webhook_deliveries'];

interface Seeded {
  /** Row ids by table: expected to stay, expected to go. */
  keep: Record<string, number[]>;
  gone: Record<string, number[]>;
}

async function q<T = { id: number }>(h: Harness, text: string, values: unknown[]): Promise<T[]> {
  return (await h.deps.database.query<T>(text, values)).rows;
}

/** Rows of every kind, `ageDays` old, in one company; `expect` says whether the purge takes it. */
async function seed(h: Harness, co: TestCompany, periods: { audit: number }): Promise<Seeded> {
  const keep: Record<string, number[]> = { audit_log: [], notifications: [], mail_outbox: [], webhook_deliveries: [] };
  const gone: Record<string, number[]> = { audit_log: [], notifications: [], mail_outbox: [], webhook_deliveries: [] };
  const put = (table: string, id: number, goes: boolean) => (goes ? gone : keep)[table].push(id);

  const audit = async (action: string, ageDays: number, goes: boolean) => {
    const [r] = await q(
      h,
      `insert into audit_log (tenant_id, at, action) values ($1, now() - make_interval(days => $2), $3) returning id::int`,
      [co.id, ageDays, action],
    );
    put('audit_log', r.id, goes);
  };
  await audit('user.updated', periods.audit + 5, true);
  await audit('user.updated', periods.audit - 5, false);
  await audit('auth.login_failed', 20, periods.audit < 20);
  await audit('auth.password_reset_requested', 8, true);
  await audit('auth.password_reset_requested', 3, false);
  await audit('user.invitation_resent', 9, true);

  const note = async (ageDays: number, goes: boolean) => {
    const [r] = await q(
      h,
      `insert into notifications (tenant_id, user_id, event, title, created_at) values ($1, $2, 'ticket.created', 'n', now() - make_interval(days => $3)) returning id::int`,
      [co.id, co.admin.id, ageDays],
    );
    put('notifications', r.id, goes);
  };
  await note(95, true);
  await note(85, false);

  const mail = async (template: string, status: string, ageDays: number, goes: boolean) => {
    const [r] = await q(
      h,
      `insert into mail_outbox (tenant_id, "to", subject, text, template, status, created_at, sent_at, next_attempt_at)
       values ($1, 'x@example.com', 's', 't', $2, $3, now() - make_interval(days => $4), case when $3 = 'sent' then now() - make_interval(days => $4) end, null) returning id::int`,
      [co.id, template, status, ageDays],
    );
    put('mail_outbox', r.id, goes);
  };
  await mail('ticket.reply', 'sent', 31, true);
  await mail('ticket.reply', 'sent', 29, false);
  await mail('ticket.reply', 'failed', 400, false);
  await mail('ticket.reply', 'kept', 400, false);
  await mail('invitation', 'sent', 8, true);
  await mail('invitation', 'kept', 8, true);
  await mail('invitation', 'sent', 3, false);
  await mail('password_reset', 'pending', 8, false);
  // A file of a sent mail goes with it (cascade); of a failed one it stays.
  await q(
    h,
    `insert into mail_attachments (tenant_id, mail_id, name, content_type, size, content) values ($1, $2, 'a.pdf', 'application/pdf', 1, '\\x00')`,
    [co.id, gone.mail_outbox[0]],
  );
  await q(
    h,
    `insert into mail_attachments (tenant_id, mail_id, name, content_type, size, content) values ($1, $2, 'b.pdf', 'application/pdf', 1, '\\x00')`,
    [co.id, keep.mail_outbox[1]],
  );

  const [hook] = await q(
    h,
    `insert into webhooks (tenant_id, url, events, secret_enc) values ($1, 'https://93.184.215.14/x', '{ticket.created}', 'v1.x.y.z') returning id::int`,
    [co.id],
  );
  const delivery = async (status: string, ageDays: number, goes: boolean) => {
    const [r] = await q(
      h,
      `insert into webhook_deliveries (tenant_id, webhook_id, event, message_id, payload, status, created_at)
       values ($1, $2, 'ticket.created', 'msg_x', '{}', $3, now() - make_interval(days => $4)) returning id::int`,
      [co.id, hook.id, status, ageDays],
    );
    put('webhook_deliveries', r.id, goes);
  };
  await delivery('delivered', 31, true);
  await delivery('failed', 31, true);
  await delivery('retrying', 31, false);
  await delivery('pending', 31, false);
  await delivery('delivered', 29, false);
  return { keep, gone };
}

async function ids(h: Harness, table: string, tenantId: number): Promise<number[]> {
  const extra = table === 'audit_log' ? ` and action <> 'retention.purged'` : '';
  return (await q(h, `select id::int from ${table} where tenant_id = $1${extra} order by id`, [tenantId])).map((r) => r.id);
}

describe('log retention', () => {
  let h: Harness;
  let A: TestCompany;
  let B: TestCompany;
  let seededA: Seeded;
  let seededB: Seeded;

  beforeAll(async () => {
    h = await harness();
    A = await createCompany(h);
    B = await createCompany(h);
    // B keeps its audit log for 15 days only.
    const res = await B.admin.client.patch('/api/v1/settings', { auditRetentionDays: 15 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.settings).toMatchObject({
      auditRetentionDays: 15,
      notificationRetentionDays: 90,
      mailRetentionDays: 30,
      webhookRetentionDays: 30,
      sensitiveRetentionDays: 7,
    });
    seededA = await seed(h, A, { audit: 365 });
    seededB = await seed(h, B, { audit: 15 });
  });
  afterAll(() => h.close());

  it('reads the settings with defaults; sensitive never outlives its kind', () => {
    expect(retentionOf({})).toEqual({
      auditRetentionDays: 365,
      notificationRetentionDays: 90,
      mailRetentionDays: 30,
      webhookRetentionDays: 30,
      sensitiveRetentionDays: 7,
    });
    expect(retentionOf({ auditRetentionDays: 5, sensitiveRetentionDays: 7, mailRetentionDays: 'x' })).toMatchObject({
      auditRetentionDays: 5,
      sensitiveRetentionDays: 5,
      mailRetentionDays: 30,
    });
  });

  it('a dry run counts what would go and deletes nothing', async () => {
    const before = await snapshot(h, A.id);
    const { report, lines } = await cleanupLogs(h.deps, { dryRun: true });
    const a = report.companies.find((c) => c.id === A.id)!;
    // Sensitive kinds are counted first: the general count then still includes them (nothing was deleted).
    expect(a.counts.auditSensitive).toBe(2);
    expect(a.counts.mailSensitive).toBe(2);
    expect(a.counts.notifications).toBe(1);
    expect(a.counts.webhookDeliveries).toBe(2);
    expect(lines.some((l) => l.includes('would purge'))).toBe(true);
    expect(await snapshot(h, A.id)).toEqual(before);
  });

  it('purges exactly the expired rows, sensitive ones sooner, and touches nothing else', async () => {
    const others = {
      A: await snapshot(h, A.id, { skip: [...PURGED, 'mail_attachments'] }),
      B: await snapshot(h, B.id, { skip: [...PURGED, 'mail_attachments'] }),
    };
    const attachmentsBefore = (
      await q(h, 'select mail_id::int as id from mail_attachments where tenant_id = $1 order by mail_id', [A.id])
    ).map((r) => r.id);
    const report = await purgeAll(h.deps);
    expect(report.total).toBeGreaterThan(0);
    for (const [co, seeded] of [
      [A, seededA],
      [B, seededB],
    ] as const) {
      for (const table of PURGED) {
        const left = await ids(h, table, co.id);
        const expected = seeded.keep[table].filter((id) => !seeded.gone[table].includes(id));
        // Rows made by the company's own setup (its audit entries of today, say) stay too.
        for (const id of expected) expect(left, `${table} ${id} kept`).toContain(id);
        for (const id of seeded.gone[table]) expect(left, `${table} ${id} purged`).not.toContain(id);
      }
    }
    // B's shorter audit period took its 20-day-old login failure; A's kept it.
    const failedLogins = async (co: TestCompany) =>
      (
        await q<{ n: number }>(h, `select count(*)::int as n from audit_log where tenant_id = $1 and action = 'auth.login_failed'`, [co.id])
      )[0].n;
    expect(await failedLogins(A)).toBe(1);
    expect(await failedLogins(B)).toBe(0);
    // The sent mail's file went with it; the failed mail's stayed.
    const attachmentsAfter = (
      await q(h, 'select mail_id::int as id from mail_attachments where tenant_id = $1 order by mail_id', [A.id])
    ).map((r) => r.id);
    expect(attachmentsAfter).toEqual(attachmentsBefore.filter((id) => id !== seededA.gone.mail_outbox[0]));
    // Every other table of both companies is as it was (the mail files are checked above).
    expect(await snapshot(h, A.id, { skip: [...PURGED, 'mail_attachments'] })).toEqual(others.A);
    expect(await snapshot(h, B.id, { skip: [...PURGED, 'mail_attachments'] })).toEqual(others.B);
    // The purge is audited with its counts.
    const [entry] = await q<{ details: Record<string, number> }>(
      h,
      `select details from audit_log where tenant_id = $1 and action = 'retention.purged'`,
      [A.id],
    );
    expect(entry.details).toMatchObject({ auditSensitive: 2, mailSensitive: 2, notifications: 1, mail: 1, webhookDeliveries: 2 });
    // Again: nothing more to do.
    const again = await purgeAll(h.deps);
    expect(again.companies.find((c) => c.id === A.id)!.counts).toEqual({
      auditSensitive: 0,
      mailSensitive: 0,
      audit: 0,
      notifications: 0,
      mail: 0,
      webhookDeliveries: 0,
    });
  });

  it('reaches the same end in small batches', async () => {
    const C = await createCompany(h);
    const seeded = await seed(h, C, { audit: 365 });
    const counts = await purgeCompany(h.deps, C.id, retentionOf({}), { batch: 1 });
    expect(counts.webhookDeliveries).toBe(2);
    for (const table of PURGED) {
      const left = await ids(h, table, C.id);
      for (const id of seeded.gone[table]) expect(left).not.toContain(id);
      for (const id of seeded.keep[table]) expect(left).toContain(id);
    }
  });
});
