// Documents (issue 17): company knowledge by category, an uploaded file or a URL, linked to assets
// and tickets.
import { z } from 'zod';
import { idString, listQuery, page, ref, wrapped } from './common.js';

export const documentTicketRef = z.object({ number: z.number(), title: z.string() });
export const documentAssetRef = z.object({ id: z.string(), name: z.string(), tag: z.string() });

export const documentItem = z.object({
  id: z.string(),
  title: z.string(),
  category: ref.nullable(),
  kind: z.enum(['file', 'url']),
  url: z.string().nullable(),
  file: z.object({ name: z.string(), size: z.number(), contentType: z.string() }).nullable(),
  assets: z.array(documentAssetRef),
  /** Only the linked tickets the caller may read. */
  tickets: z.array(documentTicketRef),
  createdBy: ref.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type DocumentItem = z.infer<typeof documentItem>;
export const documentList = page(documentItem);
export const documentAnswer = wrapped('document', documentItem);

/** http(s) only: a javascript: or data: link would run in the page that shows it. */
export const documentUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      const p = new URL(u);
      return p.protocol === 'https:' || p.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

const title = z.string().trim().min(1, 'is required').max(300);
const ticketNumber = z.number().int().min(1).max(2_147_483_647);

export const createDocumentBody = z.object({
  title,
  categoryId: idString.nullish(),
  url: documentUrl.nullish(),
  assetIds: z.array(idString).max(200).optional(),
  ticketNumbers: z.array(ticketNumber).max(200).optional(),
});
export type CreateDocumentInput = z.infer<typeof createDocumentBody>;
export const updateDocumentBody = z.object({
  title: title.optional(),
  categoryId: idString.nullish(),
  url: documentUrl.optional(),
  assetIds: z.array(idString).max(200).optional(),
  ticketNumbers: z.array(ticketNumber).max(200).optional(),
});
export type UpdateDocumentInput = z.infer<typeof updateDocumentBody>;

export const documentListQuery = listQuery.extend({
  q: z.string().trim().max(200).optional(),
  categoryId: idString.optional(),
  assetId: idString.optional(),
  ticketNumber: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});
export type DocumentListQuery = z.infer<typeof documentListQuery>;
