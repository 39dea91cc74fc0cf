import { isCron } from '../../core/bpmn/lint';
import { emptyIndicators, type Indicators } from '../../core/reports/indicators';
import { lastCompletePeriod, parsePeriod, periodContaining, previousPeriod } from '../../core/reports/period';
import { policyFromDecision, rankUnits, rankWithinParents, score, type RankingPolicy } from '../../core/reports/scoring';
import { reportPeriod } from '../../workers/topics/report';

const iso = (d: Date) => d.toISOString();

describe('reporting periods (Beijing time)', () => {
  it('given a month, when parsed, then it runs from the 1st 00:00 Beijing to the next 1st', () => {
    const p = parsePeriod('monthly', '2026-11')!;
    expect([iso(p.from), iso(p.to)]).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z']);
    expect(iso(parsePeriod('monthly', '2026-12')!.to)).toBe('2026-12-31T16:00:00.000Z');
  });

  it('given an ISO week, when parsed, then it runs Monday to Monday; week 1 holds 4 January', () => {
    const w48 = parsePeriod('weekly', '2026-W48')!;
    expect([iso(w48.from), iso(w48.to)]).toEqual(['2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z']);
    expect(iso(parsePeriod('weekly', '2026-W01')!.from)).toBe('2025-12-28T16:00:00.000Z');
    expect(parsePeriod('weekly', '2025-W53')).toBeNull();
    expect(parsePeriod('weekly', '2026-W53')).not.toBeNull();
  });

  it('given a label of another kind or out of range, when parsed, then it is refused', () => {
    expect(parsePeriod('monthly', '2026-W48')).toBeNull();
    expect(parsePeriod('weekly', '2026-11')).toBeNull();
    expect(parsePeriod('annual', '2026-11')).toBeNull();
    expect(parsePeriod('monthly', '2026-13')).toBeNull();
    expect(parsePeriod('monthly', '2026-00')).toBeNull();
    expect(parsePeriod('weekly', '2026-W00')).toBeNull();
    expect(parsePeriod('annual', '1999')).toBeNull();
    expect(parsePeriod('annual', '2026')!.label).toBe('2026');
  });

  it('given an instant, when its period is asked, then Beijing midnight decides the day', () => {
    // 2026-11-30T16:30Z is 1 December 00:30 in Beijing
    expect(periodContaining('monthly', new Date('2026-11-30T16:30:00Z')).label).toBe('2026-12');
    expect(periodContaining('weekly', new Date('2026-11-26T08:00:00Z')).label).toBe('2026-W48');
    expect(periodContaining('weekly', new Date('2027-01-01T04:00:00Z')).label).toBe('2026-W53');
  });

  it('given a scheduled run, when it fires, then it reports on the last complete period', () => {
    // Monday 30 Nov 2026 08:00 Beijing → the week before; 1 Dec → November; 5 Jan 2027 → 2026
    expect(lastCompletePeriod('weekly', new Date('2026-11-30T00:00:00Z')).label).toBe('2026-W48');
    expect(lastCompletePeriod('monthly', new Date('2026-12-01T00:00:00Z')).label).toBe('2026-11');
    expect(lastCompletePeriod('annual', new Date('2027-01-05T00:00:00Z')).label).toBe('2026');
    expect(previousPeriod(parsePeriod('monthly', '2026-01')!).label).toBe('2025-12');
    expect(previousPeriod(parsePeriod('weekly', '2026-W01')!).label).toBe('2025-W52');
    // The first periods reports cover still have one before them (with nothing in it), never none.
    expect(
      ['weekly', 'monthly', 'annual'].map(
        (k) => previousPeriod(parsePeriod(k as 'weekly', { weekly: '2000-W01', monthly: '2000-01', annual: '2000' }[k]!)!).label,
      ),
    ).toEqual(['1999-W52', '1999-12', '1999']);
    expect(parsePeriod('monthly', '1999-12')).toBeNull();
  });

  it('given a 不定期点评 range, when it is parsed, then both days are included in Beijing time and bad ranges are refused', () => {
    const p = parsePeriod('adhoc', '2026-11-01~2026-11-20')!;
    expect(p.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(p.to.toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(previousPeriod(p).label).toBe('2026-10-12~2026-10-31');
    expect(parsePeriod('adhoc', '2026-11-20~2026-11-20')!.to.getTime() - parsePeriod('adhoc', '2026-11-20~2026-11-20')!.from.getTime()).toBe(86_400_000);
    expect(parsePeriod('adhoc', '2026-11-20~2026-11-01')).toBeNull();
    expect(parsePeriod('adhoc', '2026-02-29~2026-03-01')).toBeNull();
    expect(parsePeriod('adhoc', '2025-01-01~2026-01-02')).toBeNull();
    expect(parsePeriod('adhoc', '2026-11')).toBeNull();
  });

  it('given the worker input, when the period is chosen, then an explicit period wins over the fire time', () => {
    expect(reportPeriod('monthly', { period: '2026-10', firedAt: new Date('2026-12-01T00:00:00Z') }).label).toBe('2026-10');
    expect(reportPeriod('monthly', { firedAt: new Date('2026-12-01T00:00:00Z') }).label).toBe('2026-11');
    expect(() => reportPeriod('monthly', { period: '2026-W48' })).toThrow('period');
    expect(reportPeriod('adhoc', { period: '2026-11-01~2026-11-20' }).label).toBe('2026-11-01~2026-11-20');
    expect(() => reportPeriod('adhoc', { firedAt: new Date() })).toThrow('period');
  });

  it('cron expressions of timer cycles are told apart from prose', () => {
    expect(['0 0 8 ? * MON', '0 0 8 1 * ?', '0 0 8 5 1 ?'].every(isCron)).toBe(true);
    expect(['every monday', '0 0 8 * * *', '0 8 * * 1'].some(isCron)).toBe(false);
  });
});

describe('scoring and ranking', () => {
  const policy: RankingPolicy = {
    weights: { onTimeRate: 40, satisfaction: 30, solvedRate: 20, supervisionPenalty: 10 },
    praiseCount: 1,
    criticiseCount: 1,
    minCases: 1,
    typicalCases: 5,
  };
  const unit = (p: Partial<Indicators>): Indicators => ({ ...emptyIndicators(), dispatched: 10, closed: 10, ...p });

  it('given all parts, when scored, then the score is the weighted mean in percent', () => {
    const i = unit({
      onTimeRate: 1,
      processSatisfaction: 0.8,
      resultSatisfaction: 0.6,
      solvedRate: 0.5,
      supervision: { written: 2, onsite: 0, key: 0, transferred: 0 },
    });
    // 40·1 + 30·0.7 + 20·0.5 + 10·(1 − 2/10) = 79
    expect(score(i, policy.weights)).toBe(79);
  });

  it('given a unit without revisits, when scored, then only the parts it has count', () => {
    expect(score(unit({ onTimeRate: 0.5 }), policy.weights)).toBe(Math.round((10000 * (40 * 0.5 + 10)) / 50) / 100);
    expect(score(emptyIndicators(), policy.weights)).toBeNull();
  });

  it('given units, when ranked, then the best is praised, the worst criticised, and idle units are not ranked', () => {
    const units = [
      { unitId: 'a', indicators: unit({ onTimeRate: 0.9 }) },
      { unitId: 'b', indicators: unit({ onTimeRate: 1 }) },
      { unitId: 'c', indicators: unit({ onTimeRate: 0.2 }) },
      { unitId: 'idle', indicators: emptyIndicators() },
    ];
    const { ranked, praised, criticised } = rankUnits(units, policy);
    expect(ranked.map((r) => [r.unit.unitId, r.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', 3],
      ['idle', null],
    ]);
    expect(praised).toEqual(['b']);
    expect(criticised).toEqual(['c']);
  });

  it('given other weights, when ranked, then the order follows them', () => {
    const units = [
      { unitId: 'fast', indicators: unit({ onTimeRate: 1, solvedRate: 0.2 }) },
      { unitId: 'thorough', indicators: unit({ onTimeRate: 0.5, solvedRate: 1 }) },
    ];
    expect(rankUnits(units, policy).praised).toEqual(['fast']);
    expect(rankUnits(units, { ...policy, weights: { ...policy.weights, solvedRate: 80 } }).praised).toEqual(['thorough']);
  });

  it('given the decision result, when read, then a missing or negative output is refused', () => {
    const result = {
      onTimeRate: { value: 40 },
      satisfaction: { value: 30 },
      solvedRate: { value: 20 },
      supervisionPenalty: { value: 10 },
      praiseCount: { value: 3 },
      criticiseCount: { value: 3 },
      minCases: { value: 1 },
      typicalCases: { value: 5 },
    };
    expect(policyFromDecision(result)).toEqual({
      weights: { onTimeRate: 40, satisfaction: 30, solvedRate: 20, supervisionPenalty: 10 },
      praiseCount: 3,
      criticiseCount: 3,
      minCases: 1,
      typicalCases: 5,
    });
    expect(() => policyFromDecision({ ...result, solvedRate: { value: -1 } })).toThrow('solvedRate');
    expect(() => policyFromDecision(undefined)).toThrow('no result');
  });

  it('七(三) given level-3 units of two parents, when ranked within parents, then each parent ranks its own from 1 and none competes across', () => {
    const units = [
      { unitId: 'xinhua-a', parentId: 'xinhua', indicators: unit({ onTimeRate: 0.5 }) },
      { unitId: 'weidong-a', parentId: 'weidong', indicators: unit({ onTimeRate: 0.1 }) },
      { unitId: 'xinhua-b', parentId: 'xinhua', indicators: unit({ onTimeRate: 0.9 }) },
      { unitId: 'xinhua-idle', parentId: 'xinhua', indicators: emptyIndicators() },
      { unitId: 'weidong-b', parentId: 'weidong', indicators: unit({ onTimeRate: 1 }) },
    ];
    const groups = rankWithinParents(units, policy);
    expect(groups.map((g) => [g.parentId, g.ranked.map((r) => [r.unit.unitId, r.rank])])).toEqual([
      [
        'xinhua',
        [
          ['xinhua-b', 1],
          ['xinhua-a', 2],
          ['xinhua-idle', null],
        ],
      ],
      [
        'weidong',
        [
          ['weidong-b', 1],
          ['weidong-a', 2],
        ],
      ],
    ]);
  });

  it('七(三) given no level-3 units, when ranked within parents, then there is no group', () => {
    expect(rankWithinParents([], policy)).toEqual([]);
  });
});
