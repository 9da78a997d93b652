// Display names of records a history or log refers to by id, read in one query per kind.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { assets, categories, departments, locations, picklistItems, projects, teams, users, vendors } from '../../db/schema/index.js';
import type { Tx } from '../../platform/db.js';

export const REF_KINDS = ['user', 'team', 'category', 'project', 'asset', 'location', 'department', 'vendor', 'picklist'] as const;
export type RefKind = (typeof REF_KINDS)[number];

// Each kind's table and what people call a row of it (an asset by tag and name).
const SOURCES = {
  user: { table: users, label: sql<string>`${users.name}` },
  team: { table: teams, label: sql<string>`${teams.name}` },
  category: { table: categories, label: sql<string>`${categories.name}` },
  project: { table: projects, label: sql<string>`${projects.name}` },
  asset: { table: assets, label: sql<string>`${assets.tag} || ' ' || ${assets.name}` },
  location: { table: locations, label: sql<string>`${locations.name}` },
  department: { table: departments, label: sql<string>`${departments.name}` },
  vendor: { table: vendors, label: sql<string>`${vendors.name}` },
  picklist: { table: picklistItems, label: sql<string>`${picklistItems.name}` },
} as const;

/** id → label of the given rows of one kind in a company; ids that no longer exist are left out. */
export async function labelsOf(tx: Tx, tenantId: number, kind: RefKind, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { table, label } = SOURCES[kind];
  const rows = await tx
    .select({ id: table.id, label })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), inArray(table.id, ids)));
  return new Map(rows.map((r) => [Number(r.id), r.label]));
}
