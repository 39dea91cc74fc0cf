/**
 * Reporting periods (R7.4): 周分析 by ISO week (2026-W48), 月通报 by month (2026-11), 年终考核 by year (2026),
 * and 不定期点评 over any range of days the office chooses (2026-11-01~2026-11-20, both days included, at most
 * a year). Periods are Beijing-time calendar periods, returned as UTC instants [from, to).
 */
import { BEIJING_OFFSET_MS, beijingDay, REPORT_KINDS, SCHEDULED_REPORT_KINDS, type ReportKind } from '../vocabulary';
import { isCalendarDay } from '../instants';

export { REPORT_KINDS, type ReportKind };
export const SCHEDULED_KINDS = SCHEDULED_REPORT_KINDS;
export type ScheduledKind = (typeof SCHEDULED_KINDS)[number];

/** The longest 不定期点评 range, in days. */
export const MAX_ADHOC_DAYS = 366;

export interface Period {
  kind: ReportKind;
  /** The canonical label: 2026-W48, 2026-11, 2026 or 2026-11-01~2026-11-20. */
  label: string;
  from: Date;
  to: Date;
}

const BEIJING_MS = BEIJING_OFFSET_MS;
const DAY_MS = 86_400_000;

const PATTERNS: Record<ReportKind, RegExp> = {
  weekly: /^(\d{4})-W(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
  annual: /^(\d{4})$/,
  adhoc: /^(\d{4})-(\d{2})-(\d{2})~(\d{4})-(\d{2})-(\d{2})$/,
};

export const PERIOD_EXAMPLES: Record<ReportKind, string> = { weekly: '2026-W48', monthly: '2026-11', annual: '2026', adhoc: '2026-11-01~2026-11-20' };

/** Midnight Beijing time of a calendar day, as a UTC instant. */
const beijingMidnight = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day) - BEIJING_MS);

/** A real calendar day (not 2026-02-30) between 2000 and 2100, as its Beijing midnight; else null. */
function calendarDay(year: number, month: number, day: number): Date | null {
  if (year < 2000 || year > 2100 || !isCalendarDay(year, month, day)) return null;
  return beijingMidnight(year, month, day);
}

/** The 不定期点评 period of the days [first, last], both included, as Beijing midnights. */
function adhocPeriod(first: Date, last: Date): Period {
  return { kind: 'adhoc', label: `${beijingDay(first)}~${beijingDay(last)}`, from: first, to: new Date(last.getTime() + DAY_MS) };
}

/** Monday of ISO week 1: the week that holds 4 January. */
function isoWeekOneMonday(year: number): Date {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return new Date(jan4 - weekday * DAY_MS);
}

const isoWeeksIn = (year: number) => Math.round((isoWeekOneMonday(year + 1).getTime() - isoWeekOneMonday(year).getTime()) / (7 * DAY_MS));

/** Parses a period label of the given kind; returns null when it is not one, or not of the years 2000–2100 reports cover. */
export function parsePeriod(kind: ReportKind, label: string): Period | null {
  const m = PATTERNS[kind].exec(label);
  if (!m || (kind !== 'adhoc' && (Number(m[1]) < 2000 || Number(m[1]) > 2100))) return null;
  return periodOf(kind, label);
}

/** The period a well-formed label names, whatever its year (the period before 2000's first is 1999's last). */
function periodOf(kind: ReportKind, label: string): Period | null {
  const m = PATTERNS[kind].exec(label);
  if (!m) return null;
  if (kind === 'adhoc') {
    const first = calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
    const last = calendarDay(Number(m[4]), Number(m[5]), Number(m[6]));
    if (!first || !last || last < first || (last.getTime() - first.getTime()) / DAY_MS + 1 > MAX_ADHOC_DAYS) return null;
    return adhocPeriod(first, last);
  }
  const year = Number(m[1]);
  if (kind === 'annual') return { kind, label, from: beijingMidnight(year, 1, 1), to: beijingMidnight(year + 1, 1, 1) };
  const n = Number(m[2]);
  if (kind === 'monthly') {
    if (n < 1 || n > 12) return null;
    return { kind, label, from: beijingMidnight(year, n, 1), to: beijingMidnight(year, n + 1, 1) };
  }
  if (n < 1 || n > isoWeeksIn(year)) return null;
  const monday = new Date(isoWeekOneMonday(year).getTime() + (n - 1) * 7 * DAY_MS);
  const from = new Date(monday.getTime() - BEIJING_MS);
  return { kind, label, from, to: new Date(from.getTime() + 7 * DAY_MS) };
}

/** The period of this kind that contains the instant. */
export function periodContaining(kind: ScheduledKind, at: Date): Period {
  const local = new Date(at.getTime() + BEIJING_MS);
  const year = local.getUTCFullYear();
  if (kind === 'annual') return periodOf(kind, String(year))!;
  if (kind === 'monthly') return periodOf(kind, `${year}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`)!;
  const day = Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY_MS;
  const isoYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - isoWeekOneMonday(isoYear).getTime()) / (7 * DAY_MS));
  return periodOf(kind, `${isoYear}-W${String(week).padStart(2, '0')}`)!;
}

/** The period just before this one (for rising topics): for 不定期点评, as many days just before. */
export function previousPeriod(p: Period): Period {
  if (p.kind === 'adhoc') return adhocPeriod(new Date(p.from.getTime() - (p.to.getTime() - p.from.getTime())), new Date(p.from.getTime() - DAY_MS));
  return periodContaining(p.kind, new Date(p.from.getTime() - 1));
}

/** The last complete period before the instant: what a scheduled run at that instant reports on. */
export function lastCompletePeriod(kind: ScheduledKind, at: Date): Period {
  return previousPeriod(periodContaining(kind, at));
}
