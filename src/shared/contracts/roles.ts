// Role routes and the permission catalogue.
import { z } from 'zod';
import { isPermission, type Permission } from '../permissions/catalogue.js';
import { name, wrapped } from './common.js';

export type { Permission } from '../permissions/catalogue.js';
export const permission = z.string().refine(isPermission, 'is not a known permission') as unknown as z.ZodType<Permission>;

export const permissionInfo = z.object({ key: z.string(), area: z.string(), label: z.string() });
export type PermissionInfo = z.infer<typeof permissionInfo>;
export const permissionCatalogue = z.object({ items: z.array(permissionInfo) });

export const roleRef = z.object({ id: z.string(), name: z.string(), level: z.number() });
export type RoleRef = z.infer<typeof roleRef>;
export const role = z.object({
  id: z.string(),
  name: z.string(),
  level: z.number(),
  permissions: z.array(z.string()),
  builtin: z.boolean(),
  userCount: z.number(),
  can: z.object({ update: z.boolean(), delete: z.boolean() }),
});
export type Role = z.infer<typeof role>;
export const roleList = z.object({ items: z.array(role) });
export const roleAnswer = wrapped('role', role);
export const roleBody = z.object({ name, level: z.number().int().min(0).max(1000), permissions: z.array(permission).max(200) });
export type RoleInput = z.input<typeof roleBody>;
