// Outgoing mail: every message is written to the outbox in the transaction that caused it and
// delivered by a job after commit, with retries. Without SMTP_URL messages are kept in the outbox
// and read on the admin "Outbox" page.
import { and, eq, lt, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { mailAttachments, mailOutbox } from '../db/schema/index.js';
import type { Database, Scope } from './db.js';
import type { JobDefinition, Jobs } from './jobs.js';
import type { Logger } from './logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  template: string;
  /** Stored with the message (same transaction), so a retry sends the same bytes. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  name: string;
  contentType: string;
  content: Buffer;
}

export interface Mailer {
  readonly delivering: boolean;
  /** Queues a message in the caller's transaction; delivery starts after commit. */
  queue(scope: Scope, tenantId: number | null, message: MailMessage): Promise<number>;
  /** Queues several messages with one statement. */
  queueMany(scope: Scope, tenantId: number | null, messages: MailMessage[]): Promise<number[]>;
  jobs(): JobDefinition[];
}

const MAX_ATTEMPTS = 6;

export function createMailer(opts: { smtpUrl: string | null; from: string; database: Database; jobs: Jobs; log: Logger }): Mailer {
  const transport = opts.smtpUrl ? nodemailer.createTransport(opts.smtpUrl) : null;

  async function deliver({ id }: { id: number }): Promise<void> {
    if (!transport) return;
    await opts.database.system(async (scope) => {
      const { tx } = scope;
      const [row] = await tx
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'pending')))
        .for('update', { skipLocked: true });
      if (!row) return;
      try {
        const files = await tx.select().from(mailAttachments).where(eq(mailAttachments.mailId, id)).orderBy(mailAttachments.id);
        const attachments = files.map((f) => ({ filename: f.name, contentType: f.contentType, content: f.content }));
        await transport.sendMail({ from: opts.from, to: row.to, subject: row.subject, text: row.text, html: row.html ?? undefined, attachments });
        await tx.update(mailOutbox).set({ status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null }).where(eq(mailOutbox.id, id));
      } catch (error) {
        const attempts = row.attempts + 1;
        const message = error instanceof Error ? error.message : String(error);
        await tx
          .update(mailOutbox)
          .set({ attempts, lastError: message.slice(0, 500), status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending' })
          .where(eq(mailOutbox.id, id));
        opts.log.warn({ mailId: id, attempts, err: message }, 'mail delivery failed');
        if (attempts < MAX_ATTEMPTS) {
          // Retry with backoff once this transaction is over (on PGlite its one connection is ours
          // until then); the row keeps the attempt count across retries.
          scope.afterCommit(() => opts.jobs.send('mail.deliver', { id }, { startAfter: 30 * 2 ** (attempts - 1) }));
        }
      }
    });
  }

  /** Re-queues messages whose delivery job was lost (a crash between commit and enqueue). */
  async function sweep(): Promise<void> {
    if (!transport) return;
    const stale = await opts.database.system(({ tx }) =>
      tx
        .select({ id: mailOutbox.id })
        .from(mailOutbox)
        .where(and(eq(mailOutbox.status, 'pending'), eq(mailOutbox.attempts, 0), lt(mailOutbox.createdAt, sql`now() - interval '5 minutes'`)))
        .limit(500),
    );
    await opts.jobs.sendMany('mail.deliver', stale.map(({ id }) => ({ data: { id }, singletonKey: `mail-${id}` })));
  }

  async function queueMany(scope: Scope, tenantId: number | null, messages: MailMessage[]): Promise<number[]> {
    if (messages.length === 0) return [];
    const rows = await scope.tx
      .insert(mailOutbox)
      .values(messages.map(({ attachments: _files, ...m }) => ({ tenantId, ...m, html: m.html ?? null, status: transport ? ('pending' as const) : ('kept' as const) })))
      .returning({ id: mailOutbox.id });
    const files = messages.flatMap((m, i) =>
      (m.attachments ?? []).map((a) => ({ tenantId, mailId: rows[i].id, name: a.name, contentType: a.contentType, size: a.content.length, content: a.content })),
    );
    if (files.length > 0) await scope.tx.insert(mailAttachments).values(files);
    if (transport) {
      // One statement for all of them, after commit (the job tables are outside the company's reach).
      scope.afterCommit(() => opts.jobs.sendMany('mail.deliver', rows.map((r) => ({ data: { id: r.id }, singletonKey: `mail-${r.id}` }))));
    }
    return rows.map((r) => r.id);
  }

  return {
    delivering: transport !== null,
    async queue(scope, tenantId, message) {
      const [id] = await queueMany(scope, tenantId, [message]);
      return id;
    },
    queueMany,
    jobs: () => [
      { name: 'mail.deliver', handler: deliver as (d: unknown) => Promise<void>, retryLimit: 0 },
      { name: 'mail.sweep', handler: sweep, cron: '*/5 * * * *', retryLimit: 0 },
    ],
  };
}
