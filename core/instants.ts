/**
 * Dates and instants as the API accepts them: real calendar days and times, in the years every part of the
 * system can store and show. JavaScript, PostgreSQL and the engine disagree outside them (a due date in 9999
 * is the year 10000 in Beijing, which JavaScript cannot read back), and `new Date()` silently reads
 * "2027-02-30" as March 2nd and "+08" or a leap second as no date at all.
 */

/** The years an instant or day may fall in. */
export const FIRST_YEAR = 1970;
export const LAST_YEAR = 2199;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** RFC 3339: a day, a time (seconds optional) and an offset; an instant without its offset is ambiguous. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** Whether year, month and day name a day the calendar has (not 30 February), whatever the year. */
export function isCalendarDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Whether hours, minutes and seconds name a time of day a clock shows (no hour 24, no leap second). */
export const isClock = (h: number, m: number, s = 0): boolean => h <= 23 && m <= 59 && s <= 59;

/** Whether a UTC offset of hours and minutes is one a time zone has (±14:00 at most). */
export const isOffset = (h: number, m: number): boolean => m <= 59 && h * 60 + m <= 14 * 60;

const realDay = (y: number, m: number, d: number): boolean => y >= FIRST_YEAR && y <= LAST_YEAR && isCalendarDay(y, m, d);

/** Whether `text` is a real day `YYYY-MM-DD` within the years. */
export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  return m !== null && realDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The instant `text` names (RFC 3339, with its offset), or null when it is no real time within the years. */
export function parseInstant(text: string): Date | null {
  const m = INSTANT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '0', oh = '0', om = '0'] = m;
  if (!realDay(Number(y), Number(mo), Number(d)) || !isClock(Number(h), Number(mi), Number(s)) || !isOffset(Number(oh), Number(om))) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) || !withinYears(at) ? null : at;
}

/** Whether an instant falls within the years (in UTC and in every real offset). */
export const withinYears = (at: Date): boolean =>
  at.getTime() >= Date.UTC(FIRST_YEAR, 0, 1, 14) && at.getTime() <= Date.UTC(LAST_YEAR, 11, 31, 23, 59, 59, 999) - 14 * 3600_000;
