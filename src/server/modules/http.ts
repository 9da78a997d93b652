// Small pieces every module's routes share: the plugin type, the service context, id conversion and
// keyset cursors. The field schemas are the contracts' (src/shared/contracts/common.ts), re-exported.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { requestInfo } from '../platform/auth.js';
import type { Ctx, Deps } from '../platform/context.js';
import { AppError } from '../platform/errors.js';

export {
  color,
  email,
  errorBody,
  idParam,
  idString,
  listQuery,
  name,
  password,
  slug,
  theme,
  timezone,
  username,
  wrapped,
} from '../../shared/contracts/common.js';
export { THEMES } from '../../shared/contracts/enums.js';

export type ModulePlugin = FastifyPluginAsyncZod<{ deps: Deps }>;

export const ctxOf = (deps: Deps, request: FastifyRequest): Ctx => ({ deps, actor: request.actor, info: requestInfo(request) });

export const toId = (id: string): number => Number(id);
export const optionalId = (id: string | null | undefined): number | null | undefined =>
  id === undefined ? undefined : id === null ? null : Number(id);

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

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

export function wrap<K extends string, T extends object>(key: K, value: T): T & { [P in K]: T } {
  return { ...value, [key]: value } as T & { [P in K]: T };
}
