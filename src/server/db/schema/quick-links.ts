// Links admins pin to dashboards (intranet pages, manuals, vendor portals): for everyone, or one role.
import { bigint, foreignKey, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { companies } from './companies.js';
import { roles } from './users.js';

export const quickLinks = pgTable(
  'quick_links',
  {
    tenantId: tenantId().references(() => companies.id, { onDelete: 'cascade' }),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** Null: on everyone's dashboard. */
    roleId: bigint('role_id', { mode: 'number' }),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // A link pinned for a role goes with the role.
    foreignKey({ name: 'quick_links_role_fk', columns: [t.tenantId, t.roleId], foreignColumns: [roles.tenantId, roles.id] }).onDelete('cascade'),
    index('quick_links_tenant_position_idx').on(t.tenantId, t.position, t.id),
    tenantPolicy(),
  ],
);
