// Threading (API.md): the message's In-Reply-To and References against every Message-ID Steward
// received or sent, then `[#<number>]` in the subject. Never by the subject's words alone.
import type { Parsed } from './mail.parse.js';

/** The ids to look up, most telling first: In-Reply-To, then References from the newest back. */
export function threadCandidates(m: Parsed): string[] {
  const ids = [...m.inReplyTo, ...[...m.references].reverse()];
  return [...new Set(ids)].filter((id) => id !== m.messageId).slice(0, 100);
}

/** The ticket number a subject names as `[#123]` (also `[#123]` after Re:/AW:/Fwd:), or null. */
export function subjectNumber(subject: string): number | null {
  const m = /\[#\s*(\d{1,9})\]/.exec(subject);
  return m ? Number(m[1]) : null;
}

/** The subject without reply prefixes and our number, for a new ticket's title. */
export function cleanSubject(subject: string): string {
  let s = subject.replace(/\[#\s*\d{1,9}\]/g, ' ');
  for (let i = 0; i < 5; i++) s = s.replace(/^\s*((re|aw|sv|vs|antw|fwd?|wg|tr|rif|ref)\s*(\[\d+\])?\s*:\s*)+/i, '');
  s = s.replace(/\s+/g, ' ').trim();
  return s.slice(0, 300) || '(no subject)';
}

/** Adds `[#number]` to an outgoing subject once. */
export function numberedSubject(subject: string, number: number): string {
  return subject.includes(`[#${number}]`) ? subject : `[#${number}] ${subject}`;
}

/** Picks the ticket from the looked-up ids in candidate order. */
export function pickThread(candidates: string[], found: Map<string, number>): number | null {
  for (const id of candidates) {
    const t = found.get(id);
    if (t !== undefined) return t;
  }
  return null;
}
