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

/** 七(三): one level-2 unit's level-3 units, ranked among themselves (`rank` is the rank within the parent). */
export interface SubUnitGroup {
  parentId: string;
  parentName: string;
  units: UnitRow[];
}

export interface Report {
  kind: ReportKind;
  period: string;
  from: string;
  to: string;
  city: Indicators;
  /** The level-2 units, ranked city-wide. */
  units: UnitRow[];
  /** 七(三) 二级考核三级: each level-2 unit's level-3 units, by `delegated_unit_id`; absent from reports published before. */
  subUnits: SubUnitGroup[];
  praised: { unitId: string; unitName: string }[];
  criticised: { unitId: string; unitName: string }[];
  policy: RankingPolicy;
  hotspots: Hotspots;
  typicalCases: Record<TypicalKind, (TypicalCase & { unitName: string | null })[]>;
  compiledAt: string;
}
