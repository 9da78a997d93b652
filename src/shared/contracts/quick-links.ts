// Quick links: links admins pin to dashboards, for everyone or for one role.
import { z } from 'zod';
import { idString, name, ref, wrapped } from './common.js';

export const quickLink = z.object({
  id: z.string(),
  title: z.string(),
  url: z.string(),
  description: z.string(),
  /** Null: everyone sees it. */
  role: ref.nullable(),
  position: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type QuickLink = z.infer<typeof quickLink>;
export const quickLinkList = z.object({ items: z.array(quickLink), can: z.object({ create: z.boolean() }) });
export type QuickLinkList = z.infer<typeof quickLinkList>;
export const quickLinkAnswer = wrapped('quickLink', quickLink);
/** `mine`: the links on one's own dashboard; `all`: every link, for those who manage them. */
export const quickLinkQuery = z.object({ audience: z.enum(['mine', 'all']).default('mine') });

// Only web addresses: a `javascript:` or `data:` link pinned for everyone would run in their session.
const webUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// address');

export const quickLinkBody = z.object({
  title: name,
  url: webUrl,
  description: z.string().trim().max(500).optional(),
  roleId: idString.nullish(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type QuickLinkInput = z.input<typeof quickLinkBody>;
