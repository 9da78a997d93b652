// Webhook deliveries on PostgreSQL: deliveries per second through the whole delivery path (claim in
// a short transaction, decrypt the secret, sign with standardwebhooks, POST outside any transaction
// with the SSRF-guarded client, record the answer in another transaction) to a local receiver,
// beside the raw limit: plain HTTP POSTs of the same body to the same receiver with the same client
// and concurrency, no database and no signing, in the same run. Also the cost of emitting: events
// per second written by emitWebhookEvent inside their transaction (one subscribed hook).
//
//   npm run bench:webhooks        (= node --import tsx bench/webhooks.ts)
//
// Environment (all optional):
//   BENCH_DATABASE_URL   database to DROP and recreate (loopback only)
//                        (default postgres://postgres@127.0.0.1:5432/steward_bench_webhooks)
//   BENCH_DELIVERIES     deliveries per scenario (default 2000)
//   BENCH_CONCURRENCY    comma list of deliveries in flight (default 1,8)
//   BENCH_JSON           also write the raw results to this file
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app.js';
import { testConfig } from '../src/server/config.js';
import { postJson } from '../src/server/modules/webhooks/webhooks.net.js';
import { deliverOne, emitWebhookEvent, registerWebhooks } from '../src/server/modules/webhooks/webhooks.service.js';
import { openDatabase } from '../src/server/platform/db.js';
import { createLogger } from '../src/server/platform/logger.js';
import { createDeps } from '../src/server/runtime.js';
import { fmt, intEnv, login, recreateWithMigrations } from './load.js';

const URL_DEFAULT = 'postgres://postgres@127.0.0.1:5432/steward_bench_webhooks';
const ADMIN = { name: 'Bench Admin', email: 'admin@bench-hooks.test', password: 'bench-password-1234' };

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/** Runs `one(i)` for i in [0, n) with `c` in flight. */
async function pool(n: number, c: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        await one(i);
      }
    }),
  );
}

async function main() {
  const url = process.env.BENCH_DATABASE_URL || URL_DEFAULT;
  const n = intEnv('BENCH_DELIVERIES', 2000, 10, 1_000_000);
  const concurrency = (process.env.BENCH_CONCURRENCY || '1,8').split(',').map((c) => Number(c.trim()));

  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  process.stderr.write(`recreating ${url}\n`);
  await recreateWithMigrations(url);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-hooks-'));
  const database = await openDatabase({ databaseUrl: url, dataDir, poolSize: 20 });
  const config = testConfig({ databaseUrl: url, dataDir, roles: ['web'], publicUrl: 'http://127.0.0.1', webhookAllowPrivate: true });
  const deps = await createDeps(config, { database, log: createLogger('silent') });
  const app = await buildApp(deps, { webDir: null });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // Deliveries are driven by this process; nothing is queued for a worker.
  registerWebhooks({ ...deps, jobs: { ...deps.jobs, sendMany: async () => {}, send: async () => null } });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const results: Record<string, unknown> = { deliveries: n, cpus: os.cpus().length, node: process.version };

  try {
    const setup = await fetch(`${base}/api/v1/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ company: { name: 'Bench Hooks', slug: 'bench-hooks' }, admin: ADMIN, demoData: false }),
    });
    if (!setup.ok) throw new Error(`setup: ${setup.status} ${await setup.text()}`);
    const session = await login(base, ADMIN.email, ADMIN.password);
    const made = await fetch(`${base}/api/v1/webhooks`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ url: target, events: ['ticket.created'] }),
    });
    if (made.status !== 201) throw new Error(`webhook: ${made.status} ${await made.text()}`);
    const { rows } = await database.query<{ id: number }>('select id::int from companies limit 1');
    const tenantId = rows[0].id;
    // A ticket-sized payload (the ticket DTO is ~1.5 KB of JSON).
    const data = {
      ticket: { id: '1', number: 1, title: 'Printer on fire', description: 'x'.repeat(1200), status: 'open', tags: ['a', 'b'] },
    };
    const body = JSON.stringify({ type: 'ticket.created', timestamp: new Date().toISOString(), data });

    for (const c of concurrency) {
      // Emission: n events, one transaction each, `c` at a time.
      const emitted = await timed(() =>
        pool(n, c, async () => {
          await database.withTenant(tenantId, (scope) => emitWebhookEvent(scope, 'ticket.created', data));
        }),
      );
      const { rows: due } = await database.query<{ id: number }>(
        "select id::int from webhook_deliveries where tenant_id = $1 and status = 'pending' order by id",
        [tenantId],
      );
      // Deliveries: the whole path for each.
      const before = received;
      const delivered = await timed(() =>
        pool(due.length, c, async (i) => {
          const status = await deliverOne(deps, tenantId, due[i].id);
          if (status !== 'delivered') throw new Error(`delivery ${due[i].id}: ${status}`);
        }),
      );
      if (received - before !== due.length) throw new Error(`receiver counted ${received - before} of ${due.length}`);
      // Raw limit: the same POSTs, same client, no database, no signing.
      const raw = await timed(() =>
        pool(n, c, async () => {
          const r = await postJson(target, body, {}, { timeoutMs: 10_000, allowPrivate: true });
          if (r.status !== 200) throw new Error(`raw POST: ${r.status} ${r.error}`);
        }),
      );
      const row = {
        concurrency: c,
        emitPerSecond: n / emitted.seconds,
        deliveriesPerSecond: due.length / delivered.seconds,
        rawPostsPerSecond: n / raw.seconds,
      };
      results[`c${c}`] = row;
      process.stderr.write(
        `concurrency ${c}: emit ${fmt(row.emitPerSecond)} events/s; deliver ${fmt(row.deliveriesPerSecond)} deliveries/s; raw ${fmt(row.rawPostsPerSecond)} POST/s (deliveries at ${((100 * row.deliveriesPerSecond) / row.rawPostsPerSecond).toFixed(0)} % of raw)\n`,
      );
    }
    console.log(JSON.stringify(results, null, 2));
    if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
  } finally {
    await app.close();
    await database.close();
    await new Promise<void>((r) => receiver.close(() => r()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
