// The daily ticket jobs: archiving old closed tickets and purging rejected ones past retention,
// per company with each company's own settings.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveClosedTickets, purgeRejectedTickets } from '../../src/server/modules/tickets/tickets.jobs.js';
import { jobDefinitions } from '../../src/server/runtime.js';
import { createCompany, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('ticket jobs', () => {
  let h: Harness;
  let a: TestCompany;
  let b: TestCompany;

  const open = async (c: TestCompany, title: string) => {
    const res = await c.admin.client.post('/api/v1/tickets', { kind: 'incident', title, priority: 'low' });
    expect(res.status).toBe(201);
    return res.body.ticket.number as number;
  };
  /** Puts a ticket into a status as if it got there `days` ago. */
  const age = async (c: TestCompany, number: number, status: string, days: number) => {
    await h.deps.database.query(
      `update tickets set status = $3, closed_at = now() - make_interval(days => $4::int), updated_at = now() - make_interval(days => $4::int)
        where tenant_id = $1 and number = $2`,
      [c.id, number, status, days],
    );
  };
  const archived = async (c: TestCompany, number: number) => {
    const { rows } = await h.deps.database.query<{ archived: boolean }>(
      'select archived_at is not null as archived from tickets where tenant_id = $1 and number = $2',
      [c.id, number],
    );
    return rows[0]?.archived;
  };
  const exists = async (c: TestCompany, number: number) =>
    (await h.deps.database.query('select 1 from tickets where tenant_id = $1 and number = $2', [c.id, number])).rows.length === 1;
  const listed = async (c: TestCompany, query: string) =>
    (await c.admin.client.get(`/api/v1/tickets?limit=200&${query}`)).body.items.map((i: { number: number }) => i.number) as number[];

  beforeAll(async () => {
    h = await harness();
    a = await createCompany(h);
    b = await createCompany(h);
  });
  afterAll(() => h.close());

  it('registers both jobs with daily schedules', () => {
    const defs = jobDefinitions(h.deps);
    expect(defs.find((d) => d.name === 'tickets.archive-closed')?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(defs.find((d) => d.name === 'tickets.purge-rejected')?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
  });

  it('the settings are exposed, validated and audited', async () => {
    const before = await a.admin.client.get('/api/v1/settings');
    expect(before.body.settings).toMatchObject({ archiveAfterDays: 90, rejectedRetentionDays: 30 });
    expect((await b.admin.client.patch('/api/v1/settings', { archiveAfterDays: 0 })).status).toBe(400);
    expect((await b.admin.client.patch('/api/v1/settings', { rejectedRetentionDays: 1.5 })).status).toBe(400);
    const res = await b.admin.client.patch('/api/v1/settings', { archiveAfterDays: 10, rejectedRetentionDays: 60 });
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ archiveAfterDays: 10, rejectedRetentionDays: 60, locale: 'en' });
    const audit = await b.admin.client.get('/api/v1/audit?limit=200');
    expect(audit.body.items.some((e: { action: string }) => e.action === 'settings.updated')).toBe(true);
    // Other settings survive.
    await b.admin.client.patch('/api/v1/settings', { locale: 'en' });
    expect((await b.admin.client.get('/api/v1/settings')).body.settings.archiveAfterDays).toBe(10);
  });

  it("archives only each company's old closed tickets; they stay findable with archived=true", async () => {
    const aOld = await open(a, 'A closed long ago');
    const aRecent = await open(a, 'A closed recently');
    const aOpenOld = await open(a, 'A open for ages');
    const aResolvedOld = await open(a, 'A resolved long ago');
    const bOld = await open(b, 'B closed 20 days ago');
    const bRecent = await open(b, 'B closed 5 days ago');
    await age(a, aOld, 'closed', 100);
    await age(a, aRecent, 'closed', 50);
    await h.deps.database.query(`update tickets set created_at = now() - interval '300 days' where tenant_id = $1 and number = $2`, [
      a.id,
      aOpenOld,
    ]);
    await age(a, aResolvedOld, 'resolved', 200);
    await age(b, bOld, 'closed', 20);
    await age(b, bRecent, 'closed', 5);

    expect(await archiveClosedTickets(h.deps)).toBe(2);
    expect(await archived(a, aOld)).toBe(true);
    expect(await archived(a, aRecent)).toBe(false);
    expect(await archived(a, aOpenOld)).toBe(false);
    expect(await archived(a, aResolvedOld)).toBe(false);
    expect(await archived(b, bOld)).toBe(true);
    expect(await archived(b, bRecent)).toBe(false);

    expect(await listed(a, '')).not.toContain(aOld);
    expect(await listed(a, 'archived=true')).toEqual(expect.arrayContaining([aOld, aRecent]));
    expect(await listed(a, 'archived=only')).toEqual([aOld]);
    expect(await listed(a, 'archived=true&q=long%20ago')).toContain(aOld);
    expect(await listed(b, 'archived=only')).toEqual([bOld]);
    const history = await a.admin.client.get(`/api/v1/tickets/${aOld}/history`);
    expect(history.body.items.at(-1)).toMatchObject({ event: 'archived', field: 'archivedAt' });
    // A second run finds nothing more; reopening un-archives.
    expect(await archiveClosedTickets(h.deps)).toBe(0);
    expect((await a.admin.client.post(`/api/v1/tickets/${aOld}/status`, { status: 'in_progress' })).status).toBe(200);
    expect(await archived(a, aOld)).toBe(false);
  });

  it('purges only rejected tickets past retention, with their files, never sooner', async () => {
    const aOld = await open(a, 'A rejected 40 days ago');
    const aRecent = await open(a, 'A rejected 10 days ago');
    const aClosedOld = await open(a, 'A closed 400 days ago');
    const bOld = await open(b, 'B rejected 40 days ago');
    const bOlder = await open(b, 'B rejected 70 days ago');
    await age(a, aOld, 'rejected', 40);
    await age(a, aRecent, 'rejected', 10);
    await age(a, aClosedOld, 'closed', 400);
    await age(b, bOld, 'rejected', 40);
    await age(b, bOlder, 'rejected', 70);
    await a.admin.client.post(`/api/v1/tickets/${aOld}/comments`, { body: 'Note on a rejected ticket' }).catch(() => {});

    const files = new Map<number, string>();
    for (const [c, number] of [
      [a, aOld],
      [a, aRecent],
      [b, bOlder],
    ] as const) {
      const key = `t${c.id}/tickets/${number}-${Date.now()}.txt`;
      await h.deps.storage.put(key, Readable.from(['hello']));
      await h.deps.database.query(
        `insert into attachments (tenant_id, ticket_id, name, size, content_type, storage_key)
         select tenant_id, id, 'note.txt', 5, 'text/plain', $3 from tickets where tenant_id = $1 and number = $2`,
        [c.id, number, key],
      );
      files.set(number + c.id * 1_000_000, key);
    }
    const file = (c: TestCompany, n: number) => path.join(h.deps.config.dataDir, 'files', files.get(n + c.id * 1_000_000)!);
    expect(existsSync(file(a, aOld))).toBe(true);

    expect(await purgeRejectedTickets(h.deps)).toBe(2);
    expect(await exists(a, aOld)).toBe(false);
    expect(await exists(a, aRecent)).toBe(true);
    expect(await exists(a, aClosedOld)).toBe(true);
    expect(await exists(b, bOld)).toBe(true);
    expect(await exists(b, bOlder)).toBe(false);
    expect(existsSync(file(a, aOld))).toBe(false);
    expect(existsSync(file(b, bOlder))).toBe(false);
    expect(existsSync(file(a, aRecent))).toBe(true);
    const { rows } = await h.deps.database.query<{ n: number }>(
      'select count(*)::int as n from attachments where storage_key = any($1::text[])',
      [[files.get(aOld + a.id * 1_000_000), files.get(bOlder + b.id * 1_000_000)]],
    );
    expect(rows[0].n).toBe(0);
    const orphans = await h.deps.database.query<{ n: number }>(
      'select count(*)::int as n from ticket_history h where not exists (select 1 from tickets t where t.tenant_id = h.tenant_id and t.id = h.ticket_id)',
    );
    expect(orphans.rows[0].n).toBe(0);
    const audit = await a.admin.client.get('/api/v1/audit?limit=200');
    const purge = audit.body.items.find((e: { action: string }) => e.action === 'tickets.purged');
    expect(purge.details).toMatchObject({ numbers: [aOld], files: 1, retentionDays: 30 });
    expect(await purgeRejectedTickets(h.deps)).toBe(0);
  });
});
