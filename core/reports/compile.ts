/**
 * One assessment report (周分析, 月通报, 年终考核; R7.4): the city's and every unit's indicators, the units'
 * scores and ranks under the weights the engine evaluates from `assessmentWeights`, who is praised and
 * criticised, the period's hotspots and its 典型案例. Used by the API (live) and by the `report-compile` worker (stored).
 */
import type { DataSource } from 'typeorm';
import { UnitEntity } from '../db/entities';
import type { EngineClient } from '../engine/client';
import { computeHotspots } from './hotspots';
import { computeIndicators, emptyIndicators } from './indicators';
import { monthIndicators } from './months';
import type { Period } from './period';
import type { Report } from './report';
import { policyFromDecision, rankUnits, rankWithinParents } from './scoring';
import { computeTypicalCases, TYPICAL_KINDS } from './typical';

export type { Report, SubUnitGroup, UnitRow } from './report';

export const WEIGHTS_DECISION = 'assessmentWeights';

/** Where the indicators come from: `live` runs SQL and SUB_SQL over the period, `months` sums monthly aggregates (months.ts). */
export type IndicatorSource = 'live' | 'months';
/** The annual report sums its twelve months (docs/indicators.md); every other period is computed live. */
export const defaultSource = (period: Period): IndicatorSource => (period.kind === 'annual' ? 'months' : 'live');

export async function compileReport(ds: DataSource, engine: EngineClient, period: Period, source: IndicatorSource = defaultSource(period)): Promise<Report> {
  const [indicators, hotspots, { policy, typical }, units] = await Promise.all([
    source === 'months' ? monthIndicators(ds, period) : computeIndicators(ds, period),
    computeHotspots(ds, period),
    // The decision says how many typical cases to list, so they follow it.
    engine.evaluateDecision(WEIGHTS_DECISION, { kind: period.kind }).then(async ([decision]) => {
      const policy = policyFromDecision(decision);
      return { policy, typical: await computeTypicalCases(ds, period, policy.typicalCases) };
    }),
    ds.getRepository(UnitEntity).find({ order: { level: 'ASC', sort: 'ASC', id: 'ASC' } }),
  ]);
  const names = new Map(units.map((u) => [u.id, u.name]));
  // The city ranks the level-2 (lead) units only; each ranks its own level-3 units (七(三)).
  const ids = [...new Set([...units.filter((u) => u.level === 2).map((u) => u.id), ...indicators.units.keys()])];
  const level3 = units.filter((u) => u.level === 3 && u.parentId !== null);
  const subGroups = rankWithinParents(
    level3.map((u) => ({ unitId: u.id, parentId: u.parentId!, indicators: indicators.subUnits.get(u.id) ?? emptyIndicators() })),
    policy,
  );
  const { ranked, praised, criticised } = rankUnits(
    ids.map((unitId) => ({ unitId, indicators: indicators.units.get(unitId) ?? emptyIndicators() })),
    policy,
  );
  const named = (unitId: string) => ({ unitId, unitName: names.get(unitId) ?? unitId });
  return {
    kind: period.kind,
    period: period.label,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    city: indicators.city,
    units: ranked.map((r) => ({ ...named(r.unit.unitId), ...r.unit.indicators, score: r.score, rank: r.rank })),
    subUnits: subGroups.map((g) => ({
      parentId: g.parentId,
      parentName: names.get(g.parentId) ?? g.parentId,
      units: g.ranked.map((r) => ({ ...named(r.unit.unitId), ...r.unit.indicators, score: r.score, rank: r.rank })),
    })),
    praised: praised.map(named),
    criticised: criticised.map(named),
    policy,
    hotspots,
    typicalCases: Object.fromEntries(
      TYPICAL_KINDS.map((kind) => [kind, typical[kind].map((c) => ({ ...c, unitName: c.unitId === null ? null : (names.get(c.unitId) ?? c.unitId) }))]),
    ) as Report['typicalCases'],
    compiledAt: new Date().toISOString(),
  };
}
