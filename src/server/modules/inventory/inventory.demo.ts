// Demo inventory for a fresh install: vendors, parts with stock in the demo store rooms (created
// here when the asset demo has not made them), and supply requests at each stage. Stock moves and
// supply requests go through the real services inside the setup transaction (their scope-taking
// forms); nobody is mailed.
import { and, eq, like } from 'drizzle-orm';
import type { Permission } from '../../../shared/permissions/index.js';
import { companies, roles, users } from '../../db/schema/index.js';
import type { UserActor } from '../../platform/actor.js';
import type { Deps } from '../../platform/context.js';
import type { Scope } from '../../platform/db.js';
import { findOrCreateChain } from '../locations/locations.service.js';
import { createSupplyRequestIn, fulfilSupplyIn } from '../supply/supply.service.js';
import { applyMovement } from './movements.service.js';
import { createPartIn, createVendorIn } from './parts.service.js';

const VENDORS = [
  { name: 'Office Supply Co', email: 'orders@officesupply.example.com', phone: '+1 555 0100', website: 'https://officesupply.example.com' },
  { name: 'Lumen Electric', email: 'sales@lumen.example.com', phone: '+1 555 0142' },
  { name: 'AirCare Filters', email: 'service@aircare.example.com' },
];

type DemoPart = [sku: string, name: string, unit: string, cost: number, min: number, max: number, reorder: number, vendor: string, store: number, it: number];
const PARTS: DemoPart[] = [
  ['TON-HP42A', 'Toner HP 42A black', 'pcs', 79.9, 2, 20, 4, 'Office Supply Co', 6, 2],
  ['PAP-A4-BOX', 'Paper A4, box of 5 reams', 'box', 24.5, 5, 60, 10, 'Office Supply Co', 25, 4],
  ['DRM-HP42A', 'Imaging drum HP 42A', 'pcs', 109, 1, 6, 2, 'Office Supply Co', 1, 0],
  ['LED-T8-120', 'LED tube T8 120 cm', 'pcs', 8.4, 10, 100, 20, 'Lumen Electric', 48, 0],
  ['FUS-16A', 'Fuse 16 A', 'pcs', 1.2, 20, 200, 30, 'Lumen Electric', 90, 0],
  ['FLT-G4-592', 'Air filter G4 592×592', 'pcs', 14.75, 8, 40, 12, 'AirCare Filters', 16, 0],
  ['KBD-USB', 'USB keyboard', 'pcs', 19.9, 2, 15, 3, 'Office Supply Co', 0, 5],
  ['CBL-HDMI-2M', 'HDMI cable 2 m', 'pcs', 6.5, 5, 30, 5, 'Office Supply Co', 0, 7],
];

/** A demo person as a company actor (the purchasing demo acts as Maria Lopez too). */
export async function demoActor(scope: Scope, tenantId: number, name: string): Promise<UserActor | null> {
  const [company] = await scope.tx.select().from(companies).where(eq(companies.id, tenantId));
  const [row] = await scope.tx
    .select({ user: users, role: roles })
    .from(users)
    .innerJoin(roles, and(eq(roles.tenantId, users.tenantId), eq(roles.id, users.roleId)))
    .where(and(eq(users.tenantId, tenantId), eq(users.name, name), like(users.email, `%@demo${tenantId}.example.com`)));
  if (!row || !company) return null;
  const { user, role } = row;
  return {
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
  };
}

export async function seedDemoInventory(scope: Scope, deps: Deps, tenantId: number): Promise<void> {
  // The services run in the setup's transaction (their scope-taking forms) and mail nobody.
  const mailer = Object.assign(Object.create(deps.mailer) as Deps['mailer'], { queue: async () => 0, queueMany: async () => [] });
  const quiet: Deps = { ...deps, mailer };
  const storekeeper = await demoActor(scope, tenantId, 'Maria Lopez');
  if (!storekeeper) return;

  const store = (await findOrCreateChain(scope.tx, tenantId, ['Warehouse', 'Storage'], true))!;
  const itRoom = (await findOrCreateChain(scope.tx, tenantId, ['HQ', 'Building A', 'IT room'], true))!;
  const vendorIds = new Map<string, number>();
  for (const v of VENDORS) {
    const made = await createVendorIn(scope, storekeeper, v);
    vendorIds.set(v.name, Number(made.id));
  }
  const partIds = new Map<string, number>();
  for (const [sku, name, unit, unitCost, minQuantity, maxQuantity, reorderPoint, vendor, inStore, inIt] of PARTS) {
    const part = await createPartIn(scope, storekeeper, {
      sku,
      name,
      unit,
      unitCost,
      minQuantity,
      maxQuantity,
      reorderPoint,
      vendors: [{ vendorId: vendorIds.get(vendor)!, vendorSku: `${vendor.slice(0, 3).toUpperCase()}-${sku}`, price: Math.round(unitCost * 92) / 100 }],
    });
    const id = Number(part.id);
    partIds.set(sku, id);
    if (inStore) await applyMovement(scope, quiet, storekeeper, id, { type: 'receive', quantity: inStore, locationId: store.id, note: 'Opening stock' });
    if (inIt) await applyMovement(scope, quiet, storekeeper, id, { type: 'receive', quantity: inIt, locationId: itRoom.id, note: 'Opening stock' });
  }
  // Some everyday use: tubes replaced, a stock count, toner moved to the IT room.
  await applyMovement(scope, quiet, storekeeper, partIds.get('LED-T8-120')!, { type: 'consume', quantity: 6, locationId: store.id, note: 'Corridor lights, Building B' });
  await applyMovement(scope, quiet, storekeeper, partIds.get('FUS-16A')!, { type: 'adjust', quantity: -4, locationId: store.id, note: 'Stock count: four missing' });
  await applyMovement(scope, quiet, storekeeper, partIds.get('TON-HP42A')!, { type: 'transfer', quantity: 2, locationId: store.id, toLocationId: itRoom.id });

  const requests: Array<[by: string, lines: Array<[string, number]>, fulfil: boolean]> = [
    ['Hannah Schulz', [['TON-HP42A', 1], ['PAP-A4-BOX', 2]], true],
    ['Kenji Sato', [['KBD-USB', 1], ['CBL-HDMI-2M', 2]], false],
    ['Chloe Martin', [['PAP-A4-BOX', 3]], false],
  ];
  for (const [by, lines, fulfil] of requests) {
    const requester = await demoActor(scope, tenantId, by);
    if (!requester) continue;
    const made = await createSupplyRequestIn(scope, quiet, requester, { lines: lines.map(([sku, quantity]) => ({ partId: partIds.get(sku)!, quantity })) });
    if (fulfil) await fulfilSupplyIn(scope, quiet, storekeeper, made.ticket.number, store.id);
  }
}
