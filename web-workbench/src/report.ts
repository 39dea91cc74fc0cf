/** A report as GET /api/reports/:kind answers it (R7.4): the city's and each unit's indicators, hotspots, typical cases. */
import type { ReportKind, TypicalKind } from '../../core/vocabulary';

export interface NoticeCounts {
  written: number;
  onsite: number;
  key: number;
  transferred: number;
}

export interface Indicators {
  received: number;
  dispatched: number;
  answered: number;
  guided: number;
  closed: number;
  onTimeRate: number | null;
  avgHandlingHours: number | null;
  p90HandlingHours: number | null;
  overdue: number;
  extensions: number;
  redispatches: number;
  supervision: NoticeCounts;
  revisited: number;
  revisitRate: number | null;
  solvedRate: number | null;
  processSatisfaction: number | null;
  resultSatisfaction: number | null;
  untrueRedone: number;
}

export interface UnitRow extends Indicators {
  unitId: string;
  unitName: string;
  score: number | null;
  rank: number | null;
}

export interface TypicalCase {
  caseId: string;
  code: string;
  unitName: string | null;
  category: string | null;
  address: string;
  summary: string;
  reason: string;
}

export interface Report {
  kind: ReportKind;
  period: string;
  city: Indicators;
  units: UnitRow[];
  praised: { unitId: string; unitName: string }[];
  criticised: { unitId: string; unitName: string }[];
  policy: { praiseCount: number; criticiseCount: number };
  hotspots: {
    byCategory: { category: string; count: number }[];
    byPlace: { place: string; count: number }[];
    terms: { term: string; count: number }[];
    rising: { term: string; count: number; previous: number }[];
    repeatAddresses: { address: string; count: number }[];
    sampleRate: number;
  };
  typicalCases: Partial<Record<TypicalKind, TypicalCase[]>>;
  compiledAt: string;
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
