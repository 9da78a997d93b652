// Ticket categories (with their approval routes) and teams.
import { z } from 'zod';
import { idString, name, ref, wrapped } from './common.js';

export const approvalStep = z.discriminatedUnion('type', [
  z.object({ type: z.literal('role'), roleId: idString }),
  z.object({ type: z.literal('user'), userId: idString }),
  z.object({ type: z.literal('department_head') }),
]);
export type ApprovalStep = z.infer<typeof approvalStep>;
export const category = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  approvalSteps: z.array(approvalStep),
  defaultTeamId: z.string().nullable(),
  active: z.boolean(),
  can: z.object({ update: z.boolean() }),
});
export type Category = z.infer<typeof category>;
export const categoryList = z.object({ items: z.array(category) });
export const categoryAnswer = wrapped('category', category);
export const categoryBody = z.object({
  name,
  description: z.string().max(2000).nullish(),
  approvalSteps: z.array(approvalStep).max(10).default([]),
  defaultTeamId: idString.nullish(),
  active: z.boolean().optional(),
});
export type CategoryInput = z.input<typeof categoryBody>;

export const team = z.object({
  id: z.string(),
  name: z.string(),
  memberIds: z.array(z.string()),
  members: z.array(ref),
  can: z.object({ update: z.boolean() }),
});
export type Team = z.infer<typeof team>;
export const teamList = z.object({ items: z.array(team) });
export const teamAnswer = wrapped('team', team);
export const createTeamBody = z.object({ name, memberIds: z.array(idString).max(500).default([]) });
export const updateTeamBody = z.object({ name: name.optional(), memberIds: z.array(idString).max(500).optional() });
export type TeamInput = z.input<typeof updateTeamBody>;
