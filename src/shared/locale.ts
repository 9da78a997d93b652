// A company's currency and number/date locale: what counts as valid (server validation) and the
// defaults the setup screen proposes from the browser's language. Pure Intl, no Node or DOM.

export const DEFAULT_LOCALE = 'en';
export const DEFAULT_CURRENCY = 'USD';

/** An ISO 4217 code that Intl knows (upper case, e.g. EUR). */
export function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  const known = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('currency');
  return known ? known.includes(code) : true;
}

/** A BCP 47 tag that number and date formatting accept as written (e.g. en-GB, de-CH). */
export function isLocale(tag: string): boolean {
  try {
    return tag.length <= 35 && Intl.getCanonicalLocales(tag)[0] === tag && Intl.NumberFormat.supportedLocalesOf([tag]).length === 1;
  } catch {
    return false;
  }
}

// The currency of a region, for the setup screen's first guess; anything else starts at USD.
const REGION_CURRENCY: Record<string, string> = {
  US: 'USD', GB: 'GBP', IE: 'EUR', DE: 'EUR', AT: 'EUR', FR: 'EUR', ES: 'EUR', IT: 'EUR', NL: 'EUR', BE: 'EUR', PT: 'EUR',
  FI: 'EUR', GR: 'EUR', LU: 'EUR', SK: 'EUR', SI: 'EUR', EE: 'EUR', LV: 'EUR', LT: 'EUR', HR: 'EUR', CH: 'CHF', SE: 'SEK',
  NO: 'NOK', DK: 'DKK', PL: 'PLN', CZ: 'CZK', HU: 'HUF', RO: 'RON', CA: 'CAD', AU: 'AUD', NZ: 'NZD', JP: 'JPY', CN: 'CNY',
  IN: 'INR', BR: 'BRL', MX: 'MXN', ZA: 'ZAR', SG: 'SGD', HK: 'HKD', KR: 'KRW', TR: 'TRY', IL: 'ILS', AE: 'AED',
};

/** The locale and currency a new company starts with, from a browser language such as "de-CH". */
export function localeDefaults(language: string | undefined): { locale: string; currency: string } {
  const tag = language && isLocale(language) ? language : DEFAULT_LOCALE;
  let region: string | undefined;
  try {
    region = new Intl.Locale(tag).maximize().region;
  } catch {
    region = undefined;
  }
  return { locale: tag, currency: (region && REGION_CURRENCY[region]) || DEFAULT_CURRENCY };
}

/** The origin of an address people type ("steward.example.com:8080/" → "https://steward.example.com:8080"). */
export function normalisePublicUrl(value: string): string | null {
  const text = value.trim();
  if (!text) return null;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.username || url.password || url.search || url.hash) return null;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}
