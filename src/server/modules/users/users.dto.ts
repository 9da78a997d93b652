import { z } from 'zod';
import { iso } from '../http.js';
import type { findUser } from './users.repo.js';

export const userDto = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  username: z.string().nullable(),
  status: z.enum(['invited', 'active', 'deactivated']),
  role: z.object({ id: z.string(), name: z.string(), level: z.number() }),
  department: z.object({ id: z.string(), name: z.string() }).nullable(),
  color: z.string(),
  timezone: z.string(),
  lastLoginAt: z.string().nullable(),
  /** When the lockout after repeated failed logins ends; null when the user may log in. */
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  online: z.boolean(),
  can: z.object({ update: z.boolean() }),
});
export type UserDto = z.infer<typeof userDto>;

type Row = NonNullable<Awaited<ReturnType<typeof findUser>>>;

export function toUserDto(row: Row, extra: { online: boolean; canUpdate: boolean; lockedUntil: Date | null }): UserDto {
  const u = row.user;
  return {
    id: String(u.id),
    name: u.name,
    email: u.email,
    username: u.username,
    status: u.status,
    role: { id: String(row.role.id), name: row.role.name, level: row.role.level },
    department: row.department?.id ? { id: String(row.department.id), name: row.department.name } : null,
    color: u.color,
    timezone: u.timezone,
    lastLoginAt: iso(u.lastLoginAt),
    lockedUntil: iso(extra.lockedUntil),
    createdAt: u.createdAt.toISOString(),
    online: extra.online,
    can: { update: extra.canUpdate },
  };
}
