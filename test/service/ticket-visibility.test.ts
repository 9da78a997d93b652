// The one visibility rule has two forms: maySeeTicket (notices, live pushes) and its SQL twin
// visibleTickets (every read). Over every combination of the permissions that matter and tickets
// with random facts, both must give the same answer for every viewer and ticket.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamMembers, teams, tickets, ticketWatchers } from '../../src/server/db/schema/index.js';
import { maySeeTicket, type Viewer, visibilityOf, visibleTickets } from '../../src/server/modules/tickets/tickets.policy.js';
import type { Permission } from '../../src/shared/permissions/index.js';
import { createCompany, createRole, createUser, type TestCompany } from '../factories.js';
import { type Harness, harness } from '../harness.js';

const RELEVANT: Permission[] = ['tickets.view_all', 'tickets.view_department', 'tickets.view_assigned', 'tickets.approve', 'tickets.approve_any'];

/** A small seeded generator, so a failure can be reproduced. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('maySeeTicket and visibleTickets agree', () => {
  let h: Harness;
  let acme: TestCompany;
  const viewers: Viewer[] = [];

  beforeAll(async () => {
    h = await harness();
    acme = await createCompany(h);
    const departments = [acme.departmentIds.get('IT')!, acme.departmentIds.get('Finance')!];
    const roleIds: number[] = [];
    // Every subset of the permissions the rule reads, each held by someone in a department and someone in none.
    for (let mask = 0; mask < 1 << RELEVANT.length; mask++) {
      const permissions = RELEVANT.filter((_, i) => mask & (1 << i));
      const roleId = await createRole(h, acme, ['tickets.create', ...permissions]);
      roleIds.push(roleId);
      for (const department of ['IT', undefined]) {
        const u = await createUser(h, acme, { roleId, department, login: false });
        viewers.push({
          userId: u.id,
          roleId,
          departmentId: department ? acme.departmentIds.get(department)! : null,
          permissions: new Set<Permission>(['tickets.create', ...permissions]),
        });
      }
    }
    const next = random(9);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)];
    const maybe = <T>(xs: readonly T[], p = 0.3) => (next() < p ? pick(xs) : null);
    const ids = viewers.map((v) => v.userId);
    await h.deps.database.system(async ({ tx }) => {
      const teamIds: number[] = [];
      for (const name of ['Field', 'Desk']) {
        const [team] = await tx.insert(teams).values({ tenantId: acme.id, name }).returning({ id: teams.id });
        teamIds.push(team.id);
        const members = ids.filter(() => next() < 0.3);
        if (members.length) await tx.insert(teamMembers).values(members.map((userId) => ({ tenantId: acme.id, teamId: team.id, userId })));
      }
      for (let number = 1; number <= 150; number++) {
        const pendingRoleId = maybe(roleIds, 0.4);
        const [t] = await tx
          .insert(tickets)
          .values({
            tenantId: acme.id,
            number,
            kind: 'incident',
            title: `Ticket ${number}`,
            status: pick(['pending_approval', 'open', 'in_progress', 'rejected'] as const),
            requesterId: maybe(ids),
            createdById: maybe(ids),
            assigneeId: maybe(ids),
            teamId: maybe(teamIds, 0.5),
            departmentId: maybe(departments, 0.6),
            pendingRoleId,
            pendingUserId: pendingRoleId ? null : maybe(ids, 0.2),
          })
          .returning({ id: tickets.id });
        const watchers = [...new Set([maybe(ids), maybe(ids)].filter((x): x is number => x !== null))];
        if (watchers.length) await tx.insert(ticketWatchers).values(watchers.map((userId) => ({ tenantId: acme.id, ticketId: t.id, userId })));
      }
    });
  });
  afterAll(() => h.close());

  it('for every viewer and every ticket', async () => {
    const facts = await h.deps.database.system(async ({ tx }) => {
      const rows = await tx.select().from(tickets).where(eq(tickets.tenantId, acme.id));
      const watchers = await tx.select().from(ticketWatchers).where(eq(ticketWatchers.tenantId, acme.id));
      const members = await tx.select().from(teamMembers).where(eq(teamMembers.tenantId, acme.id));
      return rows.map((t) => ({
        number: t.number,
        visibility: visibilityOf(t, {
          watcherIds: watchers.filter((w) => w.ticketId === t.id).map((w) => w.userId),
          teamMemberIds: members.filter((m) => m.teamId === t.teamId).map((m) => m.userId),
        }),
      }));
    });
    expect(facts).toHaveLength(150);
    const mismatches: string[] = [];
    let seen = 0;
    for (const viewer of viewers) {
      const bySql = await h.deps.database.withTenant(acme.id, ({ tx }) =>
        tx.select({ number: tickets.number }).from(tickets).where(and(eq(tickets.tenantId, acme.id), visibleTickets(viewer))),
      );
      const sqlSet = new Set(bySql.map((r) => r.number));
      for (const f of facts) {
        const js = maySeeTicket(viewer, f.visibility);
        if (js) seen++;
        if (js !== sqlSet.has(f.number)) mismatches.push(`user ${viewer.userId} [${[...viewer.permissions].join(' ')}] ticket ${f.number}: js ${js}, sql ${sqlSet.has(f.number)}`);
      }
    }
    expect(mismatches).toEqual([]);
    // The cases are not trivial: some viewers see some tickets, and not all see all.
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(viewers.length * facts.length);
  });
});
