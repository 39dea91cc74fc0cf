/**
 * Scoring and ranking of the units (R7.4: 月通报 praises the good units and criticises the poor ones,
 * 年终考核 commends the advanced and names the laggards). The weights and how many units are praised or
 * criticised (and how many typical cases are listed) come from the decision table `assessmentWeights`;
 * this module only does the arithmetic.
 */
import type { Indicators } from './indicators';

export interface Weights {
  onTimeRate: number;
  satisfaction: number;
  solvedRate: number;
  supervisionPenalty: number;
}

export interface RankingPolicy {
  weights: Weights;
  /** How many units at the top are praised (表扬) and at the bottom criticised (批评). */
  praiseCount: number;
  criticiseCount: number;
  /** Units with fewer dispatched or closed work orders in the period are listed but not ranked. */
  minCases: number;
  /** How many 典型案例 of each kind the report lists. */
  typicalCases: number;
}

const WEIGHT_NAMES: (keyof Weights)[] = ['onTimeRate', 'satisfaction', 'solvedRate', 'supervisionPenalty'];

/** Reads the decision's single result; a missing or negative output is a modelling error. */
export function policyFromDecision(result: Record<string, { value: unknown }> | undefined): RankingPolicy {
  if (!result) throw new Error('decision assessmentWeights returned no result');
  const read = (name: string) => {
    const v = Number(result[name]?.value);
    if (!Number.isFinite(v) || v < 0)
      throw new Error(`decision assessmentWeights: output ${name} must be a number ≥ 0, got ${JSON.stringify(result[name]?.value)}`);
    return v;
  };
  const weights = Object.fromEntries(WEIGHT_NAMES.map((n) => [n, read(n)])) as unknown as Weights;
  return { weights, praiseCount: read('praiseCount'), criticiseCount: read('criticiseCount'), minCases: read('minCases'), typicalCases: read('typicalCases') };
}

/** Each part of the score in 0..1; null when the unit has no data for it in the period. */
export function scoreParts(i: Indicators): Record<keyof Weights, number | null> {
  const satisfactions = [i.processSatisfaction, i.resultSatisfaction].filter((v): v is number => v !== null);
  const notices = i.supervision.written + i.supervision.onsite + i.supervision.key + i.supervision.transferred;
  return {
    onTimeRate: i.onTimeRate,
    satisfaction: satisfactions.length ? satisfactions.reduce((a, b) => a + b, 0) / satisfactions.length : null,
    solvedRate: i.solvedRate,
    supervisionPenalty: i.dispatched > 0 ? 1 - Math.min(notices / i.dispatched, 1) : null,
  };
}

/** 0–100: the weighted mean of the parts the unit has data for; null when it has none. */
export function score(i: Indicators, w: Weights): number | null {
  let sum = 0;
  let weight = 0;
  for (const [name, part] of Object.entries(scoreParts(i)) as [keyof Weights, number | null][]) {
    if (part === null || w[name] === 0) continue;
    sum += w[name] * part;
    weight += w[name];
  }
  return weight > 0 ? Math.round((10_000 * sum) / weight) / 100 : null;
}

export interface RankedUnit<U> {
  unit: U;
  score: number | null;
  rank: number | null;
}

/**
 * Ranks by score (ties: more dispatched first, then id); units under `minCases` or without a score get no rank.
 * Praised are the first `praiseCount`, criticised the last `criticiseCount` of the rest, so nobody is both.
 */
export function rankUnits<U extends { unitId: string; indicators: Indicators }>(units: U[], policy: RankingPolicy) {
  const scored = units.map((unit) => ({ unit, score: score(unit.indicators, policy.weights) }));
  const eligible = scored
    .filter((s) => s.score !== null && Math.max(s.unit.indicators.dispatched, s.unit.indicators.closed) >= Math.max(policy.minCases, 1))
    .sort((a, b) => b.score! - a.score! || b.unit.indicators.dispatched - a.unit.indicators.dispatched || a.unit.unitId.localeCompare(b.unit.unitId));
  const ranks = new Map(eligible.map((s, i) => [s.unit.unitId, i + 1]));
  const ranked: RankedUnit<U>[] = scored.map((s) => ({ ...s, rank: ranks.get(s.unit.unitId) ?? null }));
  ranked.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.unitId.localeCompare(b.unit.unitId));
  const praised = eligible.slice(0, policy.praiseCount).map((s) => s.unit.unitId);
  const rest = eligible.slice(praised.length);
  const criticised = rest
    .slice(Math.max(rest.length - policy.criticiseCount, 0))
    .reverse()
    .map((s) => s.unit.unitId);
  return { ranked, praised, criticised };
}

/**
 * 七(三) 二级考核三级: each level-2 unit ranks its own level-3 units among themselves, under the same policy; a
 * level-3 unit never competes with its parent or with another parent's units. Groups keep the order of first
 * appearance of their parent; nobody is praised or criticised city-wide for it.
 */
export function rankWithinParents<U extends { unitId: string; parentId: string; indicators: Indicators }>(units: U[], policy: RankingPolicy) {
  const groups = new Map<string, U[]>();
  for (const u of units) groups.set(u.parentId, [...(groups.get(u.parentId) ?? []), u]);
  return [...groups].map(([parentId, members]) => ({ parentId, ranked: rankUnits(members, policy).ranked }));
}
