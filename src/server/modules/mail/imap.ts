// The IMAP connector (imapflow): logs in (TLS or plain), drains the folder — every unseen message
// (or, with a processed folder, every message in it) in UID order — handing each raw message to the
// sink, and only once the sink has resolved (its row committed) sets \Seen or MOVEs the message to
// the processed folder. Then it waits for new mail: IDLE when the server offers it, polling
// otherwise, reconnecting with backoff when the connection drops. No database work here.
import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import { threadKeys } from './mail.parse.js';
import type { IngestResult } from './mail.pipeline.js';

export interface ImapSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 993); false: plain (STARTTLS is used when the server offers it). */
  secure: boolean;
  username: string;
  password: string;
  folder: string;
  /** Move handled messages here (created when missing); null: mark them \Seen and leave them. */
  processedFolder: string | null;
  /** Trust this CA (PEM) instead of the system's: a server with a private CA (and tests). */
  ca?: string;
}

/** Takes one raw message; resolves once it is recorded for good (throws: leave it on the server). */
export type MailSink = (raw: Buffer, serverRef: string) => Promise<IngestResult>;

export interface DrainReport {
  fetched: number;
  results: Partial<Record<IngestResult['result'], number>>;
  /** Messages still waiting in the folder when the drain ended. */
  waiting: number;
}

export interface SessionOptions {
  /** Keep the session open for new mail this long after the first drain (0: drain once and leave). */
  watchMs: number;
  /** Between two polls when the server has no IDLE. */
  pollMs?: number;
  signal?: AbortSignal;
  /** Stop after this many messages (benchmarks, tests). */
  limit?: number;
  onDrain?: (report: DrainReport) => void | Promise<void>;
  /** Every PROGRESS_EVERY messages of a drain, with how many still wait; false ends the session (the lease was lost). */
  onProgress?: (waiting: number) => Promise<boolean>;
  /** Messages handed to the sink at once (default INGEST_PARALLEL; 1: one after the other). */
  parallel?: number;
}

export const PROGRESS_EVERY = 50;
/**
 * Messages of one drain ingested at once: each in its own transaction (different Message-IDs in
 * parallel; the key's unique index still decides a race), while one sharing a thread key with a
 * message in flight waits for it. The IMAP commands (fetch, flag, move) stay one at a time.
 */
export const INGEST_PARALLEL = 4;

/** The session was told to stop mid-drain (its lease went to another worker): nothing to record. */
export class SessionStopped extends Error {}

/** An error worth showing on the mailbox: login refused, host unknown, TLS failure, timeout. */
export function describeImapError(err: unknown): string {
  const e = err as { authenticationFailed?: boolean; responseText?: string; code?: string; message?: string; serverResponseCode?: string };
  if (e?.authenticationFailed) return `Login failed: ${e.responseText || 'the server refused the user name or password'}`;
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return `Host not found (${e.code})`;
  if (e?.code === 'ECONNREFUSED') return 'Connection refused: nothing listens on that host and port';
  if (e?.code === 'ETIMEDOUT' || e?.code === 'CONNECT_TIMEOUT' || e?.code === 'GREETING_TIMEOUT') return 'Connection timed out';
  if (typeof e?.code === 'string' && /^(ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO)/.test(e.code))
    return `TLS failed: ${e.message ?? e.code}`;
  if (e?.responseText) return e.responseText;
  return e?.message ?? String(err);
}

export function imapClient(s: ImapSettings): ImapFlow {
  return new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: { user: s.username, pass: s.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
    tls: {
      rejectUnauthorized: true,
      servername: isIP(s.host) ? undefined : s.host,
      minVersion: 'TLSv1.2',
      ...(s.ca ? { ca: [s.ca] } : {}),
    },
  });
}

async function close(c: ImapFlow): Promise<void> {
  try {
    await c.logout();
  } catch {
    c.close();
  }
}

/** Connects, logs in and looks at the folder (and the processed folder): changes nothing. */
export async function testImap(s: ImapSettings): Promise<{ ok: boolean; error?: string }> {
  const c = imapClient(s);
  c.on('error', () => undefined);
  try {
    await c.connect();
    // STATUS, not SELECT: nothing on the server changes (a missing processed folder is created on the first move).
    await c.status(s.folder, { messages: true }).catch((err) => {
      throw new Error(`Folder "${s.folder}" cannot be opened: ${describeImapError(err)}`);
    });
    return { ok: true };
  } catch (err) {
    return { ok: false, error: describeImapError(err) };
  } finally {
    await close(c);
  }
}

async function ensureFolder(c: ImapFlow, folder: string): Promise<void> {
  const list = await c.list();
  if (list.some((f) => f.path === folder)) return;
  await c.mailboxCreate(folder).catch((err: { serverResponseCode?: string }) => {
    if (err?.serverResponseCode !== 'ALREADYEXISTS') throw err;
  });
}

/** Unhandled messages of the selected folder, oldest UID first. */
async function pendingUids(c: ImapFlow, s: ImapSettings): Promise<number[]> {
  const found = await c.search(s.processedFolder ? { all: true } : { seen: false }, { uid: true });
  return (found || []).sort((a, b) => a - b);
}

/** Drains the selected folder once: each message to the sink, then flagged or moved. */
async function drainSelected(
  c: ImapFlow,
  s: ImapSettings,
  sink: MailSink,
  opts: {
    limit?: number;
    signal?: AbortSignal;
    seen: { n: number };
    onProgress?: (waiting: number) => Promise<boolean>;
    parallel?: number;
  },
): Promise<DrainReport> {
  const report: DrainReport = { fetched: 0, results: {}, waiting: 0 };
  const uidValidity = c.mailbox ? String(c.mailbox.uidValidity) : '0';
  const uids = await pendingUids(c, s);
  const parallel = Math.max(1, opts.parallel ?? INGEST_PARALLEL);
  // The connection takes one command at a time: fetches, flags and moves go through this chain.
  let chain: Promise<unknown> = Promise.resolve();
  const onConnection = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };
  const inFlight = new Map<number, { keys: string[]; done: Promise<void> }>();
  // The first failure: a SinkError (the pipeline) or the connection's; the drain stops starting messages.
  let failure: unknown = null;
  let nextProgress = PROGRESS_EVERY;
  const settle = async () => {
    await Promise.race([...inFlight.values()].map((f) => f.done));
  };
  for (const uid of uids) {
    if (failure !== null || opts.signal?.aborted || (opts.limit !== undefined && opts.seen.n + inFlight.size >= opts.limit)) break;
    while (inFlight.size >= parallel && failure === null) await settle();
    if (failure !== null) break;
    if (opts.onProgress && report.fetched >= nextProgress) {
      nextProgress = report.fetched - (report.fetched % PROGRESS_EVERY) + PROGRESS_EVERY;
      // Waiting: every message not yet flagged or moved (those in flight among them).
      if (!(await opts.onProgress(uids.length - report.fetched))) {
        while (inFlight.size > 0) await settle();
        throw new SessionStopped('The fetch lease was lost');
      }
    }
    // BODY.PEEK[]: fetching does not set \Seen; only a committed ingest does.
    const msg = await onConnection(() => c.fetchOne(String(uid), { uid: true, source: true }, { uid: true }));
    if (!msg || !msg.source) continue;
    const source = msg.source;
    const keys = threadKeys(source);
    // Same thread: after the message in flight it shares a key with (its ticket must exist first).
    for (;;) {
      const blocking = [...inFlight.values()].filter((f) => f.keys.some((k) => keys.includes(k)));
      if (blocking.length === 0) break;
      await Promise.all(blocking.map((f) => f.done));
    }
    if (failure !== null) break;
    const done = (async () => {
      let result: IngestResult;
      try {
        result = await sink(source, `imap:${uidValidity}:${uid}`);
      } catch (err) {
        failure ??= new SinkError(err);
        return;
      }
      // Only once its row committed is the message flagged or moved on the server.
      try {
        if (s.processedFolder) await onConnection(() => c.messageMove(String(uid), s.processedFolder as string, { uid: true }));
        else await onConnection(() => c.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true }));
      } catch (err) {
        // The connection failed: recorded already, so the re-fetch after a reconnect is a duplicate.
        failure ??= err;
        return;
      }
      report.fetched++;
      opts.seen.n++;
      report.results[result.result] = (report.results[result.result] ?? 0) + 1;
    })().finally(() => inFlight.delete(uid));
    inFlight.set(uid, { keys, done });
  }
  while (inFlight.size > 0) await settle();
  if (failure !== null) throw failure;
  report.waiting = (await onConnection(() => pendingUids(c, s))).length;
  return report;
}

/** The pipeline (the database) failed: the message stays where it is and the session ends. */
export class SinkError extends Error {
  constructor(readonly cause: unknown) {
    super(`The message could not be recorded: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });

/**
 * One session: connect, drain, then (for `watchMs`) wait for new mail with IDLE — or poll — and
 * drain again. A dropped connection is re-opened with backoff (1 s, 2 s, 4 s … 30 s) while the
 * session lasts; a failure of the first connection (login refused, host down) throws.
 */
export async function runImapSession(s: ImapSettings, sink: MailSink, opts: SessionOptions): Promise<DrainReport> {
  const total: DrainReport = { fetched: 0, results: {}, waiting: 0 };
  const deadline = Date.now() + opts.watchMs;
  const seen = { n: 0 };
  let attempt = 0;
  let first = true;
  for (;;) {
    const c = imapClient(s);
    let dropped = false;
    let wake: (() => void) | null = null;
    let arrived = false;
    c.on('error', () => {
      dropped = true;
    });
    c.on('close', () => {
      dropped = true;
      wake?.();
    });
    c.on('exists', () => {
      arrived = true;
      wake?.();
    });
    try {
      await c.connect();
      if (s.processedFolder) await ensureFolder(c, s.processedFolder);
      await c.mailboxOpen(s.folder);
      attempt = 0;
      first = false;
      const hasIdle = c.capabilities.has('IDLE');
      for (;;) {
        const report = await drainSelected(c, s, sink, {
          limit: opts.limit,
          signal: opts.signal,
          seen,
          onProgress: opts.onProgress,
          parallel: opts.parallel,
        });
        total.fetched += report.fetched;
        for (const [k, v] of Object.entries(report.results))
          total.results[k as IngestResult['result']] = (total.results[k as IngestResult['result']] ?? 0) + (v ?? 0);
        total.waiting = report.waiting;
        await opts.onDrain?.(report);
        const left = deadline - Date.now();
        if (left <= 0 || opts.signal?.aborted || (opts.limit !== undefined && seen.n >= opts.limit)) {
          await close(c);
          return total;
        }
        arrived = false;
        if (hasIdle) {
          // IDLE until the server tells of new mail, the session ends, or the connection drops;
          // the next command (the drain's SEARCH) ends the IDLE.
          const idling = c.idle().catch(() => undefined);
          await new Promise<void>((resolve) => {
            wake = resolve;
            if (arrived || dropped) resolve();
            const t = setTimeout(resolve, Math.min(left, 25 * 60_000));
            opts.signal?.addEventListener('abort', () => {
              clearTimeout(t);
              resolve();
            });
          });
          wake = null;
          void idling;
        } else {
          await sleep(Math.min(left, opts.pollMs ?? 30_000), opts.signal);
        }
        if (dropped) throw new Error('The IMAP connection was closed');
      }
    } catch (err) {
      await close(c);
      if (err instanceof SinkError || err instanceof SessionStopped || first || Date.now() >= deadline || opts.signal?.aborted) throw err;
      attempt++;
      await sleep(Math.min(30_000, 1000 * 2 ** (attempt - 1)), opts.signal);
      if (Date.now() >= deadline) return total;
    }
  }
}
