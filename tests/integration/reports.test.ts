import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { periodContaining } from '../../core/reports/period';
import { stack } from './setup/stack';
import { complete, deployFiles, dispatchedCase, feedback, http, login, sql, waitFor, waitForStatus } from './helpers';

const WEIGHTS = path.resolve(__dirname, '../../bpmn/assessment-weights.dmn');
const month = () => periodContaining('monthly', new Date());

/** A work order for `unit`, handled on time, reviewed, revisited with `revisit`, and closed. */
async function closedCase(unit: string, revisit: Record<string, unknown>, content: string) {
  const c = await dispatchedCase({ category: 'B', leadUnitId: unit }, content);
  expect((await complete(unit, c.id, 'handle', feedback)).status).toBe(204);
  expect((await complete('office', c.id, 'review', { reviewOutcome: 'accept' })).status).toBe(204);
  expect((await complete('office', c.id, 'revisit', { revisit: { reached: true, truthful: true, comments: '回访', ...revisit } })).status).toBe(204);
  await waitForStatus(c.id, 'closed');
  return c;
}

const monthly = async (query = '') => http('GET', `/api/reports/monthly?period=${month().label}${query}`, { token: await login('office') });
const rankOf = (report: { units: { unitId: string; rank: number | null }[] }, unitId: string) => report.units.find((u) => u.unitId === unitId)!.rank!;

describe('R7.4 assessment: monthly bulletin, ranking by the deployed weights, Excel export', () => {
  // hrss solves but leaves citizens unsatisfied; education satisfies but does not solve
  beforeAll(async () => {
    await closedCase('hrss', { solved: true, processSatisfaction: 'unsatisfied', resultSatisfaction: 'unsatisfied' }, '社保卡补办进度太慢，多次询问无结果');
    await closedCase('education', { solved: false, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied' }, '孩子入学划片问题，希望教育局给出明确答复');
  }, 120_000);

  it('given closed cases this month, when the office fetches the monthly report, then its figures match the database', async () => {
    // when
    const res = await monthly();
    // then
    expect(res.status).toBe(200);
    const { from, to } = month();
    const [{ received }] = await sql(`SELECT count(*)::int AS received FROM work_orders WHERE created_at >= $1 AND created_at < $2`, [from, to]);
    const [{ dispatched }] = await sql(`SELECT count(*)::int AS dispatched FROM work_orders WHERE lead_unit_id = 'hrss' AND dispatched_at >= $1 AND dispatched_at < $2`, [from, to]);
    const [{ solved }] = await sql(
      `SELECT (count(*) FILTER (WHERE e.data->'variables'->'revisit'->>'solved' = 'true'))::float / count(*) AS solved
         FROM case_events e JOIN work_orders w ON w.id = e.case_id
        WHERE e.type = 'task-completed' AND e.data->>'taskKey' = 'revisit' AND w.lead_unit_id = 'education' AND e.occurred_at >= $1 AND e.occurred_at < $2`,
      [from, to],
    );
    const report = res.body;
    expect(report).toMatchObject({ kind: 'monthly', period: month().label, from: from.toISOString(), to: to.toISOString() });
    expect(report.city.received).toBe(received);
    expect(report.units.find((u: { unitId: string }) => u.unitId === 'hrss')).toMatchObject({ unitName: '市人力资源和社会保障局', dispatched, onTimeRate: 1 });
    expect(report.units.find((u: { unitId: string }) => u.unitId === 'education').solvedRate).toBeCloseTo(solved);
    expect(report.praised.length).toBeGreaterThan(0);
    expect(report.hotspots.byCategory.length).toBeGreaterThan(0);
    expect(report.hotspots.terms.length).toBeGreaterThan(0);
  });

  it('given the monthly report, when fetched as xlsx, then the workbook has the three sheets and the city figure', async () => {
    // when
    const res = await fetch(`${stack.api}/api/reports/monthly?period=${month().label}&format=xlsx`, { headers: { authorization: `Bearer ${await login('office')}` } });
    // then
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain(`月通报-${month().label}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['城市总体', '单位排名', '热点']);
    const city = wb.getWorksheet('城市总体')!;
    expect(city.getCell('A2').value).toBe('受理量');
    expect(city.getCell('B2').value).toBe((await monthly()).body.city.received);
  });

  it('given an edited assessmentWeights table, when deployed, then the ranking follows the new weights', async () => {
    // given: by default satisfaction (30) outweighs solving (20)
    const before = (await monthly()).body;
    expect(rankOf(before, 'education')).toBeLessThan(rankOf(before, 'hrss'));
    const original = readFileSync(WEIGHTS, 'utf8');
    const edited = original.replace('<outputEntry id="assessmentWeightsBulletinSolved"><text>20</text>', '<outputEntry id="assessmentWeightsBulletinSolved"><text>60</text>');
    expect(edited).not.toBe(original);
    try {
      // when
      expect((await deployFiles('admin', '调整解决率权重（集成测试）', [{ name: 'assessment-weights.dmn', content: edited }])).status).toBe(201);
      // then
      const after = (await monthly()).body;
      expect(after.policy.weights.solvedRate).toBe(60);
      expect(rankOf(after, 'hrss')).toBeLessThan(rankOf(after, 'education'));
    } finally {
      expect((await deployFiles('admin', '恢复 bpmn/assessment-weights.dmn（集成测试）', [{ name: 'assessment-weights.dmn', content: original }])).status).toBe(201);
    }
    expect((await monthly()).body.policy.weights.solvedRate).toBe(20);
  });

  it('given a period that does not fit the kind, when requested, then 400 names the field', async () => {
    const token = await login('office');
    const res = await http('GET', '/api/reports/monthly?period=2026-W48', { token });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ field: 'period', message: { zh: expect.stringContaining('月通报'), en: expect.stringContaining('monthly') } });
    expect((await http('GET', '/api/reports/weekly?period=2026-13', { token })).status).toBe(400);
    expect((await http('GET', '/api/reports/daily?period=2026', { token })).status).toBe(400);
  });

  it('given a unit, when it reads the report, then it sees its own row only; an operator may not read it', async () => {
    const res = await http('GET', `/api/reports/monthly?period=${month().label}`, { token: await login('hrss') });
    expect(res.status).toBe(200);
    expect(res.body.units.map((u: { unitId: string }) => u.unitId)).toEqual(['hrss']);
    expect((await http('GET', `/api/reports/monthly?period=${month().label}`, { token: await login('operator') })).status).toBe(403);
  });

  it('given the monthly timer fires, when the office publishes the compiled bulletin, then it is stored as published', async () => {
    // given: the monthly timer start made due now through the job API
    const [job] = (await http('GET', '/job?timers=true&activityId=monthlyStart', { base: stack.engine })).body;
    expect(job).toBeDefined();
    expect((await http('POST', `/job/${job.id}/execute`, { base: stack.engine })).status).toBe(204);
    const last = periodContaining('monthly', new Date(month().from.getTime() - 1)).label;
    await waitFor('compiled report', async () => (await sql(`SELECT 1 FROM reports WHERE kind = 'monthly' AND period = $1`, [last])).length > 0);
    // when
    const token = await login('office');
    const review = await waitFor('review task', async () => {
      const r = await http('POST', `/api/reports/monthly/${last}/review`, { token, body: { publish: true, comment: '同意印发' } });
      return r.status === 204 ? r : undefined;
    });
    // then
    expect(review.status).toBe(204);
    const [stored] = await waitFor('published', async () => {
      const rows = await sql(`SELECT status, published_by, comment FROM reports WHERE kind = 'monthly' AND period = $1 AND status = 'published'`, [last]);
      return rows.length ? rows : undefined;
    });
    expect(stored).toEqual({ status: 'published', published_by: 'office', comment: '同意印发' });
    const published = await http('GET', `/api/reports/monthly?period=${last}`, { token });
    expect(published.body).toMatchObject({ status: 'published', publishedBy: 'office', period: last });
  });
  it('given the weekly timer fires, when the office completes 审核报表 from its tasklist, then the analysis is published', async () => {
    // given: the weekly timer made due now; the compiled analysis waits in the office's tasklist
    const [job] = (await http('GET', '/job?timers=true&activityId=weeklyStart', { base: stack.engine })).body;
    expect((await http('POST', `/job/${job.id}/execute`, { base: stack.engine })).status).toBe(204);
    const token = await login('office');
    const task = await waitFor('review task in the tasklist', async () => (await http('GET', '/api/tasks?taskKey=reviewReport', { token })).body.items[0]);
    expect(task.caseId).toBeNull();
    // when: completed through the generic task API, as the workbench's form does
    expect((await http('POST', `/api/tasks/${task.id}/complete`, { token, body: { variables: { publish: 'yes' } } })).status).toBe(400);
    expect((await http('POST', `/api/tasks/${task.id}/complete`, { token, body: { variables: { publish: true, comment: '本周分析同意发布' } } })).status).toBe(204);
    // then
    await waitFor('published', async () => (await sql(`SELECT 1 FROM reports WHERE kind = 'weekly' AND status = 'published' AND published_by = 'office'`)).length > 0);
  });
});
