// Two transactions that take the same two rows in opposite orders deadlock; PostgreSQL aborts one.
// runScoped runs the aborted one again, so both callers succeed (a request answers, not 500) and
// each change is kept once. Needs real parallel transactions: PostgreSQL.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, TEST_DB } from '../harness.js';

describe.skipIf(TEST_DB !== 'postgres')('a transaction PostgreSQL aborts to break a deadlock', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
    await h.deps.database.exec('create table deadlock_probe (id int primary key, hits int not null default 0); insert into deadlock_probe values (1, 0), (2, 0)');
  });
  afterAll(async () => {
    await h.deps.database.exec('drop table if exists deadlock_probe');
    await h.close();
  });

  it('runs again, and both writers succeed with each change kept once', async () => {
    let attempts = 0;
    let arrived = 0;
    let release!: () => void;
    const bothHoldOne = new Promise<void>((resolve) => {
      release = resolve;
    });
    const writer = (first: number, second: number, tag: string) =>
      h.deps.database.system(async ({ tx, afterCommit }) => {
        attempts++;
        const ran: string[] = [];
        afterCommit(() => ran.push(tag));
        await tx.execute(sql`update deadlock_probe set hits = hits + 1 where id = ${first}`);
        if (++arrived === 2) release();
        await Promise.race([bothHoldOne, new Promise((r) => setTimeout(r, 2_000))]);
        await tx.execute(sql`update deadlock_probe set hits = hits + 1 where id = ${second}`);
        return tag;
      });
    const results = await Promise.allSettled([writer(1, 2, 'a'), writer(2, 1, 'b')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : String(r.reason)))).toEqual(['a', 'b']);
    expect(attempts).toBe(3);
    const { rows } = await h.deps.database.query<{ id: number; hits: number }>('select id, hits from deadlock_probe order by id');
    expect(rows).toEqual([
      { id: 1, hits: 2 },
      { id: 2, hits: 2 },
    ]);
  });
});
