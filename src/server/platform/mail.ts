// Outgoing mail: every message is written to the outbox in the transaction that caused it and
// delivered by a job after commit, with retries. Without SMTP_URL messages are kept in the outbox
// and read on the admin "Outbox" page.
//
// Delivery never talks SMTP inside a database transaction (on PGlite that would stall the whole
// embedded database for the round trip; on PostgreSQL it holds a connection and a row lock): a short
// transaction claims the row, the message is sent after it committed, a second short transaction
// records the result.
import { and, eq, gte, isNull, lt, lte, or, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { randomBytes } from 'node:crypto';
import { mailAttachments, mailOutbox, mailThreadIds } from '../db/schema/index.js';
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
  cc?: string[];
  /** Sent from this address (a mailbox's) instead of the instance's default sender. */
  from?: string;
  /** Our Message-ID (without brackets); one is made when absent. */
  messageId?: string;
  inReplyTo?: string | null;
  references?: string[];
  /** Extra headers, e.g. `Auto-Submitted: auto-generated` on automatic mail. */
  headers?: Record<string, string>;
  /** The ticket this message belongs to: its Message-ID is recorded so replies to it thread. */
  ticketId?: number;
}

export interface MailAttachment {
  name: string;
  contentType: string;
  content: Buffer;
}

/**
 * Sends one composed message (raw MIME) another way than SMTP — a Microsoft Graph mailbox's
 * sendMail. A router (registered by the mail module) picks it by the outgoing message's company and
 * From address; null: SMTP, as usual.
 */
export type MailSender = (mime: Buffer) => Promise<void>;
export type MailRouter = (message: { tenantId: number | null; fromAddress: string | null }) => Promise<MailSender | null>;

export interface Mailer {
  readonly delivering: boolean;
  /** Mail from some addresses goes another way (Graph mailboxes); set once when the process starts. */
  useRouter(router: MailRouter): void;
  /** Delivery attempts of this process since it started (for /metrics). */
  readonly deliveries: { sent: number; retrying: number; failed: number };
  /** Queues a message in the caller's transaction; delivery starts after commit. */
  queue(scope: Scope, tenantId: number | null, message: MailMessage): Promise<number>;
  /** Queues several messages with one statement. */
  queueMany(scope: Scope, tenantId: number | null, messages: MailMessage[]): Promise<number[]>;
  jobs(): JobDefinition[];
}

const MAX_ATTEMPTS = 6;
/** Seconds before the retry after the n-th failed attempt: 30 s, 1, 2, 4, 8 min. */
export const retryDelaySeconds = (attempts: number) => 30 * 2 ** (attempts - 1);
// Bounds of one SMTP conversation (nodemailer's defaults wait up to 10 minutes on a silent socket).
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
/**
 * How long a claim holds: longer than any send can take with the timeouts above, so a claim is only
 * retaken from a worker that died between claiming and recording (its mail is sent again, never lost).
 */
const CLAIM_SECONDS = 10 * 60;
/** The sweep leaves alone rows that came due only just now: their own job is about to run. */
const SWEEP_GRACE = sql`interval '1 minute'`;
const SWEEP_BATCH = 500;

/** The header on all of Steward's own mail (mail-in drops a message carrying it as a loop). */
export const LOOP_HEADER = 'X-Steward-Loop';

/** A fresh Message-ID (no brackets) on the sender's domain. */
export function newMessageId(from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1]?.toLowerCase() ?? 'steward.invalid';
  return `steward.${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${domain}`;
}

export function createMailer(opts: { smtpUrl: string | null; from: string; database: Database; jobs: Jobs; log: Logger }): Mailer {
  const transport = opts.smtpUrl ? nodemailer.createTransport({ url: opts.smtpUrl, ...SMTP_TIMEOUTS }) : null;
  let router: MailRouter | null = null;

  /**
   * Takes the message for one attempt, counted now so that a message that kills its worker is not
   * retried forever. Free is a pending row nobody holds, or whose holder's claim has lapsed. A row
   * nobody holds is taken even before its retry is due: the job that runs early is the one that asked.
   */
  async function claim(id: number) {
    const [row] = await opts.database.system(({ tx }) =>
      tx
        .update(mailOutbox)
        .set({
          attempts: sql`${mailOutbox.attempts} + 1`,
          claimedAt: sql`now()`,
          nextAttemptAt: sql`now() + make_interval(secs => ${CLAIM_SECONDS})`,
        })
        .where(
          and(
            eq(mailOutbox.id, id),
            eq(mailOutbox.status, 'pending'),
            lt(mailOutbox.attempts, MAX_ATTEMPTS),
            or(isNull(mailOutbox.claimedAt), lte(mailOutbox.nextAttemptAt, sql`now()`)),
          ),
        )
        .returning(),
    );
    return row;
  }

  const deliveries = { sent: 0, retrying: 0, failed: 0 };

  async function recordSent(id: number): Promise<void> {
    deliveries.sent++;
    // Not fenced by the claim: the message did go out, whoever holds the row now.
    await opts.database.system(({ tx }) =>
      tx
        .update(mailOutbox)
        .set({ status: 'sent', sentAt: sql`now()`, lastError: null, claimedAt: null, nextAttemptAt: null })
        .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'pending'))),
    );
  }

  /**
   * Records a failed attempt. True when a retry is due; false when this was the last attempt, or when
   * a newer claim took the row over meanwhile (that attempt reports its own result).
   */
  async function recordFailure(id: number, attempts: number, error: string): Promise<boolean> {
    const failed = attempts >= MAX_ATTEMPTS;
    const rows = await opts.database.system(({ tx }) =>
      tx
        .update(mailOutbox)
        .set({
          status: failed ? 'failed' : 'pending',
          lastError: error.slice(0, 500),
          claimedAt: null,
          nextAttemptAt: failed ? null : sql`now() + make_interval(secs => ${retryDelaySeconds(attempts)})`,
        })
        .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'pending'), eq(mailOutbox.attempts, attempts)))
        .returning({ id: mailOutbox.id }),
    );
    if (rows.length > 0) deliveries[failed ? 'failed' : 'retrying']++;
    return rows.length > 0 && !failed;
  }

  /** A message that no way can send (no SMTP server, its mailbox no longer routed) stays in the outbox. */
  async function keep(id: number): Promise<void> {
    await opts.database.system(({ tx }) =>
      tx
        .update(mailOutbox)
        .set({ status: 'kept', claimedAt: null, nextAttemptAt: null })
        .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, 'pending'))),
    );
  }

  async function deliver({ id }: { id: number }): Promise<void> {
    if (!transport && !router) return;
    const row = await claim(id);
    if (!row) return;
    try {
      // The way out: the message's mailbox (Graph), else SMTP. Decided per attempt, outside any transaction.
      const sender = router ? await router({ tenantId: row.tenantId, fromAddress: row.fromAddress }) : null;
      if (!sender && !transport) {
        await keep(id);
        return;
      }
      // The files stored with the message (read in their own short transaction, like the claim).
      const files = await opts.database.system(({ tx }) => tx.select().from(mailAttachments).where(eq(mailAttachments.mailId, id)).orderBy(mailAttachments.id));
      const attachments = files.map((f) => ({ filename: f.name, contentType: f.contentType, content: f.content }));
      const message: Mail.Options = {
        from: row.fromAddress ?? opts.from,
        to: row.to,
        cc: row.cc.length > 0 ? row.cc : undefined,
        subject: row.subject,
        text: row.text,
        html: row.html ?? undefined,
        attachments,
        messageId: row.messageId ? `<${row.messageId}>` : undefined,
        inReplyTo: row.inReplyTo ? `<${row.inReplyTo}>` : undefined,
        references: row.references.length > 0 ? row.references.map((r) => `<${r}>`) : undefined,
        // Every message we send says it is ours: one that comes back to a mailbox is dropped as a loop.
        headers: { [LOOP_HEADER]: '1', ...row.headers },
      };
      if (sender) await sender(await new MailComposer(message).compile().build());
      else await transport?.sendMail(message);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      opts.log.warn({ mailId: id, attempts: row.attempts, err: message }, 'mail delivery failed');
      if (await recordFailure(id, row.attempts, message)) {
        // Lost if this fails or the process stops first: the sweep re-queues the row once it is due.
        await opts.jobs
          .send('mail.deliver', { id }, { startAfter: retryDelaySeconds(row.attempts) })
          .catch((err) => opts.log.warn({ mailId: id, err }, 'mail retry not queued; the sweep will pick it up'));
      }
      return;
    }
    await recordSent(id);
  }

  /**
   * Re-queues pending messages that are due and have no job to deliver them: a crash between commit
   * and enqueue, a retry job lost, a worker that died holding a claim. Reads the partial index on
   * next_attempt_at only, so it costs the same with millions of sent rows.
   */
  async function sweep(): Promise<void> {
    if (!transport && !router) return;
    const due = await opts.database.system(async ({ tx }) => {
      // A claim that lapsed after the last allowed attempt: that worker died; nothing more to try.
      await tx
        .update(mailOutbox)
        .set({
          status: 'failed',
          claimedAt: null,
          nextAttemptAt: null,
          lastError: sql`coalesce(${mailOutbox.lastError}, 'delivery interrupted')`,
        })
        .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, sql`now()`), gte(mailOutbox.attempts, MAX_ATTEMPTS)));
      return tx
        .select({ id: mailOutbox.id })
        .from(mailOutbox)
        .where(and(eq(mailOutbox.status, 'pending'), lte(mailOutbox.nextAttemptAt, sql`now() - ${SWEEP_GRACE}`)))
        .orderBy(mailOutbox.nextAttemptAt)
        .limit(SWEEP_BATCH);
    });
    await opts.jobs.sendMany(
      'mail.deliver',
      due.map(({ id }) => ({ data: { id }, singletonKey: `mail-${id}` })),
    );
  }

  async function queueMany(scope: Scope, tenantId: number | null, messages: MailMessage[]): Promise<number[]> {
    if (messages.length === 0) return [];
    const values = messages.map(({ attachments: _files, ticketId: _ticket, from, cc, messageId, inReplyTo, references, headers, ...m }) => ({
      tenantId,
      ...m,
      html: m.html ?? null,
      fromAddress: from ?? null,
      cc: cc ?? [],
      messageId: messageId ?? newMessageId(from ?? opts.from),
      inReplyTo: inReplyTo ?? null,
      references: references ?? [],
      headers: headers ?? {},
      // Without SMTP, mail from a mailbox address may still go out through that mailbox (Graph).
      status: transport || (router && from) ? ('pending' as const) : ('kept' as const),
      nextAttemptAt: transport || (router && from) ? sql`now()` : null,
    }));
    // A ticket's mail records its Message-ID, so replies to it thread: in the same statement.
    const threaded = messages.flatMap((m, i) =>
      m.ticketId && tenantId !== null ? [{ tenantId, messageId: values[i].messageId, ticketId: m.ticketId, direction: 'out' as const }] : [],
    );
    const insert = scope.tx.insert(mailOutbox).values(values).returning({ id: mailOutbox.id });
    const rows =
      threaded.length === 0
        ? await insert
        : (
            (await scope.tx.execute(
              sql`with thread as (${scope.tx.insert(mailThreadIds).values(threaded).onConflictDoNothing().getSQL()}) ${insert.getSQL()}`,
            )) as unknown as { rows: Array<{ id: string | number }> }
          ).rows.map((r) => ({ id: Number(r.id) }));
    const files = messages.flatMap((m, i) =>
      (m.attachments ?? []).map((a) => ({ tenantId, mailId: rows[i].id, name: a.name, contentType: a.contentType, size: a.content.length, content: a.content })),
    );
    if (files.length > 0) await scope.tx.insert(mailAttachments).values(files);
    const pending = rows.filter((_, i) => transport || (router && messages[i].from));
    if (pending.length > 0) {
      // One statement for all of them, after commit (the job tables are outside the company's reach).
      scope.afterCommit(() =>
        opts.jobs.sendMany(
          'mail.deliver',
          pending.map((r) => ({ data: { id: r.id }, singletonKey: `mail-${r.id}` })),
        ),
      );
    }
    return rows.map((r) => r.id);
  }

  return {
    delivering: transport !== null,
    useRouter(r) {
      router = r;
    },
    deliveries,
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
