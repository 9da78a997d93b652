// Search pages through candidates newest first and applies visibility and filters to each batch:
// every visible match appears exactly once across pages, and nothing invisible ever does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

describe('ticket search at scale', () => {
  let h: Harness;
  let acme: TestCompany;
  let tech: TestUser;
  let manager: TestUser;
  const visibleNumbers: number[] = [];

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    manager = await createUser(h, acme, { role: 'Manager', department: 'IT' });
    // 620 tickets mention "quokka"; only every 40th is assigned to the technician (who sees only
    // assigned tickets), so the search must look through several candidate batches to fill a page.
    await h.deps.database.query(
      'insert into ticket_counters (tenant_id, last) values ($1, 620) on conflict (tenant_id) do update set last = 620',
      [acme.id],
    );
    await h.deps.database.query(
      `insert into tickets (tenant_id, number, kind, title, description, status, priority, source, requester_id, created_by_id, assignee_id)
       select $1, g, 'incident', 'Noise near the quokka enclosure ' || g, 'details', 'open', 'medium', 'web', $2, $2,
              case when g % 40 = 0 then $3::bigint else null end
       from generate_series(1, 620) g`,
      [acme.id, manager.id, tech.id],
    );
    for (let g = 40; g <= 620; g += 40) visibleNumbers.push(g);
  });
  afterAll(() => h.close());

  async function allPages(client: TestUser['client'], url: string) {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const res: { status: number; body: any } = await client.get(`${url}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((t: { number: number }) => t.number));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    return seen;
  }

  it('finds exactly the visible matches, newest first, each once, for a narrow view', async () => {
    const seen = await allPages(tech.client, '/api/v1/tickets?q=quokka&limit=5');
    expect(seen).toEqual([...visibleNumbers].reverse());
  });

  it('pages through every match for someone who sees all, by words and by partial words', async () => {
    const words = await allPages(manager.client, '/api/v1/tickets?q=quokka&limit=200');
    expect(words).toHaveLength(620);
    expect(new Set(words).size).toBe(620);
    expect(words[0]).toBe(620);
    const partial = await allPages(manager.client, '/api/v1/tickets?q=uokk&limit=200');
    expect(partial).toHaveLength(620);
    const filtered = await allPages(manager.client, `/api/v1/tickets?q=quokka&assigneeId=${tech.id}&limit=3`);
    expect(filtered).toEqual([...visibleNumbers].reverse());
  });

  it('a ticket number finds that ticket', async () => {
    const res = await manager.client.get('/api/v1/tickets?q=%23123');
    expect(res.body.items.map((t: { number: number }) => t.number)).toEqual([123]);
  });
});
