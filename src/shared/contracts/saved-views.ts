// Saved ticket list views (each user's own).
import { z } from 'zod';
import { name, wrapped } from './common.js';

/** The ticket list's query parameters, as the list takes them (`status=open,in_progress` or an array). */
export const savedViewFilters = z.record(z.string().max(40), z.union([z.string().max(500), z.array(z.string().max(100)).max(50)]));
export const savedView = z.object({ id: z.string(), name: z.string(), filters: savedViewFilters, createdAt: z.string() });
export type SavedView = z.infer<typeof savedView>;
export const savedViewList = z.object({ items: z.array(savedView) });
export const savedViewAnswer = wrapped('view', savedView);
export const createSavedViewBody = z.object({ name, filters: savedViewFilters.default({}) });
export const updateSavedViewBody = z.object({ name: name.optional(), filters: savedViewFilters.optional() });
