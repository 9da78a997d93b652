// Small pieces every module's routes share: the plugin type, the service context, id params,
// list pagination (keyset cursors) and the error shape for the OpenAPI document.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isCurrency, isLocale, normalisePublicUrl } from '../../shared/locale.js';
import { requestInfo } from '../platform/auth.js';
import type { Ctx, Deps } from '../platform/context.js';
import { AppError } from '../platform/errors.js';

export type ModulePlugin = FastifyPluginAsyncZod<{ deps: Deps }>;

export const ctxOf = (deps: Deps, request: FastifyRequest): Ctx => ({ deps, actor: request.actor, info: requestInfo(request) });

/** Ids travel as strings in JSON; in the database they are bigints. */
export const idString = z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be an id');
export const idParam = z.object({ id: idString });
export const toId = (id: string): number => Number(id);
export const optionalId = (id: string | null | undefined): number | null | undefined =>
  id === undefined ? undefined : id === null ? null : Number(id);

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor<T extends unknown[]>(cursor: string | undefined, shape: z.ZodType<T>): T | null {
  if (!cursor) return null;
  try {
    return shape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new AppError('validation', 'The cursor is not valid', { fields: { cursor: 'not a cursor from this list' } });
  }
}

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export const password = z.string().min(10, 'must be at least 10 characters').max(200);
export const email = z.email('must be an e-mail address').max(254).transform((s) => s.trim());
export const name = z.string().trim().min(1, 'is required').max(200);
export const username = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');
export const slug = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case letters, digits and dashes');
export const THEMES = ['light', 'dark', 'ocean', 'fallout', 'system'] as const;
export const theme = z.enum(THEMES);
export const timezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not a known time zone');
export const color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #228be6');
/** A company's formatting locale, currency and public address (settings and the setup screen). */
export const localeTag = z.string().trim().max(35).refine(isLocale, 'must be a language tag such as en-GB');
export const currencyCode = z.string().trim().toUpperCase().refine(isCurrency, 'must be a currency code such as EUR');
export const publicAddress = z
  .string()
  .max(300)
  .refine((v) => normalisePublicUrl(v) !== null, 'must be an http(s) address such as https://steward.example.com')
  .transform((v) => normalisePublicUrl(v) as string);

/**
 * Single-object answers carry the object under its name and, for clients that read it flat, its
 * fields at the top level too: `{"role": {...}, "id": ..., "name": ...}`.
 */
export function wrapped<K extends string, S extends z.ZodObject>(key: K, schema: S) {
  return schema.extend({ [key]: schema } as { [P in K]: S });
}
export function wrap<K extends string, T extends object>(key: K, value: T): T & { [P in K]: T } {
  return { ...value, [key]: value } as T & { [P in K]: T };
}
