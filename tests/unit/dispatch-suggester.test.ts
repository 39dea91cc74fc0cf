/**
 * How a suggestion is made from the 派单目录 and the learned model (core/dispatch/suggester.ts suggestFrom):
 * the shipped catalogue and a model trained here on a small written history; nothing mocked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NETWORK } from '../../core/db/seed';
import { catalogueScorer, DEFAULT_TUNING, parseTuning } from '../../core/dispatch/catalogue';
import { classifier, train, type Sample } from '../../core/dispatch/model';
import { suggestFrom, type LoadedModel } from '../../core/dispatch/suggester';
import { withCatalogue } from '../../core/dispatch/training';

const xml = readFileSync(path.resolve(__dirname, '../../bpmn/dispatch-catalogue.dmn'), 'utf8');
const catalogue = catalogueScorer(xml, NETWORK);
const units = new Map(NETWORK.map((u) => [u.id, u]));

// The office's history: street lights and potholes went to city management, school fees to education.
const history: Sample[] = [
  ...['小区路灯坏了', '路灯不亮', '道路坑洼', '人行道破损', '路灯杆倾斜', '马路有坑'].map((text) => ({ text, label: 'city-mgmt' })),
  ...['学校乱收费', '补课收费', '幼儿园收费', '学校收资料费', '教师有偿补课', '学校食堂收费'].map((text) => ({ text, label: 'education' })),
];
const unitModel = train(history, { minDf: 1 });
const categoryModel = train(history.map((s) => ({ text: s.text, label: 'B' })).concat([{ text: '咨询办事流程', label: 'A' }]), { minDf: 1 });
const model: LoadedModel = { version: 7, unit: classifier(unitModel), category: classifier(categoryModel) };

describe('dispatch suggestions from the catalogue and the model', () => {
  it('given no model yet, when a street light is reported, then the catalogue alone suggests a unit and says which matter it hit', () => {
    const s = suggestFrom({ units, catalogue, model: null }, '小区门口路灯坏了');
    expect(s.unitId).not.toBeNull();
    expect(s.source).toBe('catalogue');
    expect(s.candidates.length).toBeGreaterThan(0);
    expect(s.candidates.length).toBeLessThanOrEqual(3);
    expect(s.candidates[0].reason).toMatch(/^派单目录「.+」命中/);
    expect(s.unitName).toBe(units.get(s.unitId!)!.name);
  });

  it('given a model, when a message like its history comes, then the model ranks the units and names its version', () => {
    const s = suggestFrom({ units, catalogue, model }, '孩子学校又要交补课费');
    expect(s.unitId).toBe('education');
    expect(s.source).toMatch(/^model:7/);
    expect(s.candidates.find((c) => c.unitId === 'education')!.reason).toContain('派单模型 v7');
    const total = s.candidates.reduce((sum, c) => sum + c.score, 0);
    expect(total).toBeLessThanOrEqual(1.001);
  });

  it('given a model that never saw gas, when a gas leak is reported, then the catalogue’s hit wins, says so, and the call is D', () => {
    const s = suggestFrom({ units, catalogue, model }, '楼道里闻到很大的煤气味，燃气管道在漏气');
    expect(s.unitId).toBe('gas');
    expect(s.source).toBe('model:7+catalogue');
    expect(s.candidates[0].reason).toMatch(/派单目录「.*燃气泄漏」.*优先于派单模型 v7/);
    expect(s.category).toBe('D');
    expect(s.categoryReason).toContain('紧急');
  });

  it('given a model trained with the catalogue’s hits, when a call comes, then the model reads the hits of that call', () => {
    const read = classifier(train(withCatalogue(history, catalogue), { minDf: 1 }));
    const asked: (ReadonlyMap<string, number> | undefined)[] = [];
    const spy: LoadedModel = {
      version: 8,
      unit: { classes: read.classes, predict: (text, side) => (asked.push(side), read.predict(text, side)) },
      category: null,
    };
    expect(suggestFrom({ units, catalogue, model: spy }, '小区门口路灯坏了').unitId).toBe('city-mgmt');
    expect([...(asked[0]?.keys() ?? [])].some((f) => f.startsWith('c:m:'))).toBe(true);
  });

  it('given a category model, when an ordinary call comes, then its category is the model’s with the reason', () => {
    const s = suggestFrom({ units, catalogue, model }, '路灯不亮了');
    expect(s.category).toBe('B');
    expect(s.categoryReason).toContain('派单模型 v7');
  });

  it('given text that neither knows, when suggested, then no unit and the ordinary category B with its reason', () => {
    const s = suggestFrom({ units, catalogue, model: null }, '嗯嗯好的');
    expect(s).toMatchObject({ unitId: null, unitName: null, candidates: [], source: null, category: 'B' });
    expect(s.categoryReason).toMatch(/按 B/);
  });
});

describe('a registered case’s suggestion is the one recorded with it (what its 分类交办 form proposes)', () => {
  const call = '孩子学校又要交补课费';

  it('given a recorded unit other than today’s first, when suggested for the case, then the recorded one is first, with its source, and today’s follow', () => {
    expect(suggestFrom({ units, catalogue, model }, call).unitId).toBe('education');
    const s = suggestFrom({ units, catalogue, model }, call, '', { category: 'C', unitId: 'hrss', source: 'model:3' });
    expect(s).toMatchObject({ unitId: 'hrss', unitName: units.get('hrss')!.name, category: 'C', source: 'model:3' });
    expect(s.candidates[0]).toMatchObject({ unitId: 'hrss', reason: expect.stringContaining('受理时的建议（派单模型 v3）') });
    expect(s.candidates[1].unitId).toBe('education');
    expect(s.categoryReason).toContain('受理时的分类建议');
    expect(s.candidates.length).toBeLessThanOrEqual(3);
  });

  it('given a recorded unit that ranks first today too, when suggested for the case, then the ranking is today’s under the recorded source', () => {
    const today = suggestFrom({ units, catalogue, model }, call);
    const s = suggestFrom({ units, catalogue, model }, call, '', { category: today.category, unitId: 'education', source: 'model:6' });
    expect(s).toEqual({ ...today, source: 'model:6' });
  });

  it('given a case recorded without a unit, when suggested for it, then today’s candidates under the recorded category', () => {
    const s = suggestFrom({ units, catalogue, model }, call, '', { category: 'A', unitId: null, source: null });
    expect(s).toMatchObject({ unitId: 'education', category: 'A' });
  });
});

describe('how a suggestion is weighed is policy (decision dispatchTuning)', () => {
  const edit = (output: string, value: string) => {
    const edited = xml.replace(new RegExp(`(<outputEntry id="dispatchTuningDefault${output}"><text>)[^<]*(</text>)`), `$1${value}$2`);
    expect(edited).not.toBe(xml);
    return catalogueScorer(edited, NETWORK);
  };

  it('given the shipped table, when read, then it says every value itself (none left to the defaults) and the scorer uses them', () => {
    const decision = /<decision id="dispatchTuning"[\s\S]*?<\/decision>/.exec(xml)?.[0] ?? '';
    const outputs = [...decision.matchAll(/<output [^>]*name="(\w+)"/g)].map((m) => m[1]);
    expect(outputs.sort()).toEqual(Object.keys(DEFAULT_TUNING).sort());
    expect(catalogue.tuning).toEqual(parseTuning(xml));
  });

  it('given the fallback category changed to C in the table, when a call hits nothing, then C is suggested: a table edit, no code', () => {
    const s = suggestFrom({ units, catalogue: edit('FallbackCategory', '"C"'), model: null }, '嗯嗯好的');
    expect(s.category).toBe('C');
    expect(s.categoryReason).toMatch(/按 C/);
  });

  it('given a heavier catalogue weight in the table, when the catalogue and the model disagree, then the catalogue’s unit comes first', () => {
    const call = '学校旁边的垃圾没人清理';
    expect(suggestFrom({ units, catalogue, model }, call).unitId).toBe('education');
    const s = suggestFrom({ units, catalogue: edit('CatalogueWeight', '3'), model }, call);
    expect(s).toMatchObject({ unitId: 'city-mgmt', source: 'model:7+catalogue' });
  });

  it('given a higher emergency likeness in the table, when a call is only like the emergency examples, then it is no longer D', () => {
    const call = '汝州市一户自建房加盖的三层楼歪了，墙缝能伸进去手，里边还有人在住，邻居都吓跑了';
    expect(suggestFrom({ units, catalogue, model: null }, call)).toMatchObject({ category: 'D', categoryReason: expect.stringContaining('例句相近') });
    const strict = edit('EmergencyLikeness', '0.999');
    expect(suggestFrom({ units, catalogue: strict, model: null }, call).category).not.toBe('D');
  });

  it('given a catalogue without the decision (deployed before it), when read, then the defaults apply', () => {
    const without = xml.replace(/<decision id="dispatchTuning"[\s\S]*?<\/decision>\s*/, '');
    expect(without).not.toBe(xml);
    expect(parseTuning(without)).toEqual(DEFAULT_TUNING);
  });

  it('given an output the suggester does not know, when read, then it is refused naming the ones it knows', () => {
    expect(() => parseTuning(xml.replace('name="unsureModel"', 'name="toString"'))).toThrow(/toString.*不认识.*unsureModel/);
  });

  it.each([
    ['a weight that is no number', 'CatalogueWeight', '"heavy"', /catalogueWeight 须为 0 到 10 之间的数/],
    ['a threshold above 1', 'CertainHit', '1.5', /certainHit 须为 0 到 1 之间的数/],
    ['an unknown category', 'FallbackCategory', '"E"', /fallbackCategory 须为/],
    ['an expression instead of a value', 'UnsureModel', '0.5 + x', /unsureModel/],
  ])('given %s, when read, then it is refused naming the output', (_what, output, value, message) => {
    expect(() => edit(output, value)).toThrow(message);
  });
});
