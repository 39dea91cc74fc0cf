import { classifier, normalise, train, type Sample } from '../../core/dispatch/model';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeModel, encodeModel } from '../../core/dispatch/store';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NETWORK } from '../../core/db/seed';
import { catalogueScorer } from '../../core/dispatch/catalogue';
import { trainDispatchModel, UNIT_MODEL, withCatalogue } from '../../core/dispatch/training';

// A small labelled history written for this test: three units, each with its own vocabulary.
const history: Sample[] = [
  ...['小区路灯坏了好几天', '路灯不亮晚上很黑', '道路井盖丢失', '人行道破损坑洼', '市政道路积水', '路灯杆倾斜'].map((text) => ({ text, label: 'city-mgmt' })),
  ...['学校乱收补课费', '幼儿园收费过高', '学生课业负担重', '教师有偿家教', '学校食堂卫生差', '中考招生政策'].map((text) => ({ text, label: 'education' })),
  ...['公司拖欠工资三个月', '单位不缴社保', '工伤认定申请', '拖欠农民工工资', '养老保险转移', '劳动合同到期不续签'].map((text) => ({ text, label: 'hrss' })),
];

describe('the dispatch model (TF-IDF over characters and words, logistic regression)', () => {
  it('given raw and segmented forms of a message, when normalised, then only their Chinese runs remain', () => {
    expect(normalise('A3区 路灯，坏了!')).toBe('区|路灯|坏了');
    expect(normalise('no chinese')).toBe('');
  });

  it('given a small history, when trained, then unseen phrasings go to the unit whose words they share, probabilities summing to 1', () => {
    const c = classifier(train(history, { minDf: 1 }));
    expect(c.predict('我们小区的路灯晚上不亮')[0].label).toBe('city-mgmt');
    expect(c.predict('孩子学校要交补课费')[0].label).toBe('education');
    expect(c.predict('老板拖欠我们工资')[0].label).toBe('hrss');
    const total = c.predict('随便说点什么').reduce((s, p) => s + p.score, 0);
    expect(total).toBeCloseTo(1, 6);
  });

  it('given several runs, when trained, then the weights are the average of the runs in their seeded orders', () => {
    const one = [12345, 12346, 12347].map((seed) => train(history, { minDf: 1, seed }).weights);
    const averaged = train(history, { minDf: 1, runs: 3 }).weights;
    expect(one[0]).not.toEqual(one[1]);
    averaged.forEach((w, i) => expect(w).toBeCloseTo((one[0][i] + one[1][i] + one[2][i]) / 3, 4));
    expect(trainDispatchModel({ unit: history, category: [] }).model.unit.weights).toEqual(train(history, UNIT_MODEL).weights);
  });

  it('given the same history and seed, when trained twice, then the models are identical (a run is repeatable)', () => {
    expect(train(history, { minDf: 1 }).weights).toEqual(train(history, { minDf: 1 }).weights);
  });

  it('given a trained run, when stored and read back, then it predicts the same within float32 precision', () => {
    const result = trainDispatchModel({ unit: history, category: [] });
    expect(result.samples).toBe(history.length);
    expect(result.heldBack).toBeGreaterThan(0);
    expect(result.model.category).toBeNull();
    const back = decodeModel(encodeModel(result.model));
    const [a, b] = [classifier(result.model.unit), classifier(back.unit)].map((c) => c.predict('路灯坏了'));
    expect(b.map((p) => p.label)).toEqual(a.map((p) => p.label));
    b.forEach((p, i) => expect(p.score).toBeCloseTo(a[i].score, 4));
  });

  it('given a lead-unit model counting features as they are, when stored and read back, then it still counts them so; a model stored before reads as 1 + log', () => {
    const result = trainDispatchModel({ unit: history, category: [] });
    expect(result.model.unit.sublinearTf).toBe(false);
    expect(decodeModel(encodeModel(result.model)).unit.sublinearTf).toBe(false);
    // a repeated word weighs more when counted as it is
    const text = '路灯路灯路灯路灯，学校';
    const [raw, sublinear] = [false, true].map((sublinearTf) => classifier({ ...result.model.unit, sublinearTf }).predict(text));
    expect(raw.find((p) => p.label === 'city-mgmt')!.score).toBeGreaterThan(sublinear.find((p) => p.label === 'city-mgmt')!.score);
    const stored = JSON.parse(gunzipSync(encodeModel(result.model)).toString('utf8'));
    delete stored.unit.sublinearTf;
    expect(decodeModel(gzipSync(JSON.stringify(stored))).unit.sublinearTf).toBe(true);
  });

  it('given side features, when trained and asked with them, then they weigh as learned; asked without, the text alone answers', () => {
    // The same two texts under both units: only the side feature tells them apart.
    const samples: Sample[] = ['路灯问题反映', '学校问题反映', '一个问题反映', '问题反映一下'].flatMap((text) => [
      { text, label: 'city-mgmt', side: new Map([['c:city-mgmt', 0.5]]) },
      { text, label: 'education', side: new Map([['c:education', 0.5]]) },
    ]);
    const model = train(samples, { minDf: 1, epochs: 30 });
    expect(model.side).toEqual(['c:city-mgmt', 'c:education']);
    const c = classifier(model);
    expect(c.predict('问题反映', new Map([['c:education', 0.5]]))[0].label).toBe('education');
    expect(c.predict('问题反映', new Map([['c:city-mgmt', 0.5]]))[0].label).toBe('city-mgmt');
    expect(c.predict('问题反映', new Map([['c:unknown', 1]]))[0].score).toBeCloseTo(c.predict('问题反映')[0].score, 9);
    // stored and read back, the side features are still read
    const back = classifier(decodeModel(encodeModel({ unit: model, category: null })).unit);
    expect(back.predict('问题反映', new Map([['c:education', 0.5]]))[0].label).toBe('education');
  });

  it('given the catalogue, when a run trains, then the lead-unit model reads its hits on units and matters, the category model does not', () => {
    const catalogue = catalogueScorer(readFileSync(path.resolve(__dirname, '../../bpmn/dispatch-catalogue.dmn'), 'utf8'), NETWORK);
    const result = trainDispatchModel({ unit: history, category: history.map((s) => ({ text: s.text, label: 'B' })) }, catalogue);
    expect(result.model.unit.side?.some((f) => f.startsWith('c:m:'))).toBe(true);
    expect(result.model.unit.side?.some((f) => /^c:[^:]+$/.test(f))).toBe(true);
    expect(result.model.unit.weights).toEqual(train(withCatalogue(history, catalogue), UNIT_MODEL).weights);
    expect(withCatalogue(history, null)).toBe(history);
  });

  it('given no closed work orders, when training, then the run fails with a reason', () => {
    expect(() => trainDispatchModel({ unit: [], category: [] })).toThrow(/no closed work orders/);
  });
});
