// Documents (issue 17, SPEC §15): company knowledge by category, each either an uploaded file
// (kept in storage under a server-made key) or a URL, linked to any number of assets and tickets.
import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, tenantId, tenantPolicy, updatedAt } from './_tenancy.js';
import { assets, picklistItems } from './assets.js';
import { companies } from './companies.js';
import { tickets } from './tickets.js';

const tenantRef = () => tenantId().references(() => companies.id, { onDelete: 'cascade' });

export const documents = pgTable(
  'documents',
  {
    tenantId: tenantRef(),
    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    /** A `document_categories` picklist item; a deleted category leaves the document uncategorised. */
    categoryId: bigint('category_id', { mode: 'number' }),
    url: text('url'),
    fileName: text('file_name'),
    fileSize: bigint('file_size', { mode: 'number' }),
    contentType: text('content_type'),
    storageKey: text('storage_key'),
    createdById: bigint('created_by_id', { mode: 'number' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: 'documents_category_fk',
      columns: [t.tenantId, t.categoryId],
      foreignColumns: [picklistItems.tenantId, picklistItems.id],
    }),
    check('documents_file_or_url_check', sql`(${t.storageKey} is null) <> (${t.url} is null)`),
    index('documents_tenant_id_idx').on(t.tenantId, t.id.desc()),
    index('documents_tenant_category_idx').on(t.tenantId, t.categoryId, t.id.desc()),
    index('documents_title_trgm_idx').using('gin', t.tenantId, sql`${t.title} gin_trgm_ops`),
    index('documents_file_name_trgm_idx').using('gin', t.tenantId, sql`${t.fileName} gin_trgm_ops`),
    tenantPolicy(),
  ],
);

export const documentAssets = pgTable(
  'document_assets',
  {
    tenantId: tenantRef(),
    documentId: bigint('document_id', { mode: 'number' }).notNull(),
    assetId: bigint('asset_id', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.documentId, t.assetId] }),
    foreignKey({
      name: 'document_assets_document_fk',
      columns: [t.tenantId, t.documentId],
      foreignColumns: [documents.tenantId, documents.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'document_assets_asset_fk',
      columns: [t.tenantId, t.assetId],
      foreignColumns: [assets.tenantId, assets.id],
    }).onDelete('cascade'),
    index('document_assets_tenant_asset_idx').on(t.tenantId, t.assetId, t.documentId),
    tenantPolicy(),
  ],
);

export const documentTickets = pgTable(
  'document_tickets',
  {
    tenantId: tenantRef(),
    documentId: bigint('document_id', { mode: 'number' }).notNull(),
    ticketId: bigint('ticket_id', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.documentId, t.ticketId] }),
    foreignKey({
      name: 'document_tickets_document_fk',
      columns: [t.tenantId, t.documentId],
      foreignColumns: [documents.tenantId, documents.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'document_tickets_ticket_fk',
      columns: [t.tenantId, t.ticketId],
      foreignColumns: [tickets.tenantId, tickets.id],
    }).onDelete('cascade'),
    index('document_tickets_tenant_ticket_idx').on(t.tenantId, t.ticketId, t.documentId),
    tenantPolicy(),
  ],
);
