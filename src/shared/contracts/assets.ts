// Asset routes: the registry record, its page, history, files, list filters and the import answer.
import { z } from 'zod';
import { idParam, idString, listQuery, page, ref, wrapped } from './common.js';
import { ASSET_STATUSES, LABEL_PAPERS } from './enums.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar date `YYYY-MM-DD` (not 2025-02-30). */
export const isDate = (s: string) =>
  DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
export const calendarDate = z.string().refine(isDate, 'must be a date (YYYY-MM-DD)');
const text = (max: number) => z.string().trim().max(max);

export const asset = z.object({
  id: z.string(),
  tag: z.string(),
  name: z.string(),
  categoryId: z.string(),
  category: ref.nullable(),
  manufacturerId: z.string().nullable(),
  manufacturer: ref.nullable(),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  status: z.enum(ASSET_STATUSES),
  conditionId: z.string().nullable(),
  condition: ref.nullable(),
  locationId: z.string().nullable(),
  location: ref.nullable(),
  locationPath: z.string().nullable(),
  parentId: z.string().nullable(),
  parent: z.object({ id: z.string(), tag: z.string(), name: z.string() }).nullable(),
  departmentId: z.string().nullable(),
  department: ref.nullable(),
  vendorId: z.string().nullable(),
  vendor: ref.nullable(),
  purchaseOrderId: z.string().nullable(),
  orderNumber: z.string().nullable(),
  modelNumber: z.string().nullable(),
  endOfLife: z.string().nullable(),
  purchaseDate: z.string().nullable(),
  purchaseCost: z.number().nullable(),
  warrantyEnd: z.string().nullable(),
  specifications: z.string().nullable(),
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  assignedToId: z.string().nullable(),
  assignedTo: ref.nullable(),
  checkedOutAt: z.string().nullable(),
  expectedReturn: z.string().nullable(),
  overdue: z.boolean(),
  publicUrl: z.string(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Asset = z.infer<typeof asset>;
export const assetAnswer = wrapped('asset', asset);

/** What the caller may do with one asset, computed by the server. */
export const assetCan = z.object({
  update: z.boolean(),
  checkout: z.boolean(),
  checkin: z.boolean(),
  manageFiles: z.boolean(),
  linkTickets: z.boolean(),
  regeneratePublicLink: z.boolean(),
});
export type AssetCan = z.infer<typeof assetCan>;
export const assetTicket = z.object({ number: z.number(), title: z.string(), kind: z.string(), status: z.string() });
export type AssetTicket = z.infer<typeof assetTicket>;
export const assetPage = asset.extend({
  children: z.array(z.object({ id: z.string(), tag: z.string(), name: z.string() })),
  tickets: z.array(assetTicket),
  can: assetCan,
});
export type AssetPage = z.infer<typeof assetPage>;
export const assetPageAnswer = wrapped('asset', assetPage);

export const assetHistoryEntry = z.object({
  id: z.string(),
  event: z.string(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), name: z.string() }).nullable(),
  changes: z.array(
    z.object({
      field: z.string(),
      before: z.unknown(),
      after: z.unknown(),
      beforeLabel: z.string().nullable().describe('The name of what `before` refers to (a user, location...); null when not a reference'),
      afterLabel: z.string().nullable(),
    }),
  ),
});
export type AssetHistoryEntry = z.infer<typeof assetHistoryEntry>;
export const assetHistory = page(assetHistoryEntry);

export const assetFile = z.object({
  id: z.string(),
  assetId: z.string(),
  name: z.string(),
  size: z.number(),
  contentType: z.string(),
  uploadedBy: ref.nullable(),
  createdAt: z.string(),
});
export type AssetFile = z.infer<typeof assetFile>;
export const assetFileAnswer = z.object({ file: assetFile });
export const assetFileList = page(assetFile);

export const assetFilters = z.object({
  q: z.string().trim().max(200).optional(),
  status: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.enum(ASSET_STATUSES)).max(10))
    .optional(),
  categoryId: idString.optional(),
  locationId: idString.optional(),
  assignedToId: z.union([idString, z.literal('me')]).optional(),
  overdue: z.enum(['true', 'false']).optional(),
});
export type AssetFilters = z.infer<typeof assetFilters>;
export const assetListQuery = assetFilters.extend(listQuery.shape);
export const assetList = page(asset);

export const assetBody = z.object({
  tag: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^\s/?#]+( [^\s/?#]+)*$/, 'letters, digits and punctuation (no / ? #)')
    .optional(),
  name: z.string().trim().min(1, 'is required').max(200),
  categoryId: idString,
  manufacturerId: idString.nullish(),
  model: text(200).nullish(),
  serial: text(200).nullish(),
  status: z.enum(ASSET_STATUSES).optional(),
  conditionId: idString.nullish(),
  locationId: idString.nullish(),
  parentId: idString.nullish(),
  departmentId: idString.nullish(),
  vendorId: idString.nullish(),
  orderNumber: text(100).nullish(),
  modelNumber: text(200).nullish(),
  endOfLife: calendarDate.nullish(),
  purchaseDate: calendarDate.nullish(),
  purchaseCost: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+(\.\d+)?$/)
        .transform(Number),
    ])
    .pipe(z.number().min(0).max(999_999_999_999))
    .nullish(),
  warrantyEnd: calendarDate.nullish(),
  specifications: text(20_000).nullish(),
  customFields: z.record(z.string().max(60), z.union([z.string().max(2000), z.number(), z.null()])).optional(),
});
export type AssetBody = z.infer<typeof assetBody>;
export type AssetInput = z.input<typeof assetBody>;

export const checkoutBody = z.object({ userId: idString, expectedReturn: calendarDate.nullish() });
export const checkinBody = z.object({ note: text(2000).nullish() });
export const linkTicketBody = z.object({ number: z.coerce.number().int().min(1).max(2_000_000_000) });
export const assetTicketParams = idParam.extend({ number: z.coerce.number().int().min(1).max(2_000_000_000) });

const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');
export const importQuery = z.object({ dryRun: queryBoolean.default(false), createPicklistValues: queryBoolean.default(false) });
/** The asset fields a CSV column can fill (besides `customFields.<key>`). */
export const ASSET_IMPORT_FIELDS = [
  'tag', 'name', 'serial', 'model', 'manufacturer', 'category', 'status', 'condition', 'location', 'department',
  'purchaseDate', 'purchaseCost', 'warrantyEnd', 'warrantyMonths', 'notes', 'vendor', 'orderNumber', 'modelNumber', 'modelNotes', 'endOfLife',
  'checkoutType', 'checkoutUsername', 'checkoutFirstName', 'checkoutLastName', 'checkoutEmail', 'checkoutName', 'checkoutLocation',
] as const;
export type AssetImportField = (typeof ASSET_IMPORT_FIELDS)[number];

/** What an import maps another tool's words to: lists whose unknown values the user maps before importing. */
export const IMPORT_VALUE_KINDS = ['status', 'categories', 'manufacturers', 'conditions', 'vendors', 'departments', 'locations'] as const;
export type ImportValueKind = (typeof IMPORT_VALUE_KINDS)[number];
/** A status (kind `status`), an existing value by id, or a value by name (created when it does not exist). */
export const importValueTarget = z.union([
  z.object({ status: z.enum(ASSET_STATUSES) }).strict(),
  z.object({ id: idString }).strict(),
  z.object({ name: z.string().trim().min(1).max(200) }).strict(),
]);
export type ImportValueTarget = z.infer<typeof importValueTarget>;
/** Multipart field `values`: `{"status":{"Awaiting imaging":{"status":"in_stock"}},"categories":{"Laptops":{"id":"12"}}}`. */
export const importValueMapping = z.partialRecord(z.enum(IMPORT_VALUE_KINDS), z.record(z.string().max(200), importValueTarget));
export type ImportValueMapping = z.infer<typeof importValueMapping>;
export const importAnswer = z.object({
  dryRun: z.boolean(),
  created: z.number(),
  updated: z.number(),
  errorCount: z.number(),
  errors: z.array(z.object({ row: z.number(), message: z.string() })),
  preview: z.array(z.record(z.string(), z.unknown())),
  columns: z.array(z.object({ header: z.string(), field: z.string().nullable() })),
  /** The file's text encoding as read. */
  encoding: z.enum(['utf-8', 'windows-1252']).nullable(),
  /**
   * Status words and list values the company does not know, with how many rows carry each: `mappedTo`
   * is the mapping that applies (sent now or remembered from an earlier import), `action` what happens
   * to those rows without one (`create` the value, or `error`: the row is skipped).
   */
  unknownValues: z.array(
    z.object({ kind: z.enum(IMPORT_VALUE_KINDS), value: z.string(), count: z.number(), mappedTo: importValueTarget.nullable(), action: z.enum(['create', 'error']) }),
  ),
  /** People named by the check-out columns whom no active user matches: those rows are imported, not checked out. */
  usersNotFound: z.array(z.object({ name: z.string(), count: z.number() })),
  checkedOut: z.number(),
  /** The mapping in force (request over remembered); a real import remembers it for the company's next one. */
  mapping: z.object({ columns: z.record(z.string(), z.string()), values: importValueMapping }),
});
export type ImportAnswer = z.infer<typeof importAnswer>;
export const labelsQuery = z.object({
  ids: z
    .string()
    .regex(/^\d{1,18}(,\d{1,18})*$/, 'comma-separated asset ids')
    .transform((s) => s.split(',').map(Number)),
  paper: z.enum(LABEL_PAPERS).default('a4'),
});
