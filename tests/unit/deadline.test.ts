import { computeDeadline, beijingDate, type CalendarData } from '../../core/calendar/deadline';
import { packagedNotices } from '../../core/calendar/repository';

function calendarOf(years: number[]): CalendarData {
  const days = new Map<string, 'holiday' | 'workday'>();
  for (const n of packagedNotices().filter((n) => years.includes(n.year))) {
    for (const d of Object.keys(n.holidays)) days.set(d, 'holiday');
    for (const d of Object.keys(n.workdays)) days.set(d, 'workday');
  }
  return { days, loadedYears: new Set(years) };
}

describe('R4 deadline arithmetic in Beijing time', () => {
  const cal2026 = calendarOf([2026]);
  const B = { clockUnit: 'workingDays' as const, clockAmount: 5 };

  it('counts from the day after dispatch to the end of the 5th working day', () => {
    // Thursday 2026-11-26 → Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 December
    const d = computeDeadline(new Date('2026-11-26T10:00:00+08:00'), B, cal2026);
    expect(d.dueAt.toISOString()).toBe('2026-12-03T15:59:59.999Z');
    expect(d.provisional).toBe(false);
  });

  it('uses the Beijing date, not UTC: 01:00 Beijing on Monday is still Monday', () => {
    const from = new Date('2026-11-23T01:00:00+08:00');
    expect(beijingDate(from)).toBe('2026-11-23');
    expect(computeDeadline(from, B, cal2026).dueAt.toISOString()).toBe('2026-11-30T15:59:59.999Z');
  });

  it('counts the make-up Saturday 2026-02-14 and skips the Spring Festival', () => {
    // Saturday Feb 14 (调休) is working day 1; Feb 15–23 off; Feb 24, 25, 26, 27 are days 2–5
    const d = computeDeadline(new Date('2026-02-13T16:00:00+08:00'), B, cal2026);
    expect(beijingDate(d.dueAt)).toBe('2026-02-27');
  });

  it('runs hours on the calendar clock, holidays included', () => {
    const d = computeDeadline(new Date('2026-02-16T09:30:00+08:00'), { clockUnit: 'hours', clockAmount: 24, clockLabel: 'A类即办' }, cal2026);
    expect(d.dueAt.toISOString()).toBe('2026-02-17T01:30:00.000Z');
    expect(d.basis).toContain('A类即办');
  });

  it('never guesses an unloaded year: counts Monday–Friday and marks the deadline provisional', () => {
    const d = computeDeadline(new Date('2026-12-30T09:00:00+08:00'), B, cal2026);
    // Dec 31, then 2027: Jan 1 (Fri, unknown → counted as a weekday), Jan 4, 5, 6
    expect(beijingDate(d.dueAt)).toBe('2027-01-06');
    expect(d.provisional).toBe(true);
    expect(d.basis).toContain('2027年节假日安排尚未载入');
    const loaded = computeDeadline(new Date('2026-12-30T09:00:00+08:00'), B, { ...cal2026, loadedYears: new Set([2026, 2027]) });
    expect(loaded.provisional).toBe(false);
  });

  it('refuses a clock amount that is not a positive integer', () => {
    expect(() => computeDeadline(new Date(), { clockUnit: 'workingDays', clockAmount: 0 }, cal2026)).toThrow(RangeError);
  });
});
