// The caller's own routes: profile, password, sessions, second factor, personal API tokens.
import { z } from 'zod';
import { color, name, page, password, theme, timezone } from './common.js';
import type { Permission } from '../permissions/catalogue.js';
import { DENSITIES } from './enums.js';

export const meUser = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  username: z.string().nullable(),
  timezone: z.string(),
  theme: z.string(),
  color: z.string(),
  preferences: z.record(z.string(), z.unknown()),
  totpEnabled: z.boolean(),
});
export type MeUser = z.infer<typeof meUser>;

export const me = z.object({
  user: meUser,
  company: z.object({ id: z.string(), name: z.string(), slug: z.string() }).nullable(),
  role: z.object({ id: z.string(), name: z.string(), level: z.number() }).nullable(),
  // The server writes only catalogue keys into roles, so the client may treat each as a Permission.
  permissions: z.array(z.string()) as unknown as z.ZodType<Permission[]>,
  superAdmin: z.boolean(),
  csrfToken: z.string(),
  /** Screens the caller may open, computed by the server so the client does not re-implement the rules. */
  can: z.object({ viewTickets: z.boolean(), viewProjects: z.boolean() }),
});
export type Me = z.infer<typeof me>;

export const preferences = z
  .object({
    density: z.enum(DENSITIES).optional(),
    pageSize: z.number().int().min(10).max(200).optional(),
    defaultView: z.string().max(100).optional(),
    columns: z.record(z.string().max(60), z.array(z.string().max(60)).max(40)).optional(),
  })
  .strict();
export type Preferences = z.infer<typeof preferences>;

export const updateMeBody = z.object({
  name: name.optional(),
  color: color.optional(),
  timezone: timezone.optional(),
  theme: theme.optional(),
  preferences: preferences.optional(),
});
export type UpdateMeInput = z.input<typeof updateMeBody>;
export const meUserAnswer = z.object({ user: meUser });
export const changePasswordBody = z.object({ currentPassword: z.string().min(1).max(200), newPassword: password });

export const session = z.object({
  id: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type Session = z.infer<typeof session>;
export const sessionList = page(session);

export const totpSetup = z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() });
export type TotpSetup = z.infer<typeof totpSetup>;
export const enableTotpBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'six digits'),
});
export const disableTotpBody = z.object({ password: z.string().min(1).max(200) });

export const apiToken = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiToken>;
export const apiTokenList = page(apiToken);
export const createApiTokenBody = z.object({ name, expiresInDays: z.number().int().min(1).max(3650).optional() });
export const createdApiToken = z.object({ id: z.string(), token: z.string() });
export type CreatedApiToken = z.infer<typeof createdApiToken>;
