/**
 * ASVS V4.2.1 / V4.1.3: a unit reading the assessment report (JSON, the workbook, and so the printable bulletin
 * drawn from the JSON) sees its own work orders; the city-wide figures it gets name no other unit's work order,
 * address or content.
 */
import ExcelJS from 'exceljs';
import { complaint, complete, http, login, sql, waitFor } from './helpers';
import { stack } from './setup/stack';

const period = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

/** A work order at `address` dispatched to `unitId`. */
async function dispatchedAt(address: string, unitId: string): Promise<{ id: string; code: string }> {
  const created = await http('POST', '/api/cases', {
    token: await login('operator'),
    body: { ...complaint(`${address} 井盖缺失，夜间行人容易踩空`), address },
  });
  expect(created.status).toBe(201);
  expect((await complete('office', created.body.id, 'dispatch', { disposition: 'dispatch', category: 'B', leadUnitId: unitId })).status).toBe(204);
  await waitFor('dispatched', async () => (await sql(`SELECT 1 FROM work_orders WHERE id = $1 AND dispatched_at IS NOT NULL`, [created.body.id])).length > 0);
  return created.body;
}

const report = async (user: string) => {
  const res = await http('GET', `/api/reports/monthly?period=${period()}`, { token: await login(user) });
  expect(res.status).toBe(200);
  return res.body;
};

describe('ASVS V4.2.1 reports scoped to the unit', () => {
  it('V4.2.1 typical cases and repeat addresses of other units are not shown to a unit, in JSON or in the workbook', async () => {
    // given two work orders at one address, one 新华区's and one 卫东区's, and 卫东区's redispatched many times (a typical case)
    const address = `卫东区建设路${process.pid}号院`;
    const mine = await dispatchedAt(address, 'xinhua');
    const theirs = await dispatchedAt(address, 'weidong');
    await sql(`UPDATE work_orders SET dispatch_count = 50 WHERE id = $1`, [theirs.id]);

    // the office sees both, and 卫东区's case among the typical ones
    const office = await report('office');
    expect(office.hotspots.repeatAddresses).toContainEqual({ address, count: 2, codes: [mine.code, theirs.code] });
    expect(office.typicalCases.redispatched.map((c: { caseId: string }) => c.caseId)).toContain(theirs.id);

    // 新华区 sees the address with its own work order only, and no other unit's typical case
    const xinhua = await report('xinhua');
    expect(xinhua.hotspots.repeatAddresses).toContainEqual({ address, count: 2, codes: [mine.code] });
    const units = new Set(['xinhua', ...(await sql<{ id: string }>(`SELECT id FROM units WHERE parent_id = 'xinhua'`)).map((u) => u.id)]);
    for (const list of Object.values(xinhua.typicalCases) as { unitId: string }[][]) for (const c of list) expect(units.has(c.unitId)).toBe(true);
    expect(JSON.stringify(xinhua)).not.toContain(theirs.code);
    expect(xinhua.units.map((u: { unitId: string }) => u.unitId)).toEqual(['xinhua']);

    // 湛河区 sees neither; 卫东区 sees its typical case
    expect((await report('zhanhe')).hotspots.repeatAddresses.find((a: { address: string }) => a.address === address)).toBeUndefined();
    expect((await report('weidong')).typicalCases.redispatched.map((c: { caseId: string }) => c.caseId)).toContain(theirs.id);

    // and the workbook 新华区 downloads names no other unit's work order either
    const res = await fetch(`${stack.api}/api/reports/monthly?period=${period()}&format=xlsx`, {
      headers: { authorization: `Bearer ${await login('xinhua')}` },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => void cells.push(String(cell.value)))));
    expect(cells).not.toContain(theirs.code);
    expect(cells).toContain(address);
  });
});
