// Saved views: a user's named sets of ticket list filters. Private to their owner: another user's
// view (or another company's) answers 404 like one that does not exist.
import type { Ctx } from '../../platform/context.js';
import { requireUser } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { ticketFilters } from '../tickets/tickets.list.js';
import * as repo from './saved-views.repo.js';
import type { ViewRow } from './saved-views.repo.js';

export type ViewFilters = Record<string, string | string[]>;

const toView = (v: ViewRow) => ({ id: String(v.id), name: v.name, filters: v.filters as ViewFilters, createdAt: v.createdAt.toISOString() });

/** Filters are the ticket list's query parameters, checked by the list's own schema; paging is not a filter. */
export function checkFilters(filters: ViewFilters): ViewFilters {
  const known = new Set(Object.keys(ticketFilters.shape));
  const unknown = Object.keys(filters).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new AppError('validation', 'Some filters are not ticket list filters', { fields: Object.fromEntries(unknown.map((k) => [`filters.${k}`, 'unknown filter'])) });
  }
  const parsed = ticketFilters.safeParse(filters);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const issue of parsed.error.issues) fields[`filters.${issue.path.join('.')}`] ??= issue.message;
    throw new AppError('validation', 'Some filters are not valid', { fields });
  }
  return filters;
}

export async function listViews(ctx: Ctx) {
  const actor = requireUser(ctx);
  const rows = await ctx.deps.database.withTenant(actor.tenantId, ({ tx }) => repo.listViews(tx, actor));
  return { items: rows.map(toView) };
}

const MAX_VIEWS = 100;

export async function createView(ctx: Ctx, input: { name: string; filters: ViewFilters }) {
  const actor = requireUser(ctx);
  const filters = checkFilters(input.filters);
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    if ((await repo.countViews(tx, actor)) >= MAX_VIEWS) throw new AppError('too_many_views', `You can keep at most ${MAX_VIEWS} saved views`, { max: MAX_VIEWS });
    const row = await repo.insertView(tx, actor, { name: input.name, filters });
    return toView(row);
  });
}

export async function updateView(ctx: Ctx, id: number, input: { name?: string; filters?: ViewFilters }) {
  const actor = requireUser(ctx);
  const filters = input.filters ? checkFilters(input.filters) : undefined;
  return ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    const before = await repo.findView(tx, actor, id);
    if (!before) throw notFound('Saved view');
    if (input.name === undefined && filters === undefined) return toView(before);
    const row = await repo.updateView(tx, actor, id, { name: input.name, filters });
    return toView(row);
  });
}

export async function deleteView(ctx: Ctx, id: number) {
  const actor = requireUser(ctx);
  await ctx.deps.database.withTenant(actor.tenantId, async ({ tx }) => {
    if (!(await repo.deleteView(tx, actor, id))) throw notFound('Saved view');
  });
}
