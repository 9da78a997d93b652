// Picklists (asset categories with their custom fields, manufacturers, conditions).
import { z } from 'zod';
import { idString, name, page, wrapped } from './common.js';
import { CUSTOM_FIELD_TYPES, PICKLISTS } from './enums.js';

export const customFieldDef = z.object({
  key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and underscores'),
  label: z.string().trim().min(1).max(100),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  required: z.boolean().optional(),
});
export type CustomFieldDef = z.infer<typeof customFieldDef>;
export const picklistItem = z.object({
  id: z.string(),
  list: z.enum(PICKLISTS),
  name: z.string(),
  customFields: z.array(customFieldDef),
  ticketCategoryId: z.string().nullable(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type PicklistItem = z.infer<typeof picklistItem>;
export const picklistItemList = page(picklistItem);
export const picklistItemAnswer = wrapped('item', picklistItem);
export const picklistItemBody = z.object({ name, customFields: z.array(customFieldDef).max(50).optional(), ticketCategoryId: idString.nullish() });
// An unknown list is a missing resource (404), like an unknown id: the route checks it, not the schema.
export const picklistParam = z.object({ list: z.string().max(40).describe(PICKLISTS.join(' | ')) });
export const picklistItemParam = picklistParam.extend({ id: idString });
