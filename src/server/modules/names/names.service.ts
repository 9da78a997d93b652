// Histories store ids ("assigneeId: 12"); people read names. Labels the referenced values of a
// batch of changes at read time, so a renamed location shows its current name.
import type { Tx } from '../../platform/db.js';
import { labelsOf, type RefKind } from './names.repo.js';

export type { RefKind } from './names.repo.js';

export interface Change {
  field: string | null;
  before: unknown;
  after: unknown;
}

export interface Labels {
  /** The display text of `before` / `after` when the field refers to records; null otherwise. */
  beforeLabel: string | null;
  afterLabel: string | null;
}

const idsIn = (value: unknown): number[] =>
  (Array.isArray(value) ? value : [value]).map((v) => (typeof v === 'string' || typeof v === 'number' ? Number(v) : Number.NaN)).filter((n) => Number.isSafeInteger(n) && n > 0);

/**
 * Labels for each change, in order. `kinds` names the fields that hold ids (one or a list) and what
 * they refer to; a list becomes its names joined by commas. An id that no longer exists keeps no
 * label (the screen says it was removed).
 */
export async function labelChanges(tx: Tx, tenantId: number, changes: Change[], kinds: Record<string, RefKind>): Promise<Labels[]> {
  const wanted = new Map<RefKind, Set<number>>();
  for (const c of changes) {
    const kind = c.field ? kinds[c.field] : undefined;
    if (!kind) continue;
    const set = wanted.get(kind) ?? new Set<number>();
    for (const id of [...idsIn(c.before), ...idsIn(c.after)]) set.add(id);
    wanted.set(kind, set);
  }
  const found = new Map<RefKind, Map<number, string>>();
  for (const [kind, ids] of wanted) found.set(kind, await labelsOf(tx, tenantId, kind, [...ids]));
  const label = (kind: RefKind, value: unknown): string | null => {
    const ids = idsIn(value);
    if (ids.length === 0) return null;
    const names = ids.map((id) => found.get(kind)?.get(id)).filter((n): n is string => n !== undefined);
    return names.length ? names.join(', ') : null;
  };
  return changes.map((c) => {
    const kind = c.field ? kinds[c.field] : undefined;
    return kind ? { beforeLabel: label(kind, c.before), afterLabel: label(kind, c.after) } : { beforeLabel: null, afterLabel: null };
  });
}
