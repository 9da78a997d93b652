// Two (or eight) people booking one technician's slot at the same moment: exactly one wins, the
// others get 422 `overlap` naming the winner. Booking during time off while it is being approved:
// never both. And the database alone (exclusion constraint, no lock in front) refuses a same-kind
// overlap. The races need real parallel transactions: PostgreSQL; the constraint holds on both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEntry } from '../../src/server/modules/schedule/schedule.repo.js';
import { createCompany, createUser, type TestCompany, type TestUser } from '../factories.js';
import { type Harness, harness, TEST_DB } from '../harness.js';
import { count } from '../helpers.js';

describe('schedule overlap in the database', () => {
  let h: Harness;
  let acme: TestCompany;
  let tech: TestUser;

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    tech = await createUser(h, acme, { role: 'Technician' });
  });
  afterAll(() => h.close());

  const row = (startsAt: string, endsAt: string, kind: 'shift' | 'job' = 'shift') => ({
    tenantId: acme.id,
    technicianId: tech.id,
    kind,
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
    timezone: 'UTC',
  });

  it('refuses a same-kind overlap by the exclusion constraint, without any check in front', async () => {
    const first = await h.deps.database.withTenant(acme.id, ({ tx }) =>
      insertEntry(tx, row('2026-05-01T08:00:00Z', '2026-05-01T16:00:00Z')),
    );
    expect(typeof first).toBe('number');
    const again = await h.deps.database.withTenant(acme.id, ({ tx }) =>
      insertEntry(tx, row('2026-05-01T15:00:00Z', '2026-05-01T17:00:00Z')),
    );
    expect(again).toBe('overlap');
    // Half-open: back to back is fine; another kind is fine.
    expect(
      typeof (await h.deps.database.withTenant(acme.id, ({ tx }) => insertEntry(tx, row('2026-05-01T16:00:00Z', '2026-05-01T17:00:00Z')))),
    ).toBe('number');
    expect(
      typeof (await h.deps.database.withTenant(acme.id, ({ tx }) =>
        insertEntry(tx, row('2026-05-01T09:00:00Z', '2026-05-01T10:00:00Z', 'job')),
      )),
    ).toBe('number');
    // Raw SQL as the app role cannot get round it either.
    await expect(
      h.deps.database.withTenant(acme.id, ({ tx }) => insertEntry(tx, row('2026-05-01T07:00:00Z', '2026-05-01T08:00:01Z'))),
    ).resolves.toBe('overlap');
  });
});

describe.skipIf(TEST_DB === 'pglite')('concurrent booking (PostgreSQL)', () => {
  let h: Harness;
  let acme: TestCompany;
  let tech: TestUser;
  let planners: TestUser[];

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    tech = await createUser(h, acme, { role: 'Technician' });
    planners = await Promise.all(Array.from({ length: 4 }, () => createUser(h, acme, { role: 'Manager' })));
  });
  afterAll(() => h.close());

  it('lets exactly one of eight simultaneous bookings of one slot through; the others name it', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        planners[i % planners.length].client.post('/api/v1/schedule/entries', {
          technicianId: String(tech.id),
          kind: 'shift',
          timezone: 'Europe/London',
          startsAt: `2026-05-04T0${8 + (i % 2)}:00:00+01:00`,
          endsAt: '2026-05-04T17:00:00+01:00',
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    const lost = answers.filter((a) => a.status !== 201);
    expect(lost.map((a) => a.status)).toEqual(Array(7).fill(422));
    for (const a of lost) {
      expect(a.body.error.code).toBe('overlap');
      expect(a.body.error.details.conflicts).toEqual([expect.objectContaining({ type: 'entry', id: won[0].body.entry.id, kind: 'shift' })]);
    }
    expect(await count(h, 'select count(*) from schedule_entries where tenant_id = $1 and technician_id = $2', [acme.id, tech.id])).toBe(1);
  });

  it('never both approves time off and books a job inside it at the same moment', async () => {
    for (let day = 10; day < 16; day++) {
      const off = (
        await tech.client.post('/api/v1/time-off', {
          kind: 'vacation',
          startsAt: `2026-05-${day}T00:00:00Z`,
          endsAt: `2026-05-${day}T23:00:00Z`,
        })
      ).body.timeOff;
      const [approve, book] = await Promise.all([
        planners[0].client.post(`/api/v1/time-off/${off.id}/approve`, {}),
        planners[1].client.post('/api/v1/schedule/entries', {
          technicianId: String(tech.id),
          kind: 'job',
          timezone: 'UTC',
          startsAt: `2026-05-${day}T10:00:00Z`,
          endsAt: `2026-05-${day}T11:00:00Z`,
        }),
      ]);
      // One of the two, never both: approved (200) and the booking refused, or booked (201) and the approval refused.
      expect([
        [200, 422],
        [422, 201],
      ]).toContainEqual([approve.status, book.status]);
      const loser = approve.status === 422 ? approve : book;
      expect(loser.body.error.code).toBe('overlap');
      expect(loser.body.error.details.conflicts).toHaveLength(1);
    }
  });
});
