// Mail in on PostgreSQL: messages per second through the whole pipeline by the webhook route (HTTP,
// store, parse, filter, dedupe, thread, ticket or comment, one transaction each) for 1,000 varied
// messages, beside the raw parse-only rate of the same parser (parseMail) on the same messages in
// the same run; and the time to drain an IMAP mailbox of 1,000 messages from a throwaway Dovecot,
// beside a drain of 1,000 messages into a sink that records nothing (the IMAP limit).
//
//   npm run bench:mail        (= node --import tsx bench/mail.ts)
//
// Steward runs in this process (web role; the mail it would send stays in the outbox) on 127.0.0.1,
// port 0; requests go over keep-alive sockets from this process, `connections` of them at a time.
// Each webhook row and the in-process row also give the CPU per message (user + system) of this
// process (Steward and the load generator: one Node process) and of the PostgreSQL backends of the
// bench database (from /proc; WAL writer, checkpointer and autovacuum are not included).
//
// Environment (all optional):
//   BENCH_DATABASE_URL   database to DROP and recreate (loopback only)
//                        (default postgres://postgres@127.0.0.1:5432/steward_bench_mail)
//   BENCH_MESSAGES       messages per scenario (default 1000)
//   BENCH_CONNECTIONS    comma list of concurrent webhook requests (default 1,4,8)
//   BENCH_JSON           also write the raw results to this file
//   BENCH_SKIP_IMAP      1 skips the Dovecot drain
//   BENCH_WEB_PROCESSES  web processes of their own for the scale-out row (default 2; 0 skips it): the
//                        README's production shape, each a Steward web role on the bench database,
//                        loaded round robin from this process with max(BENCH_CONNECTIONS) each
//   BENCH_CHILD_NODE_ARGS node options for those processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
//   BENCH_LIST_STATEMENTS 1 prints the statements of the counted new ticket and reply
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/server/app.js';
import { testConfig } from '../src/server/config.js';
import { fetchMailbox } from '../src/server/modules/mail/connect.service.js';
import { runImapSession } from '../src/server/modules/mail/imap.js';
import { parseMail } from '../src/server/modules/mail/mail.parse.js';
import { ingestRawMessage } from '../src/server/modules/mail/mail.pipeline.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps, jobDefinitions } from '../src/server/runtime.js';
import { HAS_DOVECOT, startDovecot } from '../test/mail-servers.js';
import { capture, fmt, intEnv, login, recreateWithMigrations } from './load.js';

const URL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/steward_bench_mail';
const ADMIN = { name: 'Bench Admin', email: 'admin@bench-mail.test', password: 'bench-password-1234' };
const CRLF = '\r\n';

/** A varied set: plain, HTML with an inline image, attachments, other charsets, encoded words, replies, auto-replies. */
export function messages(n: number, run: string): Buffer[] {
  const out: Buffer[] = [];
  const ids: string[] = [];
  const png = randomBytes(6_000)
    .toString('base64')
    .replace(/(.{76})/g, `$1${CRLF}`);
  const pdf = randomBytes(40_000)
    .toString('base64')
    .replace(/(.{76})/g, `$1${CRLF}`);
  for (let i = 0; i < n; i++) {
    const id = `${run}-${i}@client${i % 50}.example`;
    ids.push(id);
    const from = `Person ${i} <person${i}.${run}@client${i % 50}.example>`;
    const head = [
      `From: ${from}`,
      'To: help@bench-mail.test',
      `Message-ID: <${id}>`,
      'Date: Tue, 01 Dec 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
    ];
    const kind = i % 20;
    let msg: string;
    if (kind < 8) {
      msg = [
        ...head,
        `Subject: Problem ${i}: the printer on floor ${i % 9} is jammed`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Hello,${CRLF}${CRLF}the printer shows error ${i}. Please help.${CRLF}${CRLF}Regards${CRLF}Person ${i}`,
        '',
      ].join(CRLF);
    } else if (kind < 11 && i > 20) {
      // A reply to an earlier message of this run, with the quoted conversation below.
      const to = ids[i - 20];
      msg = [
        ...head,
        `In-Reply-To: <${to}>`,
        `References: <${to}>`,
        `Subject: Re: Problem ${i - 20}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Still broken this morning.${CRLF}${CRLF}On Mon, 30 Nov 2026 someone wrote:${CRLF}> the printer shows error ${i - 20}.${CRLF}> Please help.`,
        '',
      ].join(CRLF);
    } else if (kind < 13) {
      const b = `alt-${i}`;
      const r = `rel-${i}`;
      msg = [
        ...head,
        `Subject: =?UTF-8?B?${Buffer.from(`Kühlraum ${i} zu warm – bitte prüfen`).toString('base64')}?=`,
        `Content-Type: multipart/related; boundary="${r}"`,
        '',
        `--${r}`,
        `Content-Type: multipart/alternative; boundary="${b}"`,
        '',
        `--${b}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Der Kühlraum ${i} hat 9 °C.`,
        `--${b}`,
        'Content-Type: text/html; charset=utf-8',
        '',
        `<html><body><p>Der <b>Kühlraum ${i}</b> hat 9 °C.</p><img src="cid:img${i}@bench"><script>alert(1)</script></body></html>`,
        `--${b}--`,
        `--${r}`,
        'Content-Type: image/png',
        'Content-Transfer-Encoding: base64',
        `Content-ID: <img${i}@bench>`,
        'Content-Disposition: inline; filename="photo.png"',
        '',
        png,
        `--${r}--`,
        '',
      ].join(CRLF);
    } else if (kind < 14) {
      const b = `mix-${i}`;
      msg = [
        ...head,
        `Subject: Invoice ${i} attached`,
        `Content-Type: multipart/mixed; boundary="${b}"`,
        '',
        `--${b}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'The invoice is attached.',
        `--${b}`,
        'Content-Type: application/pdf',
        'Content-Transfer-Encoding: base64',
        `Content-Disposition: attachment; filename="invoice-${i}.pdf"`,
        '',
        pdf,
        `--${b}--`,
        '',
      ].join(CRLF);
    } else if (kind < 16) {
      const latin = Buffer.from(`Caf\xe9 ${i}: la machine \xe0 caf\xe9 fuit.`, 'latin1');
      const top = [
        ...head,
        `Subject: =?ISO-8859-1?Q?Caf=E9_${i}?=`,
        'Content-Type: text/plain; charset=ISO-8859-1',
        'Content-Transfer-Encoding: 8bit',
        '',
        '',
      ].join(CRLF);
      out.push(Buffer.concat([Buffer.from(top), latin, Buffer.from(CRLF)]));
      continue;
    } else if (kind < 17) {
      msg = [
        ...head,
        `Subject: Out of office: Problem ${i}`,
        'Auto-Submitted: auto-replied',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'I am away until Monday.',
        '',
      ].join(CRLF);
    } else {
      const koi = Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]); // "Привет" in KOI8-R
      out.push(
        Buffer.concat([
          Buffer.from(
            [
              ...head,
              `Subject: =?KOI8-R?B?${koi.toString('base64')}?= ${i}`,
              'Content-Type: text/plain; charset=KOI8-R',
              'Content-Transfer-Encoding: 8bit',
              '',
              '',
            ].join(CRLF),
          ),
          koi,
          Buffer.from(` ${i}${CRLF}`),
        ]),
      );
      continue;
    }
    out.push(Buffer.from(msg));
  }
  return out;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU (user + system, ms) of this process and of the client backends serving the bench database (autovacuum not counted). */
export async function cpuNow(database: { query: <R>(sql: string) => Promise<{ rows: R[] }> }) {
  const pids = (
    await database.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'",
    )
  ).rows;
  // Per backend: [user + system, system] ms (system time is mostly the commits' WAL writes and flushes).
  const pg = new Map<number, [number, number]>();
  for (const { pid } of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      pg.set(pid, [(Number(f[11]) + Number(f[12])) * TICK_MS, Number(f[12]) * TICK_MS]);
    } catch {
      // a backend that ended meanwhile
    }
  }
  const u = process.cpuUsage();
  return { node: (u.user + u.system) / 1000, pg };
}

/** CPU per message (ms) between two readings: Node, and the backends present at both. */
export function cpuPerMessage(a: Awaited<ReturnType<typeof cpuNow>>, b: Awaited<ReturnType<typeof cpuNow>>, n: number) {
  let pg = 0;
  let sys = 0;
  for (const [pid, [ms, s]] of b.pg) {
    const [ms0, s0] = a.pg.get(pid) ?? [ms, s];
    pg += ms - ms0;
    sys += s - s0;
  }
  return { nodeMs: (b.node - a.node) / n, pgMs: pg / n, pgSystemMs: sys / n };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Sends `set` to the webhook URL(s) over `c` concurrent requests (round robin over the URLs). */
async function drive(urls: string[], set: Buffer[], c: number, latencies: number[], outcomes: Record<string, number>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: c }, async (_, conn) => {
      const target = urls[conn % urls.length];
      for (;;) {
        const i = next++;
        if (i >= set.length) return;
        const t0 = process.hrtime.bigint();
        const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'message/rfc822' }, body: new Uint8Array(set[i]) });
        const body = (await res.json()) as { result?: string };
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        const key = res.status === 202 ? (body.result ?? '?') : `http ${res.status}`;
        outcomes[key] = (outcomes[key] ?? 0) + 1;
      }
    }),
  );
}

/** CPU (user + system, ms) of other processes, by pid, from /proc. */
function cpuOf(pids: number[]): number {
  let ms = 0;
  for (const pid of pids) {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ms += (Number(f[11]) + Number(f[12])) * TICK_MS;
  }
  return ms;
}

/** A web process of its own (`--serve`): Steward's web role on the bench database; prints its URL. */
async function serve(url: string) {
  const { startSteward } = await import('./steward.js');
  const steward = await startSteward(url, { STEWARD_ROLES: 'web' });
  process.stdout.write(`${steward.base}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void steward.stop().finally(() => process.exit(0)));
}

/** Starts `count` web processes (`--serve`) and answers their URLs and pids. */
async function startWebProcesses(url: string, count: number) {
  const children = Array.from({ length: count }, () =>
    spawn(
      process.execPath,
      [
        ...(process.env.BENCH_CHILD_NODE_ARGS ?? '').split(' ').filter(Boolean),
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--serve',
      ],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
        env: { ...process.env, BENCH_DATABASE_URL: url },
      },
    ),
  );
  const bases = await Promise.all(
    children.map(
      (child) =>
        new Promise<string>((resolve, reject) => {
          let out = '';
          child.stdout.on('data', (d) => {
            out += d;
            if (out.includes('\n')) resolve(out.trim());
          });
          child.on('exit', (code) => reject(new Error(`web process exited (${code}) before it listened`)));
        }),
    ),
  );
  return {
    bases,
    pids: children.map((child) => child.pid as number),
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.stdin.end();
              setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
    },
  };
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL || URL_DEFAULT;
  const n = intEnv('BENCH_MESSAGES', 1000, 10, 100_000);
  const connections = (process.env.BENCH_CONNECTIONS || '1,4,8').split(',').map((c) => Number(c.trim()));
  process.stderr.write(`recreating ${url}\n`);
  await recreateWithMigrations(url);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-mail-'));
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: 10 });
  const config = testConfig({ databaseUrl: url, dataDir, roles: ['web'], publicUrl: 'http://127.0.0.1' });
  const deps = await createDeps(config, { database, log: createLogger('silent') });
  // As a web process starts (src/server/main.ts): the job queues exist, so the delivery job each
  // acknowledgement queues after commit is sent as in production (no worker here: the mail stays).
  await deps.jobs.start(jobDefinitions(deps), false);
  const app = await buildApp(deps, { webDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const results: Record<string, unknown> = { messages: n, cpus: os.cpus().length, node: process.version };

  try {
    const setup = await fetch(`${base}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: { name: 'Bench Mail', slug: 'bench-mail' }, admin: ADMIN, demoData: false }),
    });
    if (!setup.ok) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
    const session = await login(base, ADMIN.email, ADMIN.password);
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' };
    const api = async (method: string, p: string, body?: unknown) => {
      const res = await fetch(`${base}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<any>;
    };
    // Room for the benchmark's senders (the default is 30 an hour per sender; each sender writes ≤ 2).
    await api('PATCH', '/api/v1/settings/mail', { maxMessageMb: 25 });
    const hook = await api('POST', '/api/v1/mailboxes', { type: 'webhook', name: 'Bench webhook', address: 'help@bench-mail.test' });
    const hookPath = new URL(hook.mailbox.webhookUrl as string).pathname;

    // 1. Parse only: the pipeline's parser on the same kind of messages, in this process.
    const sample = messages(n, 'parse');
    const parsed = await timed(async () => {
      for (const m of sample) await parseMail(m);
    });
    const parseRate = n / parsed.seconds;
    results.parseOnly = { seconds: parsed.seconds, perSecond: parseRate };
    process.stderr.write(`parse only: ${n} messages in ${parsed.seconds.toFixed(2)} s = ${fmt(parseRate)} msg/s\n`);

    // 2. The whole pipeline through the webhook, at each connection count, fresh messages each time.
    const pipeline: Record<string, unknown> = {};
    for (const c of connections) {
      const set = messages(n, `hook${c}-${randomBytes(3).toString('hex')}`);
      const latencies: number[] = [];
      const outcomes: Record<string, number> = {};
      const cpu0 = await cpuNow(database);
      const run = await timed(() => drive([`${base}${hookPath}`], set, c, latencies, outcomes));
      const cpu = cpuPerMessage(cpu0, await cpuNow(database), n);
      latencies.sort((a, b) => a - b);
      const rate = n / run.seconds;
      pipeline[String(c)] = {
        cpu,
        seconds: run.seconds,
        perSecond: rate,
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        outcomes,
      };
      process.stderr.write(
        `webhook pipeline, ${c} connection(s): ${n} messages in ${run.seconds.toFixed(2)} s = ${fmt(rate)} msg/s (p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms) ${JSON.stringify(outcomes)}; CPU per message: Node ${cpu.nodeMs.toFixed(2)} ms, PostgreSQL ${cpu.pgMs.toFixed(2)} ms (system ${cpu.pgSystemMs.toFixed(2)})\n`,
      );
    }
    results.pipeline = pipeline;

    // 2b. The same pipeline called in this process (no HTTP), one message at a time: what HTTP adds.
    const tenantOf = Number((await database.query<{ id: string }>("select id from companies where slug = 'bench-mail'")).rows[0].id);
    const direct = messages(n, `direct-${randomBytes(3).toString('hex')}`);
    const cpuIn0 = await cpuNow(database);
    const inProcess = await timed(async () => {
      for (const m of direct) await ingestRawMessage(deps, { tenantId: tenantOf, mailboxId: Number(hook.mailbox.id), raw: m });
    });
    const cpuIn = cpuPerMessage(cpuIn0, await cpuNow(database), n);
    results.inProcess = { seconds: inProcess.seconds, perSecond: n / inProcess.seconds, cpu: cpuIn };
    // Round trips to PostgreSQL of one new ticket and one reply (what the rate is made of).
    const one = messages(30, `count-${randomBytes(3).toString('hex')}`);
    const countOf = async (m: Buffer) => {
      const seen = await capture(
        async () => void (await ingestRawMessage(deps, { tenantId: tenantOf, mailboxId: Number(hook.mailbox.id), raw: m })),
      );
      if (process.env.BENCH_LIST_STATEMENTS === '1') {
        for (const q of seen) process.stderr.write(`  ${q.text.replace(/\s+/g, ' ').slice(0, 110)}\n`);
      }
      return seen.length;
    };
    const statementsNew = await countOf(one[0]);
    for (let i = 1; i < 28; i++) await ingestRawMessage(deps, { tenantId: tenantOf, mailboxId: Number(hook.mailbox.id), raw: one[i] });
    // one[28] answers one[8] (In-Reply-To): a comment on its ticket.
    const statementsReply = await countOf(one[28]);
    results.statements = { newTicket: statementsNew, reply: statementsReply };
    process.stderr.write(`statements per message: new ticket ${statementsNew}, reply ${statementsReply}\n`);
    process.stderr.write(
      `pipeline in process (ingestRawMessage, no HTTP): ${n} messages in ${inProcess.seconds.toFixed(2)} s = ${fmt(n / inProcess.seconds)} msg/s; CPU per message: Node ${cpuIn.nodeMs.toFixed(2)} ms, PostgreSQL ${cpuIn.pgMs.toFixed(2)} ms (system ${cpuIn.pgSystemMs.toFixed(2)})\n`,
    );

    // 2c. Scale-out as README "Production" runs it: several stateless web processes on the same
    // database, the load from this process (whose own Steward is idle meanwhile).
    const processes = intEnv('BENCH_WEB_PROCESSES', 2, 0, 8);
    if (processes > 0) {
      const web = await startWebProcesses(url, processes);
      try {
        const c = Math.max(...connections) * processes;
        const set = messages(n, `scale${processes}-${randomBytes(3).toString('hex')}`);
        const latencies: number[] = [];
        const outcomes: Record<string, number> = {};
        // Warm-up (not counted): the processes' pools open their connections, their code is compiled.
        await drive(
          web.bases.map((b) => `${b}${hookPath}`),
          messages(c * 4, `warm-${randomBytes(3).toString('hex')}`),
          c,
          [],
          {},
        );
        const cpu0 = await cpuNow(database);
        const children0 = cpuOf(web.pids);
        const run = await timed(() =>
          drive(
            web.bases.map((b) => `${b}${hookPath}`),
            set,
            c,
            latencies,
            outcomes,
          ),
        );
        const cpu = cpuPerMessage(cpu0, await cpuNow(database), n);
        const webMs = (cpuOf(web.pids) - children0) / n;
        latencies.sort((a, b) => a - b);
        const rate = n / run.seconds;
        results.scaleOut = { processes, connections: c, seconds: run.seconds, perSecond: rate, outcomes, cpu: { ...cpu, webMs } };
        process.stderr.write(
          `webhook pipeline, ${processes} web processes, ${c} connections: ${n} messages in ${run.seconds.toFixed(2)} s = ${fmt(rate)} msg/s (p50 ${fmt(percentile(latencies, 50))} ms, p99 ${fmt(percentile(latencies, 99))} ms) ${JSON.stringify(outcomes)}; CPU per message: web processes ${webMs.toFixed(2)} ms, load generator ${cpu.nodeMs.toFixed(2)} ms, PostgreSQL ${cpu.pgMs.toFixed(2)} ms (system ${cpu.pgSystemMs.toFixed(2)})\n`,
        );
      } finally {
        await web.stop();
      }
    }

    // 3. IMAP: drain 1,000 messages from Dovecot through the pipeline, beside a drain into a no-op sink.
    if (process.env.BENCH_SKIP_IMAP === '1') {
      process.stderr.write('IMAP drain skipped (BENCH_SKIP_IMAP=1)\n');
    } else if (!HAS_DOVECOT) {
      process.stderr.write('IMAP drain skipped: /usr/sbin/dovecot is absent (apt-get install dovecot-imapd)\n');
    } else {
      const users = [
        { user: 'drain@bench-mail.test', password: 'drain-password' },
        { user: 'limit@bench-mail.test', password: 'limit-password' },
      ];
      const dovecot = await startDovecot(users);
      try {
        const delivered = await timed(async () => {
          await dovecot.deliver(users[0], messages(n, `imap-${randomBytes(3).toString('hex')}`));
          await dovecot.deliver(users[1], messages(n, `limit-${randomBytes(3).toString('hex')}`));
        });
        process.stderr.write(`(delivered 2 × ${n} messages by APPEND in ${delivered.seconds.toFixed(1)} s)\n`);
        const limit = await timed(() =>
          runImapSession(
            {
              host: dovecot.host,
              port: dovecot.port,
              secure: false,
              username: users[1].user,
              password: users[1].password,
              folder: 'INBOX',
              processedFolder: null,
            },
            async () => ({ result: 'ignored' }),
            { watchMs: 0 },
          ),
        );
        const box = await api('POST', '/api/v1/mailboxes', {
          type: 'imap',
          name: 'Bench IMAP',
          address: users[0].user,
          host: dovecot.host,
          port: dovecot.port,
          secure: false,
          username: users[0].user,
          password: users[0].password,
        });
        const tenantId = Number((await database.query<{ id: string }>("select id from companies where slug = 'bench-mail'")).rows[0].id);
        const drain = await timed(() => fetchMailbox(deps, tenantId, Number(box.mailbox.id)));
        const report = drain.value.report;
        results.imap = {
          drainSeconds: drain.seconds,
          perSecond: n / drain.seconds,
          results: report?.results,
          status: drain.value.status,
          noopSinkSeconds: limit.seconds,
          noopPerSecond: n / limit.seconds,
        };
        process.stderr.write(
          `IMAP drain through the pipeline: ${report?.fetched ?? 0} messages in ${drain.seconds.toFixed(2)} s = ${fmt(n / drain.seconds)} msg/s ${JSON.stringify(report?.results)}\n` +
            `IMAP drain into a no-op sink (the limit): ${limit.value.fetched} messages in ${limit.seconds.toFixed(2)} s = ${fmt(n / limit.seconds)} msg/s\n`,
        );
      } finally {
        await dovecot.stop();
      }
    }
  } finally {
    await app.close();
    await deps.jobs.stop();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  (process.argv.includes('--serve') ? serve(process.env.BENCH_DATABASE_URL || URL_DEFAULT) : main()).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
