// Login, logout, password reset and invitation acceptance.
import { z } from 'zod';
import { email, password, username } from './common.js';

export const loginBody = z.object({
  login: z.string().trim().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(200),
  remember: z.boolean().optional(),
  totp: z.string().max(10).optional(),
});
export type LoginInput = z.input<typeof loginBody>;
export const loginAnswer = z.object({
  user: z.object({ id: z.string(), name: z.string(), email: z.string(), username: z.string().nullable() }),
  csrfToken: z.string(),
});
export type LoginAnswer = z.infer<typeof loginAnswer>;
export const forgotPasswordBody = z.object({ email });
const token = z.string().min(10).max(200);
export const resetPasswordBody = z.object({ token, password });
export const invitationParams = z.object({ token });
export const invitation = z.object({ email: z.string(), name: z.string(), username: z.string().nullable(), companyName: z.string() });
export type Invitation = z.infer<typeof invitation>;
export const acceptInvitationBody = z.object({ token, password, username: username.nullish() });
