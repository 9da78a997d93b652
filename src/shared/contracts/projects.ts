// Project routes.
import { z } from 'zod';
import { name, wrapped } from './common.js';
import { PROJECT_STATUSES } from './enums.js';

export const project = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.enum(PROJECT_STATUSES),
  tickets: z.object({ open: z.number(), all: z.number() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  can: z.object({ update: z.boolean() }),
});
export type Project = z.infer<typeof project>;
export const projectList = z.object({ items: z.array(project) });
export const projectAnswer = wrapped('project', project);
export const createProjectBody = z.object({
  name,
  description: z.string().max(10_000).nullish(),
  status: z.enum(PROJECT_STATUSES).default('active'),
});
export const updateProjectBody = z.object({
  name: name.optional(),
  description: z.string().max(10_000).nullish(),
  status: z.enum(PROJECT_STATUSES).optional(),
});
export type ProjectInput = z.input<typeof updateProjectBody>;
const statusFilter = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(PROJECT_STATUSES)).max(3));
export const projectListQuery = z.object({ status: statusFilter.optional() });
