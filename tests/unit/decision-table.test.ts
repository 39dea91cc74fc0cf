import { readFileSync } from 'node:fs';
import path from 'node:path';
import { compileDecisionTable, UnsupportedDecision } from '../../core/policy/decision-table';

const bpmn = (file: string) => readFileSync(path.resolve(__dirname, '../../bpmn', file), 'utf8');

describe('decision tables evaluated in-process (intake never waits for the engine)', () => {
  const category = compileDecisionTable(bpmn('case-category.dmn'), 'caseCategory');
  const unit = compileDecisionTable(bpmn('case-unit.dmn'), 'caseUnit');

  it('caseCategory: the first rule whose keyword the content contains, else the default rule', () => {
    expect(category.evaluate({ content: '小区门口长期占道经营' })).toEqual({ suggestedCategory: 'B' });
    expect(category.evaluate({ content: '楼道燃气泄漏，还有物业不管' })).toEqual({ suggestedCategory: 'D' });
    expect(category.evaluate({ content: '家里停水两天' })).toEqual({ suggestedCategory: 'A' });
    expect(category.evaluate({ content: '没有关键词' })).toEqual({ suggestedCategory: 'B' });
  });

  it('caseUnit: the competent department first, then the district by address, else none', () => {
    expect(unit.evaluate({ content: '家里停水两天', address: '新华区' })).toEqual({ suggestedUnitId: 'water-supply' });
    expect(unit.evaluate({ content: '没有关键词', address: '卫东区建设路' })).toEqual({ suggestedUnitId: 'weidong' });
    expect(unit.evaluate({ content: '没有关键词', address: '外地' })).toEqual({ suggestedUnitId: null });
  });

  it('a table using FEEL it does not know is refused, never evaluated differently from the engine', () => {
    const edited = bpmn('case-category.dmn').replace('contains(?, "坍塌")', 'matches(?, "坍.*")');
    expect(() => compileDecisionTable(edited, 'caseCategory')).toThrow(UnsupportedDecision);
  });
});
