// The excursion rule of meter thresholds and threshold maintenance plans (pure; server and web): an excursion starts at the first
// reading past the value, fires once it has lasted forSeconds (on a later reading, or by the timer
// at fireAt when readings stop), fires once, and ends at the first reading back within limits.

export interface ExcursionRule {
  op: '>' | '<';
  value: number;
  forSeconds: number;
}

export interface ExcursionState {
  excursionStartedAt: Date | null;
  /** excursionStartedAt + forSeconds while not fired: when the timer fires it. */
  fireAt: Date | null;
  fired: boolean;
  /** The newest reading evaluated: older ones (late arrivals) are ignored. */
  evaluatedAt: Date | null;
}

export type ExcursionEvent =
  | { type: 'fire'; at: Date; v: number; startedAt: Date }
  | { type: 'close'; at: Date; v: number; fired: boolean };

export interface Reading {
  at: Date;
  v: number;
}

export const crosses = (rule: ExcursionRule, v: number) => (rule.op === '>' ? v > rule.value : v < rule.value);

/** Runs readings (any order) through the rule: the new state and what happened, in reading order. */
export function evaluateExcursion(
  rule: ExcursionRule,
  state: ExcursionState,
  readings: Reading[],
): { state: ExcursionState; events: ExcursionEvent[] } {
  const s: ExcursionState = { ...state };
  const events: ExcursionEvent[] = [];
  const sorted = [...readings].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (const r of sorted) {
    if (s.evaluatedAt && r.at.getTime() < s.evaluatedAt.getTime()) continue;
    if (crosses(rule, r.v)) {
      if (!s.excursionStartedAt) {
        s.excursionStartedAt = r.at;
        s.fired = false;
        s.fireAt = new Date(r.at.getTime() + rule.forSeconds * 1000);
      }
      if (!s.fired && s.fireAt && r.at.getTime() >= s.fireAt.getTime()) {
        events.push({ type: 'fire', at: r.at, v: r.v, startedAt: s.excursionStartedAt });
        s.fired = true;
        s.fireAt = null;
      }
    } else if (s.excursionStartedAt) {
      events.push({ type: 'close', at: r.at, v: r.v, fired: s.fired });
      s.excursionStartedAt = null;
      s.fireAt = null;
      s.fired = false;
    }
    s.evaluatedAt = r.at;
  }
  return { state: s, events };
}

/** The timer's step: an excursion past its fireAt fires at fireAt (readings stopped while past the value). */
export function fireDue(state: ExcursionState, now: Date): { state: ExcursionState; at: Date } | null {
  if (state.fired || !state.fireAt || !state.excursionStartedAt || state.fireAt.getTime() > now.getTime()) return null;
  return { state: { ...state, fired: true, fireAt: null }, at: state.fireAt };
}
