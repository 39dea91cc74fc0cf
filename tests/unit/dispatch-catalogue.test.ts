/**
 * The dispatch catalogue (bpmn/dispatch-catalogue.dmn) read and scored in-process, as shipped: nothing mocked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NETWORK } from '../../core/db/seed';
import { createCatalogueScorer, parseCatalogue, parseCues, STRONG_HIT } from '../../core/dispatch/catalogue';
import { CATEGORIES } from '../../core/vocabulary';
import { EMERGENCIES, ORDINARY } from '../fixtures/emergency-phrasings';
import { EMERGENCIES_INDEPENDENT, ORDINARY_INDEPENDENT } from '../fixtures/emergency-phrasings-independent';

const xml = readFileSync(path.resolve(__dirname, '../../bpmn/dispatch-catalogue.dmn'), 'utf8');
const entries = parseCatalogue(xml);
const scorer = createCatalogueScorer(entries, NETWORK, parseCues(xml));
const categoryOf = (text: string, address?: string) => scorer.category(scorer.score(text, address), text);

describe('the shipped dispatch catalogue', () => {
  it('given bpmn/dispatch-catalogue.dmn, when parsed, then it holds at least 300 matters, each led by a seeded unit', () => {
    expect(entries.length).toBeGreaterThanOrEqual(300);
    const units = new Set(NETWORK.map((u) => u.id));
    expect(entries.filter((e) => !units.has(e.unitId)).map((e) => `${e.matter}: ${e.unitId}`)).toEqual([]);
    for (const e of entries) {
      expect(CATEGORIES).toContain(e.category);
      expect(e.matter.split(' › ').length).toBeGreaterThanOrEqual(2);
      expect(e.keywords.length).toBeGreaterThan(0);
      expect(e.examples.length).toBeGreaterThan(0);
    }
    expect(new Set(entries.map((e) => e.matter)).size).toBe(entries.length);
    expect(entries.filter((e) => e.category === 'D').length).toBeGreaterThanOrEqual(10);
  });

  it('given the matters’ own examples, when scored, then at least 90% find their matter among the first three hits', () => {
    const missed = entries.flatMap((e) =>
      e.examples
        .filter(
          (x) =>
            !scorer
              .score(x)
              .slice(0, 3)
              .some((h) => h.entry === e),
        )
        .map((x) => `${e.matter}: ${x}`),
    );
    const examples = entries.reduce((n, e) => n + e.examples.length, 0);
    expect(missed.length).toBeLessThanOrEqual(Math.floor(examples * 0.1));
  });
});

describe('emergencies are D, ordinary calls are not', () => {
  it('given citizens’ emergency phrasings, when categorised, then at least 95% are D with a reason naming the matter', () => {
    expect(EMERGENCIES.length).toBeGreaterThanOrEqual(80);
    const results = EMERGENCIES.map((t) => ({ t, ...categoryOf(t) }));
    const missed = results.filter((r) => r.category !== 'D').map((r) => r.t);
    expect(missed.length).toBeLessThanOrEqual(Math.floor(EMERGENCIES.length * 0.05));
    const gas = categoryOf('闻到很大的煤气味');
    expect(gas).toEqual({ category: 'D', reason: expect.stringMatching(/^派单目录「[^」]*燃气[^」]*」命中“[^”]+”：紧急$/) });
  });

  it('given ordinary calls, some naming gas, lifts or lamps calmly, when categorised, then none is D and each gets a category', () => {
    expect(ORDINARY.length).toBeGreaterThanOrEqual(40);
    const results = ORDINARY.map((t) => ({ t, ...categoryOf(t) }));
    expect(results.filter((r) => r.category === 'D').map((r) => `${r.t}: ${r.reason}`)).toEqual([]);
    expect(results.filter((r) => r.category === null).map((r) => r.t)).toEqual([]);
  });

  it('given phrasings written apart from the catalogue, when categorised, then at least 95% of the emergencies are D and at most 5% of the ordinary calls', () => {
    const missed = EMERGENCIES_INDEPENDENT.filter((t) => categoryOf(t).category !== 'D');
    expect(missed.length).toBeLessThanOrEqual(Math.floor(EMERGENCIES_INDEPENDENT.length * 0.05));
    const alarmed = ORDINARY_INDEPENDENT.filter((t) => categoryOf(t).category === 'D');
    expect(alarmed.length).toBeLessThanOrEqual(Math.floor(ORDINARY_INDEPENDENT.length * 0.05));
  });

  it('given a call unlike any keyword but like the emergency examples, when categorised, then it is D and says why', () => {
    expect(categoryOf('家里老人天天要用呼吸机，突然停电了，备用电池只能撑半个钟头')).toMatchObject({ category: 'D' });
    const told = categoryOf('俺村坑塘里漂着个人，脸朝下，不知道还有没有气');
    expect(told.category).toBe('D');
    expect(told.reason).toMatch(/紧急$/);
  });

  it('given consultations, when categorised, then they are A', () => {
    expect(categoryOf('咨询燃气开户流程').category).toBe('A');
    expect(categoryOf('请问社保局的电话号码是多少').category).toBe('A');
  });

  it('given nothing the catalogue knows, when categorised, then the category is null with a reason', () => {
    expect(scorer.score('你好')).toEqual([]);
    expect(categoryOf('你好')).toEqual({ category: null, reason: expect.stringContaining('无命中') });
  });
});

describe('suggestions', () => {
  it('given 「小区门口路灯坏了」, when scored, then the city management bureau is suggested, strongly', () => {
    const [top] = scorer.score('小区门口路灯坏了');
    expect(top).toMatchObject({ unitId: 'city-mgmt', matched: expect.arrayContaining(['路灯']) });
    expect(top.entry.matter).toContain('路灯');
    expect(top.score).toBeGreaterThanOrEqual(STRONG_HIT);
  });

  it('given jieba-segmented text with spaces, when scored, then it scores as the raw text does', () => {
    const raw = scorer.score('楼道里闻到很大的煤气味');
    const segmented = scorer.score('楼道 闻到 很大 煤气 味');
    expect(segmented[0].entry).toBe(raw[0].entry);
    expect(segmented[0].unitId).toBe('gas');
  });

  it('given hits, then they are sorted by score, each score in (0, 1)', () => {
    const hits = scorer.score('公司拖欠工资三个月不发，也不给交社保，劳动合同也没签');
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    expect(hits.every((h) => h.score > 0 && h.score < 1)).toBe(true);
    expect(hits[0].unitId).toBe('hrss');
  });

  it('given a regional matter and an address naming a district, when scored, then the district’s government leads it', () => {
    const text = '小区垃圾好几天没人清运，臭气熏天';
    const [bare] = scorer.score(text);
    expect(bare.entry.regional).toBe(true);
    expect(bare.unitId).toBe(bare.entry.unitId);
    expect(scorer.score(text, '平顶山市湛河区姚孟街道某小区')[0].unitId).toBe('zhanhe');
    expect(scorer.score(text, '舞钢市垭口街道')[0].unitId).toBe('wugang');
    expect(scorer.score(text, '叶县昆阳镇')[0].unitId).toBe('yexian');
    // A street office's name leads to its district; without an address, a district named in the text.
    expect(scorer.score(text, '矿工路街道光明路某号院')[0].unitId).toBe('xinhua');
    expect(scorer.score(`卫东区${text}`)[0].unitId).toBe('weidong');
  });

  it('given a matter that is not regional, when the address names a district, then its own unit keeps it', () => {
    expect(scorer.score('燃气表走得特别快，气费不正常', '新华区中兴路')[0].unitId).toBe('gas');
  });
});

describe('how a call speaks of an emergency is policy (decision dispatchCues)', () => {
  const oldLeak = '去年我们楼道燃气泄漏过一次，燃气公司来修了';

  it('given the shipped cues, when a past leak is told, then it is not D', () => {
    expect(categoryOf(oldLeak).category).not.toBe('D');
  });

  it('given a chronic complaint or a request to put a danger right, when categorised, then it is not D; said to be happening now, it is', () => {
    expect(categoryOf('我们小区电梯故障频发，业主多次被困，请求相关部门整治').category).not.toBe('D');
    expect(categoryOf('楼下那根燃气管道存在安全隐患，希望燃气公司检查').category).not.toBe('D');
    expect(categoryOf('小区电梯故障频发，现在又有人被困在电梯里了，快来人').category).toBe('D');
  });

  it('given the cue 去年 taken out of the table, when the same call comes, then it is D: a table edit, no code', () => {
    const edited = xml.replace(/(<text>"past"<\/text><\/outputEntry>\s*<outputEntry[^>]*><text>")去年、/, '$1');
    expect(edited).not.toBe(xml);
    const scorer2 = createCatalogueScorer(parseCatalogue(edited), NETWORK, parseCues(edited));
    expect(scorer2.category(scorer2.score(oldLeak), oldLeak).category).toBe('D');
  });

  it('given a cue of an unknown kind, when parsed, then it is refused naming the kinds', () => {
    expect(() => parseCues(xml.replace('<text>"past"</text>', '<text>"later"</text>'))).toThrow(/cue 须为 now、past、settled、asking、urgent/);
  });
});

describe('parseCatalogue refuses a table not in the catalogue’s shape', () => {
  const rule = (outputs: string[], input = '-') =>
    `<rule id="r1"><inputEntry id="r1i"><text>${input}</text></inputEntry>${outputs.map((o, i) => `<outputEntry id="r1o${i}"><text>${o}</text></outputEntry>`).join('')}</rule>`;
  const table = (body: string, hitPolicy = 'COLLECT', names = ['matter', 'unitId', 'regional', 'category', 'keywords', 'examples']) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="https://12345.pds.gov.cn/dmn">
  <decision id="dispatchCatalogue" name="派单目录"><decisionTable id="t" hitPolicy="${hitPolicy}">
    <input id="i"><inputExpression id="ie" typeRef="string"><text>content</text></inputExpression></input>
    ${names.map((n) => `<output id="o_${n}" name="${n}" typeRef="string" />`).join('')}
    ${body}
  </decisionTable></decision>
</definitions>`;
  const good = ['"城乡建设 › 市政设施 › 路灯"', '"city-mgmt"', '"false"', '"B"', '"路灯、路灯不亮"', '"路灯坏了；路灯不亮"'];

  it('given a well-formed one-rule table, then it is read', () => {
    expect(parseCatalogue(table(rule(good)))).toEqual([
      {
        matter: '城乡建设 › 市政设施 › 路灯',
        unitId: 'city-mgmt',
        regional: false,
        category: 'B',
        keywords: ['路灯', '路灯不亮'],
        examples: ['路灯坏了', '路灯不亮'],
      },
    ]);
  });

  it.each([
    ['another hit policy', table(rule(good), 'FIRST'), /COLLECT/],
    ['a missing output', table(rule(good.slice(0, 5)), 'COLLECT', ['matter', 'unitId', 'regional', 'category', 'keywords']), /examples/],
    ['an input test', table(rule(good, 'contains(?, "灯")')), /“-”/],
    ['an unquoted output', table(rule([good[0], 'city-mgmt', ...good.slice(2)])), /FEEL 字符串/],
    ['an unknown category', table(rule([...good.slice(0, 3), '"E"', ...good.slice(4)])), /类别/],
    ['a regional flag that is no boolean', table(rule([...good.slice(0, 2), '"yes"', ...good.slice(3)])), /属地/],
    ['no rules', table(''), /没有规则/],
    ['another decision', table(rule(good)).replace('id="dispatchCatalogue"', 'id="other"'), /dispatchCatalogue/],
    ['not XML at all', 'not xml', /DMN/],
  ])('given %s, then it throws a clear error', (_what, dmn, message) => {
    expect(() => parseCatalogue(dmn)).toThrow(message);
  });
});
