// Health and version.
import { z } from 'zod';
import { DATABASE_KINDS } from './enums.js';

export const liveAnswer = z.object({ status: z.literal('ok') });
export const readyAnswer = z.object({ status: z.literal('ready') });
export const notReadyAnswer = z.object({ status: z.literal('unavailable'), reason: z.string() });
export const versionAnswer = z.object({ version: z.string(), database: z.enum(DATABASE_KINDS), mailDelivery: z.boolean() });
export type VersionAnswer = z.infer<typeof versionAnswer>;
