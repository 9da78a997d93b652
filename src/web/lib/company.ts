// The company's formatting settings (currency, locale) and the address its QR codes carry, read
// once from GET /api/v1/settings; money and quantities are shown with them everywhere.
import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { CompanySettings } from '../../shared/contracts/settings';
import { DEFAULT_CURRENCY, DEFAULT_LOCALE } from '../../shared/locale';
import { get } from './api';
import { useMeQuery } from './useMe';


export const settingsKey = ['settings'] as const;

export function useCompanySettings() {
  const { data: me } = useMeQuery();
  return useQuery({
    queryKey: settingsKey,
    queryFn: async () => (await get<{ settings: CompanySettings }>('/api/v1/settings')).settings,
    enabled: !!me?.company,
    staleTime: 5 * 60_000,
  });
}

/** The locale numbers and dates are written in: the company's, else the interface language. */
export function useLocale(): string {
  const { data } = useCompanySettings();
  const { i18n } = useTranslation();
  return data?.locale ?? i18n.language ?? DEFAULT_LOCALE;
}

/** Money in the company's currency and locale: "CHF 1’299.50", "1.299,50 €". */
export function useFormatMoney() {
  const { data } = useCompanySettings();
  const locale = useLocale();
  const currency = data?.currency ?? DEFAULT_CURRENCY;
  return useCallback(
    (value: number | string | null | undefined): string => {
      if (value === null || value === undefined || value === '') return '—';
      const n = Number(value);
      if (!Number.isFinite(n)) return String(value);
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(n);
    },
    [locale, currency],
  );
}

// Unit words people write, singular and plural; anything else (kg, m, l) is shown as written.
const UNIT_FORMS: Array<[string, string]> = [
  ['pc', 'pcs'], ['piece', 'pieces'], ['box', 'boxes'], ['pack', 'packs'], ['roll', 'rolls'], ['pair', 'pairs'], ['set', 'sets'],
  ['bottle', 'bottles'], ['can', 'cans'], ['bag', 'bags'], ['carton', 'cartons'], ['case', 'cases'], ['sheet', 'sheets'],
  ['ream', 'reams'], ['unit', 'units'], ['kit', 'kits'], ['tube', 'tubes'], ['cartridge', 'cartridges'], ['drum', 'drums'],
];
const FORMS = new Map<string, [string, string]>(UNIT_FORMS.flatMap((f) => [[f[0], f], [f[1], f]] as Array<[string, [string, string]]>));

/** A quantity with its unit in the right number: "1 pc", "2 boxes", "1.5 kg". */
export function formatQuantity(locale: string, quantity: number | string, unit: string | null | undefined): string {
  const n = Number(quantity);
  const amount = Number.isFinite(n) ? new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(n) : String(quantity);
  const word = (unit ?? '').trim();
  if (!word) return amount;
  const forms = FORMS.get(word.toLowerCase());
  if (!forms) return `${amount} ${word}`;
  const one = Number.isFinite(n) && new Intl.PluralRules('en').select(Math.abs(n)) === 'one';
  return `${amount} ${one ? forms[0] : forms[1]}`;
}

export function useFormatQuantity() {
  const locale = useLocale();
  return useCallback((quantity: number | string, unit: string | null | undefined) => formatQuantity(locale, quantity, unit), [locale]);
}

/**
 * The address the QR codes carry when it is only a guess that differs from the one this browser
 * uses (typically `localhost`), else null: then labels would send phones nowhere.
 */
export function useQrAddressWarning(): string | null {
  const { data } = useCompanySettings();
  if (!data || data.qrBaseSource !== 'default') return null;
  try {
    return new URL(data.qrBaseUrl).host === window.location.host ? null : data.qrBaseUrl;
  } catch {
    return data.qrBaseUrl;
  }
}
