/**
 * Reporting periods (R7.4): 周分析 by ISO week (2026-W48), 月通报 by month (2026-11), 年终考核 by year (2026).
 * Periods are Beijing-time calendar periods, returned as UTC instants [from, to).
 */
export const REPORT_KINDS = ['weekly', 'monthly', 'annual'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Period {
  kind: ReportKind;
  /** The canonical label: 2026-W48, 2026-11 or 2026. */
  label: string;
  from: Date;
  to: Date;
}

const BEIJING_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

const PATTERNS: Record<ReportKind, RegExp> = {
  weekly: /^(\d{4})-W(\d{2})$/,
  monthly: /^(\d{4})-(\d{2})$/,
  annual: /^(\d{4})$/,
};

export const PERIOD_EXAMPLES: Record<ReportKind, string> = { weekly: '2026-W48', monthly: '2026-11', annual: '2026' };

/** Midnight Beijing time of a calendar day, as a UTC instant. */
const beijingMidnight = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day) - BEIJING_MS);

/** Monday of ISO week 1: the week that holds 4 January. */
function isoWeekOneMonday(year: number): Date {
  const jan4 = Date.UTC(year, 0, 4);
  const weekday = (new Date(jan4).getUTCDay() + 6) % 7;
  return new Date(jan4 - weekday * DAY_MS);
}

const isoWeeksIn = (year: number) => Math.round((isoWeekOneMonday(year + 1).getTime() - isoWeekOneMonday(year).getTime()) / (7 * DAY_MS));

/** Parses a period label of the given kind; returns null when it is not one. */
export function parsePeriod(kind: ReportKind, label: string): Period | null {
  const m = PATTERNS[kind].exec(label);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 2000 || year > 2100) return null;
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
export function periodContaining(kind: ReportKind, at: Date): Period {
  const local = new Date(at.getTime() + BEIJING_MS);
  const year = local.getUTCFullYear();
  if (kind === 'annual') return parsePeriod(kind, String(year))!;
  if (kind === 'monthly') return parsePeriod(kind, `${year}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`)!;
  const day = Date.UTC(year, local.getUTCMonth(), local.getUTCDate());
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY_MS;
  const isoYear = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - isoWeekOneMonday(isoYear).getTime()) / (7 * DAY_MS));
  return parsePeriod(kind, `${isoYear}-W${String(week).padStart(2, '0')}`)!;
}

/** The period just before this one (for rising topics). */
export function previousPeriod(p: Period): Period {
  return periodContaining(p.kind, new Date(p.from.getTime() - 1));
}

/** The last complete period before the instant: what a scheduled run at that instant reports on. */
export function lastCompletePeriod(kind: ReportKind, at: Date): Period {
  return previousPeriod(periodContaining(kind, at));
}
