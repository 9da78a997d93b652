// The one inbound pipeline every mailbox kind (IMAP, Graph, webhook) hands raw MIME to: the raw
// message is stored, parsed, filtered (loops, auto-replies, bounces, bulk, the company's sender
// rules, a per-sender rate limit), and in ONE transaction keyed by its Message-ID (a hash of the raw
// message when it has none) it becomes a new ticket, a comment, a reopened ticket, or is ignored with
// a reason. A connector flags or moves the message on its server only after this resolved.
import { Readable } from 'node:stream';
import type { InboundReason, InboundResult } from '../../../shared/contracts/mail.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { detectType, insertUploads, sanitiseName, type StoredUpload } from '../attachments/attachments.service.js';
import {
  addMailCommentIn,
  lockTicketIn,
  type MailAuthor,
  openTicket,
  reopenFromMailIn,
  type TicketRow,
} from '../tickets/tickets.service.js';
import { insertContact } from './contacts.repo.js';
import { claimInbound, findInboundByKey, finishInbound, recentRefusals } from './inbound.repo.js';
import type { SettingsRow } from './mail-settings.repo.js';
import { ownHtml, ownText } from './mail.content.js';
import { LOOP_HEADER, noiseReason, senderReason } from './mail.filters.js';
import { headerFrom, headerMessageId, type Parsed, parseMail, rawHash } from './mail.parse.js';
import { cleanSubject, numberedSubject, pickThread, subjectNumber, threadCandidates } from './mail.threading.js';
import { claimWithFacts, finishThreaded, type IngestPre, ingestPre, type SenderFacts, senderFacts } from './pipeline.repo.js';
import { relateTickets, threadTickets } from './threads.repo.js';

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

type PipelineDeps = Pick<Deps, 'database' | 'storage' | 'mailer' | 'log' | 'config' | 'hub' | 'jobs' | 'authCache'>;

const DAY_MS = 86_400_000;
const addressOf = (s: string) => (/<([^<>\s]+@[^<>\s]+)>/.exec(s)?.[1] ?? s).trim().toLowerCase();

/**
 * Stores, parses, filters, dedupes and threads one message in one transaction; never throws for a
 * bad message (an `ignored` result with a reason). Throws only when the database or the storage
 * fails (the connector then leaves the message where it is and tries again later: the key makes
 * the retry safe).
 */
export async function ingestRawMessage(deps: PipelineDeps, input: IngestInput): Promise<IngestResult> {
  return ingest(deps as Deps, input, (fn) => deps.database.withTenant(input.tenantId, fn), true);
}

/**
 * The same inside a caller's transaction (the demo seeding, which runs in the setup transaction).
 * Connectors use ingestRawMessage: its own transaction commits before they touch the server.
 */
export function ingestRawMessageIn(scope: Scope, deps: Deps, input: IngestInput): Promise<IngestResult> {
  return ingest(deps, input, (fn) => fn(scope), false);
}

type Run = <T>(fn: (scope: Scope) => Promise<T>) => Promise<T>;

/**
 * The smallest size limit a company may set (mail settings: maxMessageMb ≥ 1). A message no bigger
 * is within every limit: it is parsed and stored before any read, and claimed together with every
 * read its checks need in the first statement of its one transaction (claimWithFacts).
 */
const SMALLEST_LIMIT_BYTES = 1024 * 1024;

/** `ownTransaction`: `run` begins a transaction of its own for this message (its ticket number may be taken outside it). */
async function ingest(deps: Deps, input: IngestInput, run: Run, ownTransaction: boolean): Promise<IngestResult> {
  const { tenantId, mailboxId, raw } = input;
  const full = deps;
  const hash = rawHash(raw);
  // A bigger message is checked against the company's limit first (and answered from its header's
  // Message-ID alone when seen before: not parsed or stored again). The claim still decides races.
  let pre: Company | null = null;
  if (raw.length > SMALLEST_LIMIT_BYTES) {
    const quickKey = headerMessageId(raw) ?? `sha256:${hash}`;
    const read = await run(({ tx }) => ingestPre(tx, tenantId, mailboxId, quickKey));
    if (read.seen && read.seen.reason !== 'processing') {
      return {
        result: 'duplicate',
        ...(read.seen.number ? { ticketNumber: read.seen.number } : {}),
        ...(read.seen.reason === 'too_large' ? { reason: 'too_large' } : {}),
        inboundId: read.seen.id,
      };
    }
    if (raw.length > read.settings.maxMessageMb * 1024 * 1024) {
      return refuseOversize(full, run, input, read.settings.maxMessageMb, read.mailbox?.address ?? null, hash);
    }
    pre = read;
  }
  const limitBytes = pre ? pre.settings.maxMessageMb * 1024 * 1024 : SMALLEST_LIMIT_BYTES;

  const rawKey = `mail/${tenantId}/raw/${hash.slice(0, 2)}/${hash}.eml`;
  // Content-addressed: storing the same message again (a retry after a crash) writes the same file.
  // Written while the message is parsed (I/O beside CPU).
  const [parsed] = await Promise.all([parseMail(raw), deps.storage.put(rawKey, Readable.from([raw]))]);
  const key = parsed.messageId ?? `sha256:${hash}`;

  // What the message alone shows to be noise keeps its files out of storage; what the company's
  // settings refuse is known only in the transaction (the files then stay unused, as a duplicate's).
  const files = filterReason(deps, parsed, pre) ? [] : await storeParts(deps, tenantId, parsed, limitBytes);

  const base = {
    tenantId,
    mailboxId,
    messageIdKey: key,
    rawKey,
    rawSize: raw.length,
    fromAddress: parsed.from?.address ?? null,
    fromName: parsed.from?.name || null,
    to: parsed.to.slice(0, 500).map((a) => a.address),
    cc: parsed.cc.slice(0, 500).map((a) => a.address),
    subject: parsed.subject.slice(0, 1000) || null,
    serverRef: input.serverRef ?? null,
  };
  const outcome = await run(async (scope) => {
    let id: number | null;
    let company: Company;
    let facts: SenderFacts | null = null;
    if (pre) {
      id = await claimInbound(scope.tx, { ...base, result: 'ignored', reason: 'processing' });
      company = pre;
    } else {
      // The claim, the settings, the mailbox, the loop / rate / user / contact facts: one statement.
      const claimed = await claimWithFacts(scope.tx, base, parsed.messageId ?? null, parsed.from?.address ?? '');
      id = claimed.id;
      company = claimed;
      facts = claimed;
    }
    if (id === null) {
      const before = await findInboundByKey(scope.tx, tenantId, key);
      return {
        result: 'duplicate' as const,
        ...(before?.number ? { ticketNumber: before.number } : {}),
        inboundId: before?.id,
        files: [] as StoredUpload[],
      };
    }
    const claimedId = id;
    const finishIgnored = async (why: InboundReason) => {
      await finishInbound(scope.tx, tenantId, claimedId, { result: 'ignored', reason: why });
      deps.log.info({ tenantId, mailboxId, inboundId: claimedId, reason: why, from: base.fromAddress }, 'mail ignored');
      return { result: 'ignored' as const, reason: why, inboundId: claimedId, files };
    };
    const reason = filterReason(deps, parsed, company);
    if (reason) return finishIgnored(reason);
    const sender = parsed.from as NonNullable<Parsed['from']>;
    // Loop (our own Message-ID), the sender's rate, and who the sender is: one statement (read with
    // the claim above for a message within every limit).
    facts ??= await senderFacts(scope.tx, tenantId, parsed.messageId ?? null, sender.address);
    if (parsed.messageId && facts.ownMessageId) return finishIgnored('loop');
    if (facts.recent >= company.settings.senderHourlyLimit) return finishIgnored('rate_limited');
    const done = await thread(scope, full, {
      tenantId,
      id: claimedId,
      parsed,
      files,
      settings: company.settings,
      mailbox: company.mailbox,
      facts,
      ownTransaction,
    });
    return { ...done, inboundId: claimedId, files: [] as StoredUpload[] };
  });
  // Files are content-addressed (the same bytes of another message share the key), so those of a
  // message that turned out a duplicate stay: an orphan costs only its bytes.
  const { files: _files, ...result } = outcome;
  return result;
}

type Company = Omit<IngestPre, 'seen'>;

/**
 * Why the message is dropped before threading (loops by address, auto-replies, bounces, bulk, the
 * company's sender rules, nothing to read), or null. Without `company`, only what the message and
 * the configured sender address show.
 */
function filterReason(deps: Deps, parsed: Parsed, company: Company | null): InboundReason | null {
  const own = new Set([...(company?.own ?? []), addressOf(deps.config.mailFrom)]);
  let reason: InboundReason | null = noiseReason(parsed, { addresses: own });
  if (!reason && company && parsed.from) reason = senderReason(parsed.from.address, company.settings);
  if (!reason && parsed.broken && !parsed.text.trim() && !parsed.subject) reason = 'unparseable';
  return reason;
}

interface ThreadInput {
  tenantId: number;
  id: number;
  parsed: Parsed;
  files: StoredUpload[];
  settings: SettingsRow;
  mailbox: { id: number; address: string; categoryId: number | null } | null;
  facts: SenderFacts;
  /** The message has a transaction of its own (openTicket's ownTransaction). */
  ownTransaction: boolean;
}

type ContactBrief = { id: number; name: string; email: string };

/** Finds the ticket the message belongs to and creates, appends or reopens. */
async function thread(scope: Scope, deps: Deps, input: ThreadInput): Promise<Omit<IngestResult, 'inboundId'>> {
  const { tenantId, parsed } = input;
  const sender = parsed.from as NonNullable<Parsed['from']>;
  const user = input.facts.user;
  const contact: ContactBrief | null = user
    ? null
    : (input.facts.contact ?? (await insertContact(scope.tx, tenantId, sender.name, sender.address)));
  const by: MailAuthor = user ? { userId: user.id, name: user.name } : { userId: null, name: contact?.name || sender.address };

  // Headers first: every Message-ID we received or sent. Then the number in the subject, taken only
  // from someone the ticket concerns (its requester or contact) or from a user of the company.
  const candidates = threadCandidates(parsed);
  let ticket: TicketRow | null = null;
  const byHeader = pickThread(candidates, await threadTickets(scope.tx, tenantId, candidates));
  if (byHeader !== null) ticket = await lockTicketIn(scope, tenantId, { id: byHeader });
  if (!ticket) {
    const n = subjectNumber(parsed.subject);
    const t = n !== null ? await lockTicketIn(scope, tenantId, { number: n }) : null;
    if (t && (user || t.contact?.email?.toLowerCase() === sender.address)) ticket = t;
  }

  const body = ownText(parsed.text, parsed.html) || '(no text)';
  if (ticket) {
    const finished = ticket.status === 'resolved' || ticket.status === 'closed' || ticket.status === 'rejected';
    if (!finished) return append(scope, deps, input, ticket, by, body, 'appended');
    const since = (ticket.closedAt ?? ticket.resolvedAt ?? ticket.updatedAt).getTime();
    const inPeriod =
      ticket.status !== 'rejected' && input.settings.reopenDays > 0 && Date.now() - since <= input.settings.reopenDays * DAY_MS;
    if (inPeriod) {
      const reopened = await reopenFromMailIn(scope, deps, ticket, by);
      return append(scope, deps, input, reopened, by, body, 'reopened');
    }
    const created = await create(scope, deps, input, { user, contact, body });
    await relateTickets(scope.tx, tenantId, created.id, ticket.id);
    return { result: 'created', ticketNumber: created.number, linkedTicketNumber: ticket.number };
  }
  const created = await create(scope, deps, input, { user, contact, body });
  return { result: 'created', ticketNumber: created.number };
}

async function append(
  scope: Scope,
  deps: Deps,
  input: ThreadInput,
  ticket: TicketRow,
  by: MailAuthor,
  body: string,
  result: 'appended' | 'reopened',
) {
  const { comment } = await addMailCommentIn(scope, deps, ticket, by, body);
  const html = await attach(scope, input, ticket.id, comment.id);
  await finishThreaded(
    scope.tx,
    input.tenantId,
    input.id,
    { result, ticketId: ticket.id, commentId: comment.id, html },
    input.parsed.messageId ?? null,
  );
  return { result, ticketNumber: ticket.number };
}

async function create(
  scope: Scope,
  deps: Deps,
  input: ThreadInput,
  who: { user: { id: number; name: string } | null; contact: ContactBrief | null; body: string },
): Promise<TicketRow> {
  const { tenantId, parsed } = input;
  const ticketInput = {
    kind: 'incident' as const,
    title: cleanSubject(parsed.subject),
    description: who.body,
    categoryId: input.mailbox?.categoryId ?? null,
    priority: 'medium' as const,
    requesterId: who.user?.id ?? null,
    source: 'email' as const,
    contact: who.contact ? { id: String(who.contact.id), name: who.contact.name, email: who.contact.email } : null,
  };
  let opened: Awaited<ReturnType<typeof openTicket>>;
  try {
    opened = await openTicket(scope, deps, null, tenantId, ticketInput, { ownTransaction: input.ownTransaction });
  } catch (error) {
    // The mailbox's category was retired meanwhile: the message still makes a ticket, uncategorised.
    if (!(error instanceof AppError) || error.code !== 'validation') throw error;
    opened = await openTicket(scope, deps, null, tenantId, { ...ticketInput, categoryId: null }, { ownTransaction: input.ownTransaction });
  }
  const t = opened.row;
  const html = await attach(scope, input, t.id, null);
  await finishThreaded(
    scope.tx,
    tenantId,
    input.id,
    { result: 'created', ticketId: t.id, commentId: null, html },
    parsed.messageId ?? null,
  );
  // An external sender hears that the ticket exists (and its number, for replies). Marked automatic,
  // so an out-of-office answer to it is recognised and dropped: the storm stops after one message.
  if (who.contact) {
    await deps.mailer.queue(scope, tenantId, {
      template: 'ticket.mail_received',
      to: who.contact.email,
      from: input.mailbox?.address,
      subject: numberedSubject(`Re: ${t.title}`, t.number),
      text: `Hello ${who.contact.name},\n\nwe received your message and opened ticket #${t.number} "${t.title}". Reply to this e-mail to add to it.\n`,
      inReplyTo: parsed.messageId,
      references: [...parsed.references, ...(parsed.messageId ? [parsed.messageId] : [])].slice(-20),
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', [LOOP_HEADER]: '1' },
      ticketId: t.id,
    });
  }
  return t;
}

/** The message's files as the ticket's (or the comment's) attachments; cid: images shown in place. */
async function attach(scope: Scope, input: ThreadInput, ticketId: number, commentId: number | null): Promise<string | null> {
  const rows = input.files.length > 0 ? await insertUploads(scope, input.tenantId, ticketId, input.files, commentId) : [];
  const cids = new Map<string, number>();
  input.files.forEach((f, i) => {
    const cid = (f as StoredUpload & { cid?: string | null }).cid;
    if (cid && rows[i]) cids.set(cid, rows[i].id);
  });
  const html = input.parsed.html
    ? ownHtml(input.parsed.html, (cid) => (cids.has(cid) ? `/api/v1/attachments/${cids.get(cid)}` : null))
    : null;
  return html;
}

/** Stores the message's attachments (before the transaction): typed from their bytes, each within the limit. */
async function storeParts(deps: PipelineDeps, tenantId: number, parsed: Parsed, limitBytes: number): Promise<StoredUpload[]> {
  const out: Array<StoredUpload & { cid: string | null }> = [];
  for (const part of parsed.attachments.slice(0, 100)) {
    if (part.content.length > limitBytes) continue;
    const hash = rawHash(part.content);
    const key = `mail/${tenantId}/files/${hash.slice(0, 2)}/${hash}`;
    const name = sanitiseName(part.filename);
    let contentType = 'application/octet-stream';
    try {
      contentType = detectType(part.content.subarray(0, 4096), isTextual(part.content), name);
    } catch {
      // HTML, SVG, scripts: kept, served only as a download.
      contentType = 'application/octet-stream';
    }
    await deps.storage.put(key, Readable.from([part.content]));
    out.push({ key, name, size: part.content.length, contentType, cid: part.cid });
  }
  return out;
}

function isTextual(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096);
  for (const b of head) if (b === 0 || (b < 9 && b !== 0)) return false;
  return true;
}

/**
 * A message over the company's size limit is not lost silently: the refusal is recorded on the
 * mailbox (sender, subject, size) and the sender gets a bounce-style reply, unless it was itself automatic.
 */
async function refuseOversize(
  deps: Deps,
  run: Run,
  input: IngestInput,
  maxMb: number,
  mailboxAddress: string | null,
  hash: string,
): Promise<IngestResult> {
  const { tenantId, raw } = input;
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = await parseMail(raw.subarray(0, end >= 0 ? Math.min(end + 4, 512 * 1024) : 512 * 1024));
  const key = headerMessageId(raw) ?? `sha256:${hash}`;
  const from = head.from?.address ?? headerFrom(raw);
  const automatic = noiseReason(
    { ...head, from: from ? { address: from, name: '' } : null },
    { addresses: new Set(mailboxAddress ? [mailboxAddress.toLowerCase()] : []) },
  );
  return run(async (scope) => {
    const id = await claimInbound(scope.tx, {
      tenantId,
      mailboxId: input.mailboxId,
      messageIdKey: key,
      rawKey: null,
      rawSize: raw.length,
      fromAddress: from,
      fromName: head.from?.name || null,
      subject: head.subject.slice(0, 1000) || null,
      result: 'ignored',
      reason: 'too_large',
      serverRef: input.serverRef ?? null,
    });
    if (id === null) return { result: 'duplicate', reason: 'too_large' };
    // At most three bounces an hour to one address (the claim above counts as one).
    if (from && !automatic && (await recentRefusals(scope.tx, tenantId, from)) <= 3) {
      await deps.mailer.queue(scope, tenantId, {
        template: 'mail.refused_too_large',
        to: from,
        from: mailboxAddress ?? undefined,
        subject: `Not delivered: ${head.subject || '(no subject)'}`.slice(0, 300),
        text: `Your message "${head.subject || '(no subject)'}" (${(raw.length / 1024 / 1024).toFixed(1)} MB) was not accepted: messages to this address may be at most ${maxMb} MB. Please send the files in smaller messages or as links.\n`,
        inReplyTo: head.messageId,
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', [LOOP_HEADER]: '1' },
      });
    }
    deps.log.info({ tenantId, mailboxId: input.mailboxId, inboundId: id, size: raw.length }, 'mail refused: too large');
    return { result: 'ignored', reason: 'too_large', inboundId: id };
  });
}
