// User rows → the contract's user (src/shared/contracts/users.ts).
import type { User } from '../../../shared/contracts/users.js';
import { iso } from '../http.js';
import type { findUser } from './users.repo.js';

export type UserDto = User;

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
