// Demo tickets for a fresh install: two teams, three categories with their routes, and twenty
// tickets across kinds, statuses and the demo people, with comments (some internal) and approvals.
// Every step runs through the real service functions (openTicket, approveTicketIn, assignTicketIn,
// changeStatusIn, rejectTicketIn, addCommentIn) in the setup's scope, so history, approvals,
// counters and in-app notifications are exactly what real use leaves. Demo people get no e-mail.
import { and, eq, like, sql } from 'drizzle-orm';
import type { Permission } from '../../../shared/permissions/index.js';
import {
  type ApprovalStep,
  categories,
  companies,
  type Priority,
  roles,
  teamMembers,
  teams,
  ticketApprovals,
  ticketComments,
  ticketHistory,
  type TicketKind,
  tickets,
  type TicketStatus,
  users,
} from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { assetIdsByTags } from '../assets/assets.demo.js';
import { addCommentIn } from './comments.service.js';
import { approveTicketIn, assignTicketIn, changeStatusIn, openTicket, rejectTicketIn } from './tickets.service.js';

type Step =
  | ['approve', string, string?]
  | ['reject', string, string]
  | ['assign', string, string | null, string?]
  | ['status', string, TicketStatus]
  | ['comment', string, string, boolean?];

interface DemoTicket {
  by: string;
  kind: TicketKind;
  category: string | null;
  priority: Priority;
  title: string;
  description: string;
  /** Days ago it was opened (its whole story is moved back by this much). */
  age: number;
  /** Due in this many days from now (negative: overdue). */
  due?: number;
  steps: Step[];
}

const TEAMS: Record<string, string[]> = {
  'IT support': ['Lena Fischer', 'Omar Haddad'],
  'Facilities crew': ['Sven Larsen', 'Priya Nair'],
};

const MANAGER = 'Maria Lopez';

/** Demo tickets about demo assets (by tag; the asset demo runs first). */
const ASSET_LINKS: Record<string, string[]> = {
  'Forklift annual inspection': ['FL-02'],
  'Quarterly HVAC filter change': ['AHU-A1', 'AHU-B1'],
  'Heating not working in building B': ['BLR-B'],
  'Printer on the 2nd floor jams': ['P-12'],
  'Toner for printer P-12': ['P-12'],
  'Replace conveyor belt on line 3': ['CONV-3'],
  'Elevator makes grinding noise': ['ELV-1'],
};

const TICKETS: DemoTicket[] = [
  { by: 'Lukas Novak', kind: 'request', category: 'IT hardware', priority: 'high', title: 'New laptop for data analysis', description: 'My laptop has 8 GB; the models need **32 GB**.', age: 12, due: 3, steps: [['approve', 'Tom Becker', 'Agreed, the old one is five years old'], ['approve', MANAGER], ['assign', MANAGER, 'Lena Fischer', 'IT support'], ['status', 'Lena Fischer', 'in_progress'], ['comment', 'Lena Fischer', 'Ordered; it should arrive on Thursday.'], ['comment', 'Lena Fischer', 'Vendor quote #4471: 1,890 EUR incl. dock.', true]] },
  { by: 'Hannah Schulz', kind: 'request', category: 'IT hardware', priority: 'medium', title: 'Second monitor for month-end closing', description: 'A 27" monitor would help with the reconciliation sheets.', age: 2, steps: [['approve', 'Jonas Weber', 'Fine from Finance']] },
  { by: 'Chloe Martin', kind: 'request', category: 'IT hardware', priority: 'low', title: 'Docking station', description: 'USB-C dock for the hot desk.', age: 1, steps: [] },
  { by: 'Ben Carter', kind: 'request', category: 'IT hardware', priority: 'low', title: 'Mechanical keyboard', description: 'RGB, if possible.', age: 8, steps: [['reject', 'Jonas Weber', 'Not a business need; the standard keyboard will do.']] },
  { by: 'Fatima Zahra', kind: 'incident', category: 'Facilities', priority: 'high', title: 'Broken window in meeting room 2', description: 'Cracked pane, cold air coming in.', age: 25, steps: [['assign', MANAGER, 'Sven Larsen'], ['status', 'Sven Larsen', 'in_progress'], ['comment', 'Sven Larsen', 'Glass replaced and sealed.'], ['status', 'Sven Larsen', 'resolved'], ['status', 'Fatima Zahra', 'closed']] },
  { by: 'Mateo Garcia', kind: 'incident', category: 'Facilities', priority: 'urgent', title: 'Heating not working in building B', description: 'All radiators cold on floors 1 and 2.', age: 4, due: -1, steps: [['assign', MANAGER, 'Priya Nair'], ['status', 'Priya Nair', 'in_progress'], ['comment', 'Priya Nair', 'Pump failure; the spare part is ordered.'], ['comment', 'Priya Nair', 'Supplier says 3 days; escalate if longer.', true], ['status', 'Priya Nair', 'on_hold']] },
  { by: 'Sara Rossi', kind: 'request', category: 'Facilities', priority: 'medium', title: 'Move six desks to the 3rd floor', description: 'For the new sales team, before the 1st.', age: 3, due: 7, steps: [] },
  { by: 'Kenji Sato', kind: 'work_order', category: 'Maintenance', priority: 'medium', title: 'Forklift annual inspection', description: 'Forklift FL-02 is due for its yearly inspection.', age: 9, due: 2, steps: [['approve', MANAGER], ['assign', MANAGER, 'Diego Santos'], ['status', 'Diego Santos', 'in_progress']] },
  { by: 'Diego Santos', kind: 'work_order', category: 'Maintenance', priority: 'high', title: 'Replace conveyor belt on line 3', description: 'The belt is frayed at the edges.', age: 1, steps: [] },
  { by: MANAGER, kind: 'work_order', category: 'Maintenance', priority: 'medium', title: 'Quarterly HVAC filter change', description: 'All air handling units, buildings A and B.', age: 15, steps: [['assign', MANAGER, 'Sven Larsen'], ['status', 'Sven Larsen', 'in_progress'], ['status', 'Sven Larsen', 'resolved']] },
  { by: 'Emma Dubois', kind: 'incident', category: null, priority: 'low', title: 'Printer on the 2nd floor jams', description: 'Every tenth page or so.', age: 28, steps: [['assign', MANAGER, 'Omar Haddad'], ['comment', 'Omar Haddad', 'Cleaned the rollers; please try again.'], ['status', 'Omar Haddad', 'resolved'], ['comment', 'Emma Dubois', 'Works now, thanks!'], ['status', 'Emma Dubois', 'closed']] },
  { by: 'Lukas Novak', kind: 'incident', category: null, priority: 'high', title: 'VPN disconnects every hour', description: 'Since the last client update.', age: 6, due: -2, steps: [['assign', MANAGER, 'Lena Fischer'], ['comment', 'Lena Fischer', 'Could you send the client log?'], ['comment', 'Lukas Novak', 'Sent by mail.'], ['status', 'Lena Fischer', 'in_progress']] },
  { by: 'Hannah Schulz', kind: 'incident', category: null, priority: 'urgent', title: 'Cannot log in to payroll', description: 'Account locked after the password change.', age: 5, steps: [['assign', MANAGER, 'Omar Haddad'], ['status', 'Omar Haddad', 'in_progress'], ['comment', 'Omar Haddad', 'Unlocked; MFA re-enrolled.'], ['status', 'Omar Haddad', 'resolved']] },
  { by: 'Chloe Martin', kind: 'supply', category: null, priority: 'low', title: 'Toner for printer P-12', description: 'Black, two cartridges.', age: 20, steps: [['assign', MANAGER, 'Diego Santos'], ['status', 'Diego Santos', 'resolved'], ['status', MANAGER, 'closed']] },
  { by: 'Ben Carter', kind: 'supply', category: null, priority: 'low', title: 'Printer paper A4, 10 boxes', description: 'For the finance office.', age: 0, steps: [] },
  { by: 'Sara Rossi', kind: 'incident', category: null, priority: 'medium', title: 'Coffee machine leaking', description: 'Water on the kitchen floor, 2nd floor.', age: 2, due: -1, steps: [] },
  { by: 'Kenji Sato', kind: 'request', category: 'IT hardware', priority: 'medium', title: 'Phone replacement', description: 'The screen is cracked.', age: 14, steps: [['reject', MANAGER, 'Still under warranty: please use the repair service.']] },
  { by: 'Mateo Garcia', kind: 'request', category: 'Facilities', priority: 'low', title: 'Parking permit for visitors', description: 'Three permits for the audit next month.', age: 10, steps: [['assign', MANAGER, 'Sven Larsen'], ['comment', 'Sven Larsen', 'Waiting for the city office to answer.'], ['status', 'Sven Larsen', 'on_hold']] },
  { by: 'Emma Dubois', kind: 'incident', category: null, priority: 'medium', title: 'Excel crashes on large files', description: 'Files over 50 MB crash on open.', age: 7, steps: [['assign', MANAGER, 'Lena Fischer'], ['status', 'Lena Fischer', 'in_progress'], ['comment', 'Lena Fischer', 'Known issue with the reporting add-in (KB-12).', true], ['status', 'Lena Fischer', 'resolved'], ['comment', 'Emma Dubois', 'Still crashes with the Q3 file.'], ['status', 'Emma Dubois', 'in_progress']] },
  { by: 'Fatima Zahra', kind: 'work_order', category: 'Maintenance', priority: 'urgent', title: 'Elevator makes grinding noise', description: 'Elevator 1, between floors 2 and 3.', age: 1, due: 1, steps: [['approve', MANAGER, 'Call the service company today'], ['assign', MANAGER, null, 'Facilities crew']] },
];

/** The demo people as callers, with their roles' permissions. */
async function demoActors(scope: Scope, tenantId: number): Promise<Map<string, UserActor>> {
  const [company] = await scope.tx.select().from(companies).where(eq(companies.id, tenantId));
  const rows = await scope.tx
    .select({ user: users, role: roles })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    // The demo people only (seedDemoData gives them these addresses), not an admin of the same name.
    .where(and(eq(users.tenantId, tenantId), like(users.email, `%@demo${tenantId}.example.com`)));
  return new Map(
    rows.map(({ user, role }) => [
      user.name,
      {
        kind: 'user',
        userId: user.id,
        tenantId,
        name: user.name,
        email: user.email,
        username: user.username,
        roleId: role.id,
        roleName: role.name,
        level: role.level,
        departmentId: user.departmentId,
        permissions: new Set(role.permissions as Permission[]),
        via: 'session',
        sessionId: null,
        tokenId: null,
        csrfToken: null,
        profile: { timezone: user.timezone, theme: user.theme, color: user.color, preferences: {}, totpEnabled: false, companyName: company.name, companySlug: company.slug, companyTimezone: company.timezone },
      } satisfies UserActor,
    ]),
  );
}

export async function seedDemoTickets(scope: Scope, deps: Deps, tenantId: number): Promise<void> {
  const { tx } = scope;
  const people = await demoActors(scope, tenantId);
  const person = (name: string) => {
    const p = people.get(name);
    if (!p) throw new Error(`demo tickets: no demo user ${name}`);
    return p;
  };
  // The services run in the setup's scope, and mail nobody.
  const mailer = Object.assign(Object.create(deps.mailer) as Deps['mailer'], { queue: async () => 0, queueMany: async () => [] });
  const quiet: Deps = { ...deps, mailer };

  const teamIds = new Map<string, number>();
  for (const [name, members] of Object.entries(TEAMS)) {
    const [team] = await tx.insert(teams).values({ tenantId, name }).returning({ id: teams.id });
    teamIds.set(name, team.id);
    await tx.insert(teamMembers).values(members.map((m) => ({ tenantId, teamId: team.id, userId: person(m).userId })));
  }
  const managerRole = String(person(MANAGER).roleId);
  const routes: Record<string, { steps: ApprovalStep[]; team?: string; description: string }> = {
    'IT hardware': { steps: [{ type: 'department_head' }, { type: 'role', roleId: managerRole }], team: 'IT support', description: 'Laptops, monitors, phones and accessories' },
    Facilities: { steps: [], team: 'Facilities crew', description: 'Rooms, furniture, heating, doors and windows' },
    Maintenance: { steps: [{ type: 'role', roleId: managerRole }], description: 'Work orders for machines and buildings' },
  };
  const categoryIds = new Map<string, number>();
  for (const [name, r] of Object.entries(routes)) {
    const [c] = await tx
      .insert(categories)
      .values({ tenantId, name, description: r.description, approvalSteps: r.steps, defaultTeamId: r.team ? teamIds.get(r.team) : null })
      .returning({ id: categories.id });
    categoryIds.set(name, c.id);
  }

  for (const d of TICKETS) {
    const { row: t } = await openTicket(scope, quiet, person(d.by), tenantId, {
      kind: d.kind,
      title: d.title,
      description: d.description,
      categoryId: d.category ? categoryIds.get(d.category) : null,
      priority: d.priority,
      dueAt: d.due === undefined ? null : new Date(Date.now() + d.due * 86_400_000),
      assetIds: await assetIdsByTags(tx, tenantId, ASSET_LINKS[d.title]),
    });
    for (const step of d.steps) {
      const [kind, who] = step;
      if (step[0] === 'approve') await approveTicketIn(scope, quiet, person(who), t.number, step[2]);
      else if (step[0] === 'reject') await rejectTicketIn(scope, quiet, person(who), t.number, step[2]);
      else if (step[0] === 'assign') {
        const input = { assigneeId: step[2] ? person(step[2]).userId : undefined, teamId: step[3] ? teamIds.get(step[3]) : undefined };
        await assignTicketIn(scope, quiet, person(who), t.number, input);
      } else if (step[0] === 'status') await changeStatusIn(scope, quiet, person(who), t.number, step[2], null);
      else if (step[0] === 'comment') await addCommentIn(scope, quiet, person(who), t.number, { body: step[2], internal: step[3] ?? false });
      else throw new Error(`demo tickets: unknown step ${kind}`);
    }
    if (d.age > 0) await backdate(scope, tenantId, t.id, d.age);
  }
}

/** Moves a ticket's whole story (ticket times, history, approvals, comments) back by some days, in one statement. */
async function backdate(scope: Scope, tenantId: number, ticketId: number, days: number): Promise<void> {
  const shift = sql`make_interval(days => ${days})`;
  const mine = (table: { tenantId: unknown; ticketId: unknown }) => sql`${table.tenantId} = ${tenantId} and ${table.ticketId} = ${ticketId}`;
  await scope.tx.execute(sql`
    with h as (update ${ticketHistory} set at = at - ${shift} where ${mine(ticketHistory)} returning 1),
         a as (update ${ticketApprovals} set at = at - ${shift} where ${mine(ticketApprovals)} returning 1),
         c as (update ${ticketComments} set created_at = created_at - ${shift} where ${mine(ticketComments)} returning 1)
    update ${tickets}
       set created_at = created_at - ${shift}, updated_at = updated_at - ${shift},
           resolved_at = resolved_at - ${shift}, closed_at = closed_at - ${shift}
     where ${tickets.tenantId} = ${tenantId} and ${tickets.id} = ${ticketId}`);
}
