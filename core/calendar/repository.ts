/**
 * The holiday calendar as data: the State Council's yearly notice, one row per exceptional day.
 * Seeded from the `chinese-days` package for the years it carries; a new year is loaded the same way
 * (`loadYear`) when it is published each November.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { computeDeadline, lookupHorizon, beijingDate, type CalendarData, type ClockRule, type Deadline } from './deadline';

export interface YearNotice {
  year: number;
  source: string;
  /** yyyy-mm-dd → name, days off (weekends inside a holiday included). */
  holidays: Record<string, string>;
  /** yyyy-mm-dd → name, make-up working weekends (调休). */
  workdays: Record<string, string>;
}

export interface CalendarRepository {
  deadline(from: Date, rule: ClockRule): Promise<Deadline>;
  loadedYears(): Promise<number[]>;
  /** Replaces a year's days; `inside` adds what must commit with them (the outbox row of the recompute). */
  loadYear(notice: YearNotice, inside?: (tx: EntityManager) => Promise<void>): Promise<void>;
  seedFromPackage(): Promise<number[]>;
}

/** The Chinese name of a `chinese-days` entry ("Spring Festival,春节,4" → "春节"). */
function chineseName(entry: string): string {
  return entry.split(',')[1] ?? entry;
}

export function packagedNotices(): YearNotice[] {
  const dir = path.join(path.dirname(require.resolve('chinese-days/package.json')), 'dist', 'years');
  const version = (JSON.parse(readFileSync(path.join(dir, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  return readdirSync(dir)
    .filter((f) => /^\d{4}\.json$/.test(f))
    .map((f) => {
      const raw = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { holidays: Record<string, string>; workdays: Record<string, string> };
      const map = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([d, n]) => [d, chineseName(n)]));
      return { year: Number(f.slice(0, 4)), source: `chinese-days@${version}`, holidays: map(raw.holidays), workdays: map(raw.workdays) };
    });
}

export function createCalendarRepository(ds: DataSource): CalendarRepository {
  async function data(from: Date, horizonDays: number): Promise<CalendarData> {
    const rows: { day: string; kind: 'holiday' | 'workday' }[] = await ds.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days WHERE day BETWEEN $1 AND $2`,
      [beijingDate(from), lookupHorizon(from, horizonDays)],
    );
    const years: { year: number }[] = await ds.query(`SELECT year FROM calendar_years`);
    return { days: new Map(rows.map((r) => [r.day, r.kind])), loadedYears: new Set(years.map((y) => y.year)) };
  }

  async function loadYear(notice: YearNotice, inside?: (tx: EntityManager) => Promise<void>): Promise<void> {
    await ds.transaction(async (tx) => {
      await tx.query(`DELETE FROM calendar_days WHERE day >= make_date($1, 1, 1) AND day < make_date($1 + 1, 1, 1)`, [notice.year]);
      const entries = [
        ...Object.entries(notice.holidays).map(([day, name]) => [day, 'holiday', name]),
        ...Object.entries(notice.workdays).map(([day, name]) => [day, 'workday', name]),
      ];
      for (const [day, kind, name] of entries) {
        if (Number(day.slice(0, 4)) !== notice.year) throw new RangeError(`${day} is not in ${notice.year}`);
        await tx.query(`INSERT INTO calendar_days(day, kind, name) VALUES ($1, $2, $3)`, [day, kind, name]);
      }
      await tx.query(`INSERT INTO calendar_years(year, source) VALUES ($1, $2) ON CONFLICT (year) DO UPDATE SET source = EXCLUDED.source, loaded_at = now()`, [
        notice.year,
        notice.source,
      ]);
      if (inside) await inside(tx);
    });
  }

  return {
    async deadline(from, rule) {
      return computeDeadline(from, rule, await data(from, rule.clockUnit === 'workingDays' ? rule.clockAmount : 0));
    },
    async loadedYears() {
      const rows: { year: number }[] = await ds.query(`SELECT year FROM calendar_years ORDER BY year`);
      return rows.map((r) => r.year);
    },
    loadYear,
    async seedFromPackage() {
      const loaded = new Set(await this.loadedYears());
      const added: number[] = [];
      for (const notice of packagedNotices()) {
        if (loaded.has(notice.year)) continue;
        await loadYear(notice);
        added.push(notice.year);
      }
      return added;
    },
  };
}
