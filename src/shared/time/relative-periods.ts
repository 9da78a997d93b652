// Relative periods of saved and scheduled reports ("last month", "this quarter"), as days in the
// company's zone counted from the day the report runs. Weeks start on Monday.
import type { RelativePeriod } from '../contracts/reports.js';
import { addDays, type DateOnly, todayIn } from './index.js';

const ymd = (y: number, m: number, d: number): DateOnly => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** 1 = Monday … 7 = Sunday, of a calendar date (no zone: a date is a date). */
const weekday = (date: DateOnly) => {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
};

function monthRange(y: number, m: number): { from: DateOnly; to: DateOnly } {
  while (m < 1) {
    m += 12;
    y--;
  }
  while (m > 12) {
    m -= 12;
    y++;
  }
  return { from: ymd(y, m, 1), to: ymd(y, m, lastDay(y, m)) };
}

/** The days `period` covers when the report runs at `at` in `zone`. */
export function relativePeriod(period: RelativePeriod, zone: string, at: Date): { from: DateOnly; to: DateOnly } {
  const today = todayIn(zone, at);
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const q = Math.floor((m - 1) / 3);
  const monday = addDays(today, 1 - weekday(today));
  switch (period) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'thisWeek':
      return { from: monday, to: today };
    case 'lastWeek':
      return { from: addDays(monday, -7), to: addDays(monday, -1) };
    case 'last7Days':
      return { from: addDays(today, -7), to: addDays(today, -1) };
    case 'last30Days':
      return { from: addDays(today, -30), to: addDays(today, -1) };
    case 'thisMonth':
      return { from: ymd(y, m, 1), to: today };
    case 'lastMonth':
      return monthRange(y, m - 1);
    case 'thisQuarter':
      return { from: ymd(y, q * 3 + 1, 1), to: today };
    case 'lastQuarter': {
      const start = monthRange(y, q * 3 - 2);
      return { from: start.from, to: monthRange(y, q * 3).to };
    }
    case 'thisYear':
      return { from: ymd(y, 1, 1), to: today };
    case 'lastYear':
      return { from: ymd(y - 1, 1, 1), to: ymd(y - 1, 12, 31) };
  }
}
