/**
 * The shape of a compiled assessment report (R7.4), as the API answers it and the workbench reads it:
 * types only, so the browser apps share this one definition.
 */
import type { ReportKind, TypicalKind } from '../vocabulary';
import type { Hotspots } from './hotspots';
import type { Indicators } from './indicators';
import type { RankingPolicy } from './scoring';
import type { TypicalCase } from './typical';

export interface UnitRow extends Indicators {
  unitId: string;
  unitName: string;
  score: number | null;
  rank: number | null;
}

export interface Report {
  kind: ReportKind;
  period: string;
  from: string;
  to: string;
  city: Indicators;
  units: UnitRow[];
  praised: { unitId: string; unitName: string }[];
  criticised: { unitId: string; unitName: string }[];
  policy: RankingPolicy;
  hotspots: Hotspots;
  typicalCases: Record<TypicalKind, (TypicalCase & { unitName: string | null })[]>;
  compiledAt: string;
}
