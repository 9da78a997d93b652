// Demo data for a fresh install: twenty people across the default roles and departments. Later
// capabilities (tickets, assets, purchasing) add their own records here. Demo users share the
// password chosen for the admin, so no well-known password ever exists.
import { and, eq } from 'drizzle-orm';
import { departments, roles } from '../../db/schema/index.js';
import type { Deps } from '../../platform/context.js';
import { hashPassword } from '../../platform/crypto.js';
import type { Scope } from '../../platform/db.js';
import { seedDemoAssets } from '../assets/assets.demo.js';
import { seedDemoInventory } from '../inventory/inventory.demo.js';
import { seedDemoMaintenance } from '../maintenance/maintenance.demo.js';
import { seedDemoMail } from '../mail/mail.demo.js';
import { seedDemoMeters } from '../meters/meters.demo.js';
import { seedDemoPurchasing } from '../purchasing/purchasing.demo.js';
import { seedDemoSchedule } from '../schedule/schedule.demo.js';
import { seedDemoSla } from '../sla/sla.demo.js';
import { seedDemoReports } from '../reports/reports.demo.js';
import { seedDemoTickets } from '../tickets/tickets.demo.js';
import { insertUser } from '../users/users.repo.js';

const PEOPLE: Array<[name: string, role: string, department: string, color: string]> = [
  ['Maria Lopez', 'Manager', 'Operations', '#e64980'],
  ['Tom Becker', 'Department Head', 'IT', '#7950f2'],
  ['Aisha Khan', 'Department Head', 'Facilities', '#4c6ef5'],
  ['Jonas Weber', 'Department Head', 'Finance', '#15aabf'],
  ['Lena Fischer', 'Technician', 'IT', '#12b886'],
  ['Omar Haddad', 'Technician', 'IT', '#40c057'],
  ['Sven Larsen', 'Technician', 'Facilities', '#82c91e'],
  ['Priya Nair', 'Technician', 'Facilities', '#fab005'],
  ['Diego Santos', 'Technician', 'Operations', '#fd7e14'],
  ['Hannah Schulz', 'Requester', 'Finance', '#fa5252'],
  ['Kenji Sato', 'Requester', 'Operations', '#be4bdb'],
  ['Chloe Martin', 'Requester', 'Operations', '#228be6'],
  ['Ben Carter', 'Requester', 'Finance', '#0ca678'],
  ['Fatima Zahra', 'Requester', 'Facilities', '#f76707'],
  ['Lukas Novak', 'Requester', 'IT', '#5c7cfa'],
  ['Sara Rossi', 'Requester', 'Operations', '#d6336c'],
  ['Mateo Garcia', 'Requester', 'Facilities', '#3bc9db'],
  ['Emma Dubois', 'Requester', 'Finance', '#94d82d'],
  ['Noah Williams', 'Viewer', 'Finance', '#868e96'],
];

export async function seedDemoData(scope: Scope, deps: Deps, tenantId: number, password: string): Promise<void> {
  const roleRows = await scope.tx.select({ id: roles.id, name: roles.name }).from(roles).where(eq(roles.tenantId, tenantId));
  const deptRows = await scope.tx.select({ id: departments.id, name: departments.name }).from(departments).where(eq(departments.tenantId, tenantId));
  const roleId = new Map(roleRows.map((r) => [r.name, r.id]));
  const deptId = new Map(deptRows.map((d) => [d.name, d.id]));
  const passwordHash = await hashPassword(password);
  const heads = new Map<string, number>();
  for (const [name, role, department, color] of PEOPLE) {
    const [first, last] = name.toLowerCase().split(' ');
    const user = await insertUser(scope.tx, {
      tenantId,
      name,
      email: `${first}.${last}@demo${tenantId}.example.com`,
      username: `${first}.${last}${tenantId === 1 ? '' : `.${tenantId}`}`,
      passwordHash,
      roleId: roleId.get(role)!,
      departmentId: deptId.get(department)!,
      color,
      status: 'active',
    });
    if (role === 'Department Head') heads.set(department, user.id);
  }
  for (const [department, userId] of heads) {
    await scope.tx
      .update(departments)
      .set({ headUserId: userId })
      .where(and(eq(departments.tenantId, tenantId), eq(departments.id, deptId.get(department)!)));
  }
  await seedDemoAssets(scope, tenantId);
  await seedDemoTickets(scope, deps, tenantId);
  await seedDemoSla(scope, deps, tenantId);
  await seedDemoInventory(scope, deps, tenantId);
  await seedDemoPurchasing(scope, deps, tenantId);
  await seedDemoMaintenance(scope, deps, tenantId);
  await seedDemoMeters(scope, tenantId);
  await seedDemoSchedule(scope, tenantId);
  await seedDemoMail(scope, deps, tenantId);
  await seedDemoReports(scope, deps, tenantId);
}
