// Department routes.
import { z } from 'zod';
import { idString, name, ref, wrapped } from './common.js';

export const department = z.object({
  id: z.string(),
  name: z.string(),
  head: ref.nullable(),
  userCount: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type Department = z.infer<typeof department>;
export const departmentList = z.object({ items: z.array(department) });
export const departmentAnswer = wrapped('department', department);
export const departmentBody = z.object({ name, headUserId: idString.nullish() });
export type DepartmentInput = z.input<typeof departmentBody>;
