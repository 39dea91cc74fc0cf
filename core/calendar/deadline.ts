/**
 * Deadline arithmetic (R4), pure and in Beijing time (UTC+8, no daylight saving).
 * Hours run on the calendar clock. Working days follow the State Council's holiday notice,
 * with its make-up working weekends, counted from the day after the unit receives the order;
 * the deadline is the end of the Nth working day. A day in a year whose notice is not loaded
 * is counted as Monday–Friday and the deadline is marked provisional, never silently trusted.
 */
import { BEIJING_OFFSET, beijingDay } from '../vocabulary';

export type ClockUnit = 'hours' | 'workingDays';

export interface ClockRule {
  clockUnit: ClockUnit;
  clockAmount: number;
  clockLabel?: string;
}

export interface Deadline {
  dueAt: Date;
  basis: string;
  provisional: boolean;
}

export interface CalendarData {
  /** yyyy-mm-dd → 'holiday' (a day off, weekends inside a holiday included) or 'workday' (调休 working weekend). */
  days: ReadonlyMap<string, 'holiday' | 'workday'>;
  loadedYears: ReadonlySet<number>;
}

const DAY_MS = 24 * 3600_000;

/** The calendar date in Beijing of an instant, as yyyy-mm-dd. */
export const beijingDate = beijingDay;

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

function isWeekday(day: string): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow !== 0 && dow !== 6;
}

export function isWorkingDay(day: string, cal: CalendarData): { working: boolean; known: boolean } {
  const known = cal.loadedYears.has(Number(day.slice(0, 4)));
  if (!known) return { working: isWeekday(day), known };
  const kind = cal.days.get(day);
  if (kind === 'workday') return { working: true, known };
  if (kind === 'holiday') return { working: false, known };
  return { working: isWeekday(day), known };
}

/** The last calendar day a deadline of `days` working days could reach, to bound the calendar lookup. */
export function lookupHorizon(from: Date, days: number): string {
  return addDays(beijingDate(from), days * 2 + 30);
}

export function computeDeadline(from: Date, rule: ClockRule, cal: CalendarData): Deadline {
  if (!Number.isInteger(rule.clockAmount) || rule.clockAmount < 1) throw new RangeError(`clockAmount must be a positive integer, got ${rule.clockAmount}`);
  const label = rule.clockLabel ? `${rule.clockLabel}；` : '';
  if (rule.clockUnit === 'hours') {
    return {
      dueAt: new Date(from.getTime() + rule.clockAmount * 3600_000),
      basis: `${label}自交办起${rule.clockAmount}小时（自然时间，节假日不顺延）`,
      provisional: false,
    };
  }
  let day = beijingDate(from);
  let counted = 0;
  const unknownYears = new Set<number>();
  while (counted < rule.clockAmount) {
    day = addDays(day, 1);
    const { working, known } = isWorkingDay(day, cal);
    if (!known) unknownYears.add(Number(day.slice(0, 4)));
    if (working) counted += 1;
  }
  const provisional = unknownYears.size > 0;
  const years = [...unknownYears].join('、');
  return {
    dueAt: new Date(Date.parse(`${day}T23:59:59.999${BEIJING_OFFSET}`)),
    basis: provisional
      ? `${label}自交办次日起${rule.clockAmount}个工作日，至${day}；${years}年节假日安排尚未载入，暂按周一至周五计算，载入后重新计算`
      : `${label}自交办次日起${rule.clockAmount}个工作日（按国务院节假日安排，含调休），至${day}`,
    provisional,
  };
}
