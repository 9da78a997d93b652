// A web and a worker process started together on a fresh PostgreSQL database both create pg-boss's
// queues. pg-boss's create_queue (a row and a partition per queue) can deadlock between them; the
// loser must retry, and both processes must start (the deploy test met this as "deadlock detected").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/server/platform/db.js';
import { createJobs } from '../../src/server/platform/jobs.js';
import { createLogger } from '../../src/server/platform/logger.js';
import { createPostgresDatabase } from '../db-template.js';
import { TEST_DB } from '../harness.js';

describe.skipIf(TEST_DB !== 'postgres')('two processes creating the job queues at once', () => {
  let fresh: { url: string; drop(): Promise<void> };
  const opened: Database[] = [];

  beforeAll(async () => {
    fresh = await createPostgresDatabase(process.env.TEST_DATABASE_URL as string);
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await fresh?.drop();
  });

  it('both start, and every queue exists once', async () => {
    const log = createLogger('silent');
    const definitions = Array.from({ length: 40 }, (_, i) => ({ name: `race-${i}`, handler: async () => {} }));
    const processes = await Promise.all(
      [0, 1, 2].map(async () => {
        const db = await openDatabase({ databaseUrl: fresh.url, dataDir: '/tmp', poolSize: 4 });
        opened.push(db);
        return createJobs(db, log);
      }),
    );
    const started = await Promise.allSettled(processes.map((jobs) => jobs.start(definitions, false)));
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(['ok', 'ok', 'ok']);
    const { rows } = await opened[0].query("select count(*)::int as n from pgboss.queue where name like 'race-%'");
    expect(rows[0]).toEqual({ n: 40 });
    for (const jobs of processes) await jobs.stop();
  });
});
