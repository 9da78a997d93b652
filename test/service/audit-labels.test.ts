// Every audit action the server can write has a label on the audit page, and every label is for an
// action that exists (the list in src/shared/audit.ts is what writeAudit accepts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_AREAS } from '../../src/shared/audit.js';

const en = JSON.parse(readFileSync(new URL('../../src/web/i18n/en.json', import.meta.url), 'utf8'));

describe('audit action labels', () => {
  it('has an English label for every action and area, and none for actions that do not exist', () => {
    const labels: Record<string, string> = en.audit.actions;
    expect(AUDIT_ACTIONS.filter((a) => !labels[a])).toEqual([]);
    expect(Object.keys(labels).filter((a) => !(AUDIT_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    expect(AUDIT_AREAS.filter((a) => !en.audit.areas[a])).toEqual([]);
    // Labels are words, not codes.
    expect(Object.values(labels).filter((l) => /[._]/.test(l))).toEqual([]);
  });
});
