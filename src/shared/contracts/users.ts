// User routes: the user list, one user, create and edit.
import { z } from 'zod';
import { email, idString, listQuery, name, page, password, username, wrapped } from './common.js';
import { USER_STATUSES } from './enums.js';

export const user = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  username: z.string().nullable(),
  status: z.enum(USER_STATUSES),
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
export type User = z.infer<typeof user>;
export const userAnswer = wrapped('user', user);
export const userPage = page(user);
export const userListQuery = listQuery.extend({ q: z.string().trim().max(200).optional(), status: z.enum(USER_STATUSES).optional() });

export const onlineUser = z.object({ id: z.string(), name: z.string(), color: z.string() });
export type OnlineUser = z.infer<typeof onlineUser>;
export const onlineUsers = z.object({ items: z.array(onlineUser) });

export const createUserBody = z.object({
  name,
  email,
  username: username.nullish(),
  password: password.nullish(),
  roleId: idString,
  departmentId: idString.nullish(),
});
export type CreateUserInput = z.input<typeof createUserBody>;

export const updateUserBody = z.object({
  name: name.optional(),
  email: email.optional(),
  username: username.nullish(),
  roleId: idString.optional(),
  departmentId: idString.nullish(),
  active: z.boolean().optional(),
});
export type UpdateUserInput = z.input<typeof updateUserBody>;
