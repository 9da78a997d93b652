// The location tree.
import { z } from 'zod';
import { idString, name, page, ref, wrapped } from './common.js';

export const location = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  path: z.string(),
  depth: z.number(),
  assetCount: z.number().describe('assets here and in every sub-location'),
  directAssetCount: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type Location = z.infer<typeof location>;
export const locationDetail = location.extend({ ancestors: z.array(ref), children: z.array(location) });
export type LocationDetail = z.infer<typeof locationDetail>;
export const locationList = page(location);
export const locationAnswer = wrapped('location', location);
export const locationDetailAnswer = wrapped('location', locationDetail);
export const locationBody = z.object({ name, parentId: idString.nullish() });
