// Health and version.
import { z } from 'zod';
import { DATABASE_KINDS, LISTENER_STATES } from './enums.js';

export const liveAnswer = z.object({ status: z.literal('ok') });
/** `listener`: the LISTEN connection that carries live events between processes (in-process on PGlite). */
const listener = z.enum(LISTENER_STATES);
export const readyAnswer = z.object({ status: z.literal('ready'), listener });
export const notReadyAnswer = z.object({ status: z.literal('unavailable'), reason: z.string(), listener });
export const versionAnswer = z.object({ version: z.string(), database: z.enum(DATABASE_KINDS), mailDelivery: z.boolean() });
export type VersionAnswer = z.infer<typeof versionAnswer>;
