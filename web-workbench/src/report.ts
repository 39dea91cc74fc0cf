/** A report as GET /api/reports/:kind answers it (R7.4): the city's and each unit's indicators, hotspots, typical cases. */

import type { Report as CompiledReport } from '../../core/reports/report';
import type { NoticeCounts } from '../../core/reports/indicators';

export type { Indicators, NoticeCounts } from '../../core/reports/indicators';
export type { UnitRow } from '../../core/reports/report';
export type { TypicalCase } from '../../core/reports/typical';

/** A compiled report as the API answers it, with where it stands in its review. */
export interface Report extends CompiledReport {
  status: 'live' | 'compiled' | 'published';
  publishedAt: string | null;
  publishedBy: string | null;
}

/** 12.3% — or — when there is no rate. */
export const pct = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);

/** 12 or 12.5 — or — when there is no number. */
export const num = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(1));

/** Notices of all levels together. */
export const notices = (s: NoticeCounts): number => s.written + s.onsite + s.key + s.transferred;
