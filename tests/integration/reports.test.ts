import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { periodContaining } from '../../core/reports/period';
import { stack } from './setup/stack';
import { answer, caseOf, complete, deployFiles, dispatchedCase, fireTimer, http, login, sql, waitFor, waitForStatus } from './helpers';

const WEIGHTS = path.resolve(__dirname, '../../bpmn/assessment-weights.dmn');
const month = () => periodContaining('monthly', new Date());

/** A work order for `unit`, handled on time, reviewed, revisited with `revisit` by the office and by the unit (R5.5), and closed. */
async function closedCase(unit: string, revisit: Record<string, unknown>, content: string) {
  const c = await dispatchedCase({ category: 'B', leadUnitId: unit }, content);
  await answer(unit, c.id);
  expect((await complete('office', c.id, 'review', { reviewOutcome: 'accept' })).status).toBe(204);
  expect((await complete('office', c.id, 'revisit', { revisit: { reached: true, truthful: true, comments: '回访', ...revisit } })).status).toBe(204);
  expect((await complete(unit, c.id, 'unitRevisit', { revisit: { reached: true, truthful: true, comments: '单位回访', ...revisit } })).status).toBe(204);
  await waitForStatus(c.id, 'closed');
  return c;
}

const monthly = async (query = '') => http('GET', `/api/reports/monthly?period=${month().label}${query}`, { token: await login('office') });
const rankOf = (report: { units: { unitId: string; rank: number | null }[] }, unitId: string) => report.units.find((u) => u.unitId === unitId)!.rank!;

describe('R7.4 assessment: monthly bulletin, ranking by the deployed weights, Excel export', () => {
  // hrss solves but leaves citizens unsatisfied; education satisfies but does not solve
  let unsatisfied: { id: string; code: string };
  let unsolved: { id: string; code: string };
  beforeAll(async () => {
    unsatisfied = await closedCase(
      'hrss',
      { solved: true, processSatisfaction: 'unsatisfied', resultSatisfaction: 'unsatisfied' },
      '社保卡补办进度太慢，多次询问无结果',
    );
    unsolved = await closedCase(
      'education',
      { solved: false, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied' },
      '孩子入学划片问题，希望教育局给出明确答复',
    );
  }, 120_000);

  it('given closed cases this month, when the office fetches the monthly report, then its figures match the database', async () => {
    // when
    const res = await monthly();
    // then
    expect(res.status).toBe(200);
    const { from, to } = month();
    const [{ received }] = await sql(`SELECT count(*)::int AS received FROM work_orders WHERE created_at >= $1 AND created_at < $2`, [from, to]);
    const [{ dispatched }] = await sql(
      `SELECT count(*)::int AS dispatched FROM work_orders WHERE lead_unit_id = 'hrss' AND dispatched_at >= $1 AND dispatched_at < $2`,
      [from, to],
    );
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
    // R5.5: a unit's 回访率 is its own revisits over its closed cases with a citizen to call back; the city's is the office's
    const revisitRate = async (taskKey: string, unit: string | null) => {
      const [row] = await sql(
        `SELECT (SELECT count(*) FROM case_events e JOIN work_orders w ON w.id = e.case_id
                  WHERE e.type = 'task-completed' AND e.data->>'taskKey' = $3 AND e.data->'variables'->'revisit'->>'reached' = 'true'
                    AND e.occurred_at >= $1 AND e.occurred_at < $2 AND w.lead_unit_id = coalesce($4, w.lead_unit_id))::float
              / (SELECT count(*) FROM work_orders w WHERE w.closed_at >= $1 AND w.closed_at < $2 AND w.status = 'closed' AND w.dispatched_at IS NOT NULL
                    AND w.citizen_phone <> '' AND w.lead_unit_id = coalesce($4, w.lead_unit_id)) AS rate`,
        [from, to, taskKey, unit],
      );
      return Math.min(row.rate, 1);
    };
    const hrss = report.units.find((u: { unitId: string }) => u.unitId === 'hrss');
    expect(hrss.unitRevisited).toBeGreaterThanOrEqual(1);
    expect(hrss.revisitRate).toBeCloseTo(await revisitRate('unitRevisit', 'hrss'));
    expect(report.city.revisitRate).toBeCloseTo(await revisitRate('revisit', null));
    expect(report.praised.length).toBeGreaterThan(0);
    expect(report.hotspots.byCategory.length).toBeGreaterThan(0);
    expect(report.hotspots.terms.length).toBeGreaterThan(0);
  });

  it('given a revisit the citizen was unsatisfied with, when the monthly report is compiled, then it is listed among the typical cases', async () => {
    // when
    const report = (await monthly()).body;
    // then: as many per list as the decision says, the hrss case among the dissatisfied, without the citizen's name or phone
    expect(report.policy.typicalCases).toBe(5);
    expect(Object.keys(report.typicalCases)).toEqual(['escalated', 'overdue', 'redispatched', 'dissatisfied']);
    const listed = report.typicalCases.dissatisfied.find((c: { caseId: string }) => c.caseId === unsatisfied.id);
    expect(listed).toMatchObject({ code: unsatisfied.code, unitId: 'hrss', unitName: '市人力资源和社会保障局', reason: expect.stringContaining('不满意') });
    expect(JSON.stringify(listed)).not.toMatch(/citizen|1[3-9]\d{9}/);
    for (const list of Object.values(report.typicalCases) as unknown[][]) expect(list.length).toBeLessThanOrEqual(5);
  });

  it('given the monthly report, when fetched as xlsx, then the workbook has its five sheets and the city figure', async () => {
    // when
    const res = await fetch(`${stack.api}/api/reports/monthly?period=${month().label}&format=xlsx`, {
      headers: { authorization: `Bearer ${await login('office')}` },
    });
    // then
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain(`月通报-${month().label}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(new Uint8Array(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['城市总体', '单位排名', '下级单位', '热点', '典型案例']);
    expect(wb.getWorksheet('典型案例')!.getColumn(2).values).toContain(unsatisfied.code);
    const city = wb.getWorksheet('城市总体')!;
    expect(city.getCell('A2').value).toBe('受理量');
    expect(city.getCell('B2').value).toBe((await monthly()).body.city.received);
  });

  it('given an edited assessmentWeights table, when deployed, then the ranking follows the new weights', async () => {
    // given: by default satisfaction (30) outweighs solving (20)
    const before = (await monthly()).body;
    expect(rankOf(before, 'education')).toBeLessThan(rankOf(before, 'hrss'));
    const original = readFileSync(WEIGHTS, 'utf8');
    const edited = original.replace(
      '<outputEntry id="assessmentWeightsBulletinSolved"><text>20</text>',
      '<outputEntry id="assessmentWeightsBulletinSolved"><text>60</text>',
    );
    expect(edited).not.toBe(original);
    try {
      // when
      expect((await deployFiles('admin', '调整解决率权重（集成测试）', [{ name: 'assessment-weights.dmn', content: edited }])).status).toBe(201);
      // then
      const after = (await monthly()).body;
      expect(after.policy.weights.solvedRate).toBe(60);
      expect(rankOf(after, 'hrss')).toBeLessThan(rankOf(after, 'education'));
    } finally {
      expect((await deployFiles('admin', '恢复 bpmn/assessment-weights.dmn（集成测试）', [{ name: 'assessment-weights.dmn', content: original }])).status).toBe(
        201,
      );
    }
    expect((await monthly()).body.policy.weights.solvedRate).toBe(20);
  });

  it('R7.4 七(四) the on-time rate counts cases still open past their deadline and cases transferred away, not only closed ones', async () => {
    // given: for 市民政局 one case closed on time, one still open past its deadline, one transferred for a conduct problem
    await closedCase(
      'civil-affairs',
      { solved: true, processSatisfaction: 'satisfied', resultSatisfaction: 'satisfied' },
      '低保申请审核进度太慢，希望尽快办理',
    );
    const late = await dispatchedCase({ category: 'B', leadUnitId: 'civil-affairs' }, '养老院收费标准不公开，希望民政部门核查');
    await fireTimer(late.processInstanceId, 'overdueStart');
    await waitFor('overdue', async () => ((await caseOf(late.id)).overdue ? true : undefined));
    const conduct = await dispatchedCase({ category: 'B', leadUnitId: 'civil-affairs' }, '社区工作人员办理低保时态度恶劣');
    await answer('civil-affairs', conduct.id);
    await waitForStatus(conduct.id, 'reviewing');
    expect(
      (
        await complete('office', conduct.id, 'review', {
          reviewOutcome: 'reject',
          reviewComment: '经核实推诿扯皮',
          conductIssue: true,
          transferTo: 'supervisory-organ',
        })
      ).status,
    ).toBe(204);
    await waitForStatus(conduct.id, 'transferred');
    // when
    const row = (await monthly()).body.units.find((u: { unitId: string }) => u.unitId === 'civil-affairs');
    // then: the plain reading of docs/indicators.md
    const { from, to } = month();
    const [expected] = await sql(
      `SELECT (SELECT count(*) FROM work_orders w WHERE w.lead_unit_id = 'civil-affairs' AND w.status = 'closed' AND w.closed_at >= $1 AND w.closed_at < $2
                 AND NOT EXISTS (SELECT 1 FROM case_events o WHERE o.case_id = w.id AND o.type = 'overdue'))::int AS "onTime",
              (SELECT count(*) FROM work_orders w WHERE w.lead_unit_id = 'civil-affairs' AND w.status = 'closed' AND w.closed_at >= $1 AND w.closed_at < $2)::int AS closed,
              (SELECT count(DISTINCT e.case_id) FROM case_events e JOIN work_orders w ON w.id = e.case_id
                WHERE w.lead_unit_id = 'civil-affairs' AND e.type = 'status' AND e.to_status = 'transferred' AND e.occurred_at >= $1 AND e.occurred_at < $2)::int AS transferred,
              (SELECT count(DISTINCT e.case_id) FROM case_events e JOIN work_orders w ON w.id = e.case_id
                WHERE w.lead_unit_id = 'civil-affairs' AND e.type = 'overdue' AND e.occurred_at >= $1 AND e.occurred_at < $2
                  AND w.status NOT IN ('answered', 'guided', 'closed', 'transferred'))::int AS "openOverdue"`,
      [from, to],
    );
    expect(expected).toEqual({ onTime: 1, closed: 1, transferred: 1, openOverdue: 1 });
    expect(row).toMatchObject({ closed: 1, transferred: 1, openOverdue: 1 });
    expect(row.onTimeRate).toBeCloseTo(1 / 3);
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
    expect((await http('POST', `/api/tasks/${task.id}/complete`, { token, body: { variables: { publish: true, comment: '本周分析同意发布' } } })).status).toBe(
      204,
    );
    // then
    await waitFor(
      'published',
      async () => (await sql(`SELECT 1 FROM reports WHERE kind = 'weekly' AND status = 'published' AND published_by = 'office'`)).length > 0,
    );
  });

  it('given a range of days, when the office starts a 不定期点评, then it is compiled, reviewed and published with its typical cases', async () => {
    // given: the last seven Beijing days, today included
    const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [day(-6), day(0)];
    const token = await login('office');
    // when
    const started = await http('POST', '/api/reports/adhoc', { token, body: { from, to } });
    // then: one at a time per range; the review publishes it
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'adhoc', period: `${from}~${to}` });
    const label = started.body.period;
    expect((await http('POST', '/api/reports/adhoc', { token, body: { from, to } })).status).toBe(409);
    const review = await waitFor('adhoc review task', async () => {
      const r = await http('POST', `/api/reports/adhoc/${label}/review`, { token, body: { publish: true, comment: '点评会使用' } });
      return r.status === 204 ? r : undefined;
    });
    expect(review.status).toBe(204);
    const published = await waitFor('published', async () => {
      const r = await http('GET', `/api/reports/adhoc?period=${label}`, { token });
      return r.body.status === 'published' ? r.body : undefined;
    });
    expect(published).toMatchObject({
      kind: 'adhoc',
      period: label,
      publishedBy: 'office',
      praised: [],
      criticised: [],
      policy: { praiseCount: 0, typicalCases: 10 },
    });
    expect(published.typicalCases.dissatisfied.map((c: { caseId: string }) => c.caseId)).toContain(unsatisfied.id);
    const [{ received }] = await sql(`SELECT count(*)::int AS received FROM work_orders WHERE created_at >= $1 AND created_at < $2`, [
      new Date(published.from),
      new Date(published.to),
    ]);
    expect(published.city.received).toBe(received);
    const again = await http('POST', '/api/reports/adhoc', { token, body: { from, to } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', field: 'period', message: { zh: expect.stringContaining('已发布') } });
  });

  it('given the first period reports cover, when it is read, then it is compared with an empty period before it, not a 500', async () => {
    const token = await login('office');
    for (const [kind, period] of [
      ['weekly', '2000-W01'],
      ['monthly', '2000-01'],
      ['annual', '2000'],
    ]) {
      const res = await http('GET', `/api/reports/${kind}?period=${period}`, { token });
      expect([kind, res.status, res.body.period]).toEqual([kind, 200, period]);
    }
  });

  it('given six requests for the same 不定期点评 at once, then one process is started and the others are refused', async () => {
    const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [day(-30), day(-24)];
    const token = await login('office');
    const answers = await Promise.all(Array.from({ length: 6 }, () => http('POST', '/api/reports/adhoc', { token, body: { from, to } })));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409, 409, 409]);
    const instances = await http('GET', `/process-instance/count?processDefinitionKey=assessmentAdhoc&businessKey=adhoc:${from}~${to}`, { base: stack.engine });
    expect(instances.body.count).toBe(1);
  });

  it('given supervision notices this month, when the typical cases are listed, then they are the worst by the written definitions', async () => {
    // given: education's case escalated to 重点督办 after a 书面督办, hrss's to 现场督办
    const notice = (c: { id: string }, unit: string, level: string, n: number) =>
      sql(
        `INSERT INTO supervision_notices(case_id, number, level, trigger, reason, unit_id, dedupe_key) VALUES ($1, $2, $3, 'manual', '集成测试督办', $4, $2)`,
        [c.id, `TEST-${level}-${n}-${Date.now()}`, level, unit],
      );
    await notice(unsolved, 'education', 'written', 1);
    await notice(unsolved, 'education', 'key', 2);
    await notice(unsatisfied, 'hrss', 'onsite', 3);
    // when
    const report = (await monthly()).body;
    // then: each list is what the plain reading of docs/indicators.md finds, worst first
    const { from, to } = month();
    const level = (alias: string) => `array_position(ARRAY['written', 'onsite', 'key', 'transferred'], ${alias}.level::text)`;
    const escalated = await sql(
      `SELECT n.case_id AS id FROM supervision_notices n
        WHERE n.issued_at >= $1 AND n.issued_at < $2
          AND NOT EXISTS (SELECT 1 FROM supervision_notices m WHERE m.case_id = n.case_id AND m.issued_at >= $1 AND m.issued_at < $2
                            AND (${level('m')} > ${level('n')} OR (${level('m')} = ${level('n')} AND m.issued_at < n.issued_at)))
        ORDER BY ${level('n')} DESC, n.issued_at, n.case_id LIMIT 5`,
      [from, to],
    );
    const overdue = await sql(
      `SELECT w.id FROM work_orders w
        WHERE w.due_at IS NOT NULL AND EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = w.id AND e.type = 'overdue' AND e.occurred_at >= $1 AND e.occurred_at < $2)
        ORDER BY least(coalesce(w.closed_at, $2), $2) - w.due_at DESC, w.code LIMIT 5`,
      [from, to],
    );
    const ids = (list: { caseId: string }[]) => list.map((c) => c.caseId);
    expect(ids(report.typicalCases.escalated)).toEqual(escalated.map((r: { id: string }) => r.id));
    expect(ids(report.typicalCases.overdue)).toEqual(overdue.map((r: { id: string }) => r.id));
    const mine = report.typicalCases.escalated.find((c: { caseId: string }) => c.caseId === unsolved.id);
    if (escalated.some((r: { id: string }) => r.id === unsolved.id)) expect(mine.reason).toMatch(/^重点督办（TEST-key-2-\d+）：集成测试督办$/);
    expect(report.city.supervision.key).toBeGreaterThanOrEqual(1);
  });

  it('given a bad range, when a 不定期点评 is started, then it is refused naming the field; units may not start one', async () => {
    const token = await login('office');
    const reversed = await http('POST', '/api/reports/adhoc', { token, body: { from: '2026-11-20', to: '2026-11-01' } });
    expect(reversed.status).toBe(422);
    expect(reversed.body.error).toMatchObject({ field: 'to', message: { zh: expect.stringContaining('早于'), en: expect.stringContaining('before') } });
    expect((await http('POST', '/api/reports/adhoc', { token, body: { from: '2024-01-01', to: '2026-01-01' } })).body.error).toMatchObject({ field: 'to' });
    expect((await http('POST', '/api/reports/adhoc', { token, body: { from: '2026-02-30', to: '2026-03-01' } })).status).toBe(400);
    expect((await http('POST', '/api/reports/adhoc', { token, body: { from: '2026-11-01' } })).status).toBe(400);
    expect((await http('POST', '/api/reports/adhoc', { token: await login('hrss'), body: { from: '2026-11-01', to: '2026-11-02' } })).status).toBe(403);
    expect((await http('GET', '/api/reports/adhoc?period=2026-11-20~2026-11-01', { token })).status).toBe(400);
  });
});
