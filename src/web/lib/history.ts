// Turns a history change (field, before, after and the server's labels for ids) into words:
// "Status: In stock → In use", "Assigned to: — → Noah Williams", "Expected return: 12 Dec 2030".
// Ticket and asset histories both use it, so a field reads the same everywhere.
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormatMoney, useLocale } from './company';
import { isDateOnly } from '../../shared/time';
import { dateFormat, useFormatDate } from './format';

export interface HistoryChange {
  field: string | null;
  before: unknown;
  after: unknown;
  beforeLabel?: string | null;
  afterLabel?: string | null;
}

export type HistoryDomain = 'ticket' | 'asset';

const REFERENCE = /(Id|Ids)$|^(watchers|assets)$/;
const DAY_FIELDS = new Set(['expectedReturn', 'purchaseDate', 'warrantyEnd']);
const TIME_FIELDS = new Set(['dueAt', 'scheduledStart', 'scheduledEnd']);
const MONEY_FIELDS = new Set(['purchaseCost']);
/** Texts too long for a line, and structures with no one-line form: the entry says "changed". */
const OPAQUE = new Set(['description', 'specifications', 'customFields', 'time', 'process']);
/** Fields the entry's title already tells (a comment was added, an approval decided): no line of their own. */
const SILENT = new Set(['comment', 'approval']);
const ENUMS: Record<string, (domain: HistoryDomain) => string> = {
  status: (d) => (d === 'asset' ? 'assets.statuses' : 'tickets.statuses'),
  priority: () => 'tickets.priorities',
  kind: () => 'tickets.kinds',
};

/** A date-only value (YYYY-MM-DD) as that calendar day, whatever the viewer's zone. */
export const day = (value: string, locale: string) => (isDateOnly(value) ? dateFormat(locale, value) : value);

export function useHistoryWords(domain: HistoryDomain) {
  const { t } = useTranslation();
  const locale = useLocale();
  const fmt = useFormatDate();
  const money = useFormatMoney();

  const value = useCallback(
    (field: string, raw: unknown, label: string | null | undefined): string | null => {
      if (raw === null || raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)) return t('history.none');
      if (label) return label;
      if (REFERENCE.test(field)) return t('history.removed');
      if (OPAQUE.has(field)) return null;
      if (typeof raw === 'string') {
        if (ENUMS[field]) return t(`${ENUMS[field](domain)}.${raw}`, { defaultValue: raw.replace(/_/g, ' ') });
        if (DAY_FIELDS.has(field)) return day(raw, locale);
        if (TIME_FIELDS.has(field)) return fmt(raw);
        return raw.length > 120 ? `${raw.slice(0, 120)}…` : raw;
      }
      if (typeof raw === 'number') return MONEY_FIELDS.has(field) ? money(raw) : raw.toLocaleString(locale);
      if (typeof raw === 'boolean') return raw ? t('common.yes') : t('common.no');
      if (Array.isArray(raw)) return raw.every((v) => typeof v !== 'object') ? raw.join(', ') : null;
      if (typeof raw === 'object') {
        const o = raw as Record<string, unknown>;
        if (typeof o.name === 'string') return o.name;
        if (typeof o.title === 'string') return o.title;
      }
      return null;
    },
    [t, locale, fmt, money, domain],
  );

  /** One line for a change: "Field: before → after", or "Field changed" when a side has no short form. */
  return useCallback(
    (c: HistoryChange): string | null => {
      if (!c.field || SILENT.has(c.field)) return null;
      const field = fieldName(t, domain, c.field);
      const before = value(c.field, c.before, c.beforeLabel);
      const after = value(c.field, c.after, c.afterLabel);
      return before !== null && after !== null ? t('history.change', { field, before, after }) : t('history.changed', { field });
    },
    [t, value, domain],
  );
}

export function fieldName(t: TFunction, domain: HistoryDomain, field: string): string {
  return t(`history.fields.${field}`, {
    defaultValue: t(`${domain === 'asset' ? 'assets' : 'tickets.history'}.fields.${field}`, { defaultValue: field }),
  });
}
