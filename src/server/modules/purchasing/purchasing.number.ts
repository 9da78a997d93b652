// PO numbers from the company's pattern, e.g. `PO-{YYYY}-{seq:4}` → PO-2026-0007. The sequence is
// counted per rendered prefix, so a pattern with {YYYY} starts again at 1 each year.

/** One formatter per time zone: building one costs more than using it. */
const formats = new Map<string, Intl.DateTimeFormat>();

/** The date parts of `at` in a time zone. */
function dateParts(at: Date, timeZone: string): { YYYY: string; YY: string; MM: string } {
  let f = formats.get(timeZone);
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' })));
  const parts = f.formatToParts(at);
  const year = parts.find((p) => p.type === 'year')?.value ?? String(at.getUTCFullYear());
  const month = parts.find((p) => p.type === 'month')?.value ?? String(at.getUTCMonth() + 1).padStart(2, '0');
  return { YYYY: year, YY: year.slice(-2), MM: month };
}

/** The pattern with its date placeholders filled in: the counter's key, and the number's template. */
export function renderPattern(pattern: string, at: Date, timeZone: string): { key: string; format: (seq: number) => string } {
  const d = dateParts(at, timeZone);
  const dated = pattern.replace(/\{(YYYY|YY|MM)\}/g, (_, k: keyof typeof d) => d[k]);
  return {
    key: `purchase_order:${dated}`,
    format: (seq) => dated.replace(/\{seq(?::([1-9]))?\}/, (_, width?: string) => String(seq).padStart(Number(width ?? 1), '0')),
  };
}
