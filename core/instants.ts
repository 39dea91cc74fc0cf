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

const realDay = (y: number, m: number, d: number): boolean => {
  const t = new Date(Date.UTC(y, m - 1, d));
  return y >= FIRST_YEAR && y <= LAST_YEAR && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
};

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
  if (!realDay(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  if (Number(om) > 59 || Number(oh) * 60 + Number(om) > 14 * 60) return null;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) || !withinYears(at) ? null : at;
}

/** Whether an instant falls within the years (in UTC and in every real offset). */
export const withinYears = (at: Date): boolean =>
  at.getTime() >= Date.UTC(FIRST_YEAR, 0, 1, 14) && at.getTime() <= Date.UTC(LAST_YEAR, 11, 31, 23, 59, 59, 999) - 14 * 3600_000;
