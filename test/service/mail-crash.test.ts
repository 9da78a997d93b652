// kill -9 of the worker in the middle of draining a Dovecot mailbox of 200 messages, then a restart:
// every message ends in exactly one place — one inbound row and one ticket each, all flagged \Seen on
// the server. The worker is a child process on the same database (a PostgreSQL database, or a
// PGlite directory on disk that the restarted worker opens after the crash).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INGEST_PARALLEL } from '../../src/server/modules/mail/imap.js';
import { createPostgresDatabase } from '../db-template.js';
import { TEST_DB } from '../harness.js';
import { type Dovecot, eml, HAS_DOVECOT, NO_DOVECOT, startDovecot } from '../mail-servers.js';

if (!HAS_DOVECOT) console.warn(`mail-crash: skipped: ${NO_DOVECOT}`);

const WORKER = path.join(import.meta.dirname, '..', 'mail-crash-worker.ts');
const TOTAL = 200;

function run(mode: string, args: object): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; lines: unknown[] }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, mode, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const done = new Promise<{ code: number | null; signal: string | null; lines: unknown[] }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) reject(new Error(`worker ${mode} exited ${code}: ${err}`));
      else resolve({ code, signal, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l)) });
    });
  });
  return { child, done };
}

describe.skipIf(!HAS_DOVECOT)('a worker killed with -9 while draining a mailbox', () => {
  const user = { user: 'crash@steward.test', password: 'crash-password' };
  let dovecot: Dovecot;
  let pg: { url: string; drop(): Promise<void> } | null = null;
  const dataDir = path.join(tmpdir(), `steward-crash-${randomBytes(4).toString('hex')}`);

  beforeAll(async () => {
    dovecot = await startDovecot([user]);
    if (TEST_DB === 'postgres') pg = await createPostgresDatabase(process.env.TEST_DATABASE_URL as string);
  });
  afterAll(async () => {
    await dovecot?.stop();
    await pg?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loses nothing and doubles nothing', { timeout: 240_000 }, async () => {
    const base = { databaseUrl: pg?.url ?? null, dataDir, sessionSecret: 's'.repeat(32) };
    const setup = await run('setup', { ...base, imap: { host: dovecot.host, port: dovecot.port, user: user.user, password: user.password } }).done;
    const { tenantId, mailboxId } = setup.lines[0] as { tenantId: number; mailboxId: number };
    await dovecot.deliver(
      user,
      Array.from({ length: TOTAL }, (_, i) => eml({ from: `Sender ${i} <sender${i}@example.org>`, subject: `Crash test message ${i}`, body: `Body of message ${i}.` })),
    );
    expect(await dovecot.count(user)).toEqual({ total: TOTAL, seen: 0 });

    // The first worker drains; once a quarter of the messages are flagged it is killed outright.
    const ids = { ...base, tenantId, mailboxId, owner: 'worker-1' };
    const first = run('drain', ids);
    let seenAtKill = 0;
    for (;;) {
      seenAtKill = (await dovecot.count(user)).seen;
      if (seenAtKill >= TOTAL / 4) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.lines).toEqual([]);
    const afterKill = await dovecot.count(user);
    expect(afterKill.seen).toBeGreaterThan(0);
    expect(afterKill.seen).toBeLessThan(TOTAL);

    // Another worker is turned away while the dead one's lease holds …
    const other = await run('drain', { ...ids, owner: 'worker-2' }).done;
    expect(other.lines[0]).toMatchObject({ status: 'busy' });
    // … and the restarted worker (same identity) takes over and drains the rest.
    const restarted = await run('drain', ids).done;
    const outcome = restarted.lines[0] as { status: string; report: { fetched: number; results: Record<string, number> } };
    expect(outcome.status).toBe('done');
    expect(outcome.report.fetched).toBe(TOTAL - afterKill.seen);
    // At most the messages in flight at the kill (the drain hands INGEST_PARALLEL at once to the pipeline)
    // had committed without their flag: they come back as duplicates, and make no second ticket (below).
    expect(outcome.report.results.duplicate ?? 0).toBeLessThanOrEqual(INGEST_PARALLEL);
    expect((outcome.report.results.created ?? 0) + (outcome.report.results.duplicate ?? 0)).toBe(TOTAL - afterKill.seen);

    expect(await dovecot.count(user)).toEqual({ total: TOTAL, seen: TOTAL });
    const report = (await run('report', { ...base, tenantId, mailboxId }).done).lines[0];
    expect(report).toEqual({ inbound: TOTAL, distinctKeys: TOTAL, created: TOTAL, tickets: TOTAL, ticketsWithOneMessage: TOTAL });
  });
});
