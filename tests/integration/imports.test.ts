import ExcelJS from 'exceljs';
import { stack } from './setup/stack';
import { DEMO_PASSWORD, http, importFinished as finished, login, secondServer, sql, stop, uploadImport as upload, waitFor } from './helpers';

const csv = (rows: string[][]) => `\ufeff${rows.map((r) => r.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n')}\r\n`;
const imported = async (marker: string) => (await sql(`SELECT count(*)::int AS n FROM work_orders WHERE content LIKE $1`, [`%${marker}%`]))[0].n as number;

describe('history import (历史工单导入): closed work orders from an old platform', () => {
  // A March of a year no other test writes: the period's figures are the import's alone.
  const period = '2019-03-01~2019-03-31';
  const marker = `历史导入${Date.now().toString(36)}`;
  const header = ['诉求内容', '承办单位', '受理时间', '办结时间', '地址', '分类', '反映人', '联系电话', '来源渠道'];
  const good = [
    [
      `${marker} 小区门口占道经营，"夜市"噪音扰民, 垃圾遍地`,
      '市城市管理局',
      '2019-03-05 09:30',
      '2019-03-08 17:00',
      '新华区矿工路中段128号',
      'B',
      '张先生',
      '13812341234',
      '电话',
    ],
    [`${marker} 路灯不亮\n已多日`, 'city-mgmt', '2019/3/6 20:15', '', '卫东区建设路1号', 'C', '', '', 'web'],
    [`${marker} 社保卡补办进度慢`, '市人力资源和社会保障局', '2019-03-10', '2019-03-20 10:00:00', '', 'b', '李女士', '0375-2345678', '网站'],
  ];

  it('given a CSV with Chinese headers, when the admin uploads it, then every row becomes a closed work order without a process, searchable and in the volume but not in the on-time rate', async () => {
    // when
    const res = await upload('old-platform.csv', csv([header, ...good]));
    // then
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ status: 'done', total: 3, processed: 3, imported: 3, rejected: [], fileName: 'old-platform.csv', createdBy: 'admin' });
    const rows = await sql(
      `SELECT code, status, imported, process_instance_id AS pid, category, lead_unit_id AS unit, channel, created_at AS "createdAt", closed_at AS "closedAt",
              citizen_phone AS phone, content
         FROM work_orders WHERE content LIKE $1 ORDER BY created_at`,
      [`%${marker}%`],
    );
    expect(rows.map((r) => [r.status, r.imported, r.pid, r.category, r.unit, r.channel])).toEqual([
      ['closed', true, null, 'B', 'city-mgmt', 'phone'],
      ['closed', true, null, 'C', 'city-mgmt', 'web'],
      ['closed', true, null, 'B', 'hrss', 'web'],
    ]);
    expect(rows[0].content).toContain('"夜市"噪音扰民, 垃圾遍地');
    expect(rows[1].content).toContain('路灯不亮\n已多日');
    // received_at is the creation, Beijing time; closed_at defaults to received_at
    expect(rows[0].createdAt.toISOString()).toBe('2019-03-05T01:30:00.000Z');
    expect(rows[0].closedAt.toISOString()).toBe('2019-03-08T09:00:00.000Z');
    expect(rows[1].closedAt.toISOString()).toBe(rows[1].createdAt.toISOString());
    expect(rows[2].createdAt.toISOString()).toBe('2019-03-09T16:00:00.000Z');
    expect(rows[0].code).toMatch(/^12345-20190305-\d{6,}$/);

    // searchable like any work order: by its words and by its number
    const office = await login('office');
    const found = await http('GET', `/api/cases?q=${encodeURIComponent(marker)}`, { token: office });
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(3);
    expect(found.body.items.every((c: { imported: boolean; processInstanceId: string | null }) => c.imported && c.processInstanceId === null)).toBe(true);
    expect((await http('GET', `/api/cases?q=${rows[0].code}`, { token: office })).body.total).toBe(1);

    // the period's volume counts them; the on-time rate's denominator (closed + transferred + open overdue) does not
    const report = await http('GET', `/api/reports/adhoc?period=${period}`, { token: office });
    expect(report.status).toBe(200);
    expect(report.body.city).toMatchObject({ received: 3, dispatched: 3, closed: 0, transferred: 0, openOverdue: 0, onTimeRate: null, avgHandlingHours: null });
    expect(report.body.hotspots.byCategory).toEqual(
      expect.arrayContaining([
        { category: 'B', count: 2 },
        { category: 'C', count: 1 },
      ]),
    );
    const cityMgmt = report.body.units.find((u: { unitId: string }) => u.unitId === 'city-mgmt');
    expect(cityMgmt).toMatchObject({ received: 2, dispatched: 2, closed: 0, onTimeRate: null });

    // audited: who, which file, the counts — and nothing of the rows
    const [entry] = await sql(`SELECT username, action, detail FROM audit_log WHERE resource_id = $1 AND action = 'history-import.done'`, [res.body.id]);
    expect(entry).toMatchObject({ username: 'admin', detail: { fileName: 'old-platform.csv', total: 3, imported: 3, rejectedRows: 0 } });
    expect(JSON.stringify(entry.detail)).not.toContain('13812341234');
  });

  it('given a file with bad rows, when uploaded, then nothing is imported and every bad row is listed with its row and column', async () => {
    // given: row 2 good; 3 a bad date; 4 an unknown unit; 5 empty content; 6 a bad category, a bad phone and content too long
    const broken = `${marker}-broken`;
    const file = csv([
      header,
      [`${broken} 好的一行`, 'hrss', '2019-03-02 08:00', '', '', 'A', '', '', ''],
      [`${broken} 日期错误`, 'hrss', '2019-02-30 08:00', '', '', '', '', '', ''],
      [`${broken} 单位不存在`, '市不存在局', '2019-03-02 08:00', '', '', '', '', '', ''],
      ['', 'hrss', '2019-03-02 08:00', '', '', '', '', '', ''],
      [`${broken} ${'长'.repeat(5000)}`, 'hrss', '2019-03-02 08:00', '', '', 'E', '', '12ab', ''],
    ]);
    // when
    const res = await upload('broken.csv', file);
    // then
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job.status).toBe('failed');
    expect(job.imported).toBe(0);
    expect(job.rejectedRows).toBe(4);
    expect(job.rejected.map((r: { row: number; column: string }) => [r.row, r.column])).toEqual([
      [3, 'received_at'],
      [4, 'lead_unit'],
      [5, 'content'],
      [6, 'content'],
      [6, 'citizen_phone'],
      [6, 'category'],
    ]);
    expect(job.rejected[0].message.zh).toContain('受理时间');
    expect(job.message.zh).toContain('未导入任何工单');
    expect(await imported(broken)).toBe(0);
  });

  it('given a file without a required column, when uploaded, then the import fails naming that column', async () => {
    const res = await upload(
      'no-unit.csv',
      csv([
        ['诉求内容', '受理时间'],
        [`${marker} 缺列`, '2019-03-02 08:00'],
      ]),
    );
    expect(res.status).toBe(202);
    const job = await finished(res.body.id);
    expect(job).toMatchObject({ status: 'failed', imported: 0, rejected: [{ row: 1, column: 'lead_unit' }] });
    expect(job.message.zh).toContain('承办单位');
  });

  it('given an XLSX with English headers and date cells, when uploaded, then its rows are imported', async () => {
    // given
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('工单');
    sheet.addRow(['content', 'lead_unit', 'received_at', 'closed_at', 'category', 'citizen_phone', 'channel']);
    // exceljs writes a Date's UTC fields as the cell's wall clock: 2019-03-12 08:00 in the sheet
    sheet.addRow([
      `${marker} xlsx 第一行`,
      'education',
      new Date(Date.UTC(2019, 2, 12, 8, 0)),
      new Date(Date.UTC(2019, 2, 13, 8, 0)),
      'D',
      13912345678,
      '微信',
    ]);
    sheet.addRow([`${marker} xlsx 第二行`, '市人力资源和社会保障局', '2019-03-14 10:00', null, 'A', null, 'letter']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    // when
    const res = await upload('旧平台.xlsx', bytes, 'admin', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // then
    expect(res.status).toBe(202);
    expect(await finished(res.body.id)).toMatchObject({ status: 'done', imported: 2, fileType: 'xlsx' });
    const rows = await sql(
      `SELECT lead_unit_id AS unit, category, channel, citizen_phone AS phone, created_at AS "createdAt" FROM work_orders WHERE content LIKE $1 ORDER BY created_at`,
      [`%${marker} xlsx%`],
    );
    expect(rows.map((r) => [r.unit, r.category, r.channel, r.phone])).toEqual([
      ['education', 'D', 'wechat', '13912345678'],
      ['hrss', 'A', 'letter', ''],
    ]);
    expect(rows[0].createdAt.toISOString()).toBe('2019-03-12T00:00:00.000Z');
  });

  it('given others than admins, unknown ids, missing or wrong files, then the API refuses in its one error shape', async () => {
    const admin = await login('admin');
    // non-admins: 403
    expect((await upload('x.csv', csv([header, ...good]), 'office')).status).toBe(403);
    const someId = (await upload('x.csv', csv([['诉求内容'], ['x']]))).body.id;
    expect((await http('GET', `/api/imports/${someId}`, { token: await login('operator') })).status).toBe(403);
    expect((await http('GET', '/api/imports/template', { token: await login('office') })).status).toBe(403);
    // unknown id: 404
    const unknown = await http('GET', '/api/imports/00000000-0000-4000-8000-000000000000', { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ code: 'not_found', field: 'id', message: { zh: expect.any(String), en: expect.any(String) } });
    // no file: 400; not CSV or XLSX: 422; not UTF-8: 422
    const form = new FormData();
    form.append('note', 'no file');
    const none = await fetch(`${stack.api}/api/imports/cases`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    expect(none.status).toBe(400);
    expect((await none.json()).error).toMatchObject({ code: 'invalid_input', field: 'file' });
    const pdf = await upload('scan.pdf', Buffer.from('%PDF-1.4\n\u0000\u0001binary'), 'admin', 'application/pdf');
    expect(pdf.status).toBe(422);
    expect(pdf.body.error).toMatchObject({ code: 'invalid_input', field: 'file' });
    const gbk = await upload('gbk.csv', Buffer.from([0xd5, 0xc5, 0xc8, 0xfd, 0x2c, 0x31, 0x0a]));
    expect(gbk.status).toBe(422);
    expect(gbk.body.error.message.zh).toContain('UTF-8');
    // two files: refused, not one of them silently left out
    const two = new FormData();
    for (const name of ['a.csv', 'b.csv']) two.append('file', new Blob([csv([header, ...good])], { type: 'text/csv' }), name);
    const both = await fetch(`${stack.api}/api/imports/cases`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: two });
    expect(both.status).toBe(400);
    expect((await both.json()).error).toMatchObject({ code: 'invalid_input', field: 'file' });
    // a multipart body its parser cannot read: 400 naming the file, never a 500
    for (const [type, body] of [
      ['multipart/form-data', 'garbage'],
      ['multipart/form-data; boundary=XX', 'garbage'],
      ['multipart/form-data; boundary=XX', '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n诉求内容'],
    ]) {
      const bad = await fetch(`${stack.api}/api/imports/cases`, { method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': type }, body });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatchObject({ code: 'invalid_multipart', field: 'file' });
    }
  });

  it('given a file over 50 MB, when uploaded, then 413 names the file', async () => {
    const res = await upload('huge.csv', Buffer.alloc(50 * 1024 * 1024 + 1, 0x61));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'body_too_large', field: 'file' });
  });

  it('given the template, when downloaded, then it is a UTF-8 CSV with the Chinese headers that imports as it is', async () => {
    const res = await fetch(`${stack.api}/api/imports/template`, { headers: { authorization: `Bearer ${await login('admin')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    expect(text.split('\r\n')[0].replace(/^\ufeff/, '')).toBe(header.join(','));
    const again = await upload('历史工单导入模板.csv', text);
    expect(await finished(again.body.id)).toMatchObject({ status: 'done', imported: 1 });
  });

  it('given a server killed while it inserts, then nothing of the file is in, and the job is failed once its lease ran out', async () => {
    // given: a server with a short import lease, importing 60,000 rows
    const killed = `${marker}-killed`;
    const rows = Array.from({ length: 60_000 }, (_, i) => [`${killed} 第${i}行`, 'hrss', '2019-04-02 08:00', '', '', 'B', '', '', '']);
    const lease = { IMPORT_LEASE_MS: '2000' };
    const first = await secondServer(stack.db, stack.engine, lease);
    let id = '';
    try {
      const token = (await http('POST', '/api/auth/login', { base: first.base, body: { username: 'admin', password: DEMO_PASSWORD } })).body.token as string;
      const form = new FormData();
      form.append('file', new Blob([csv([header, ...rows])], { type: 'text/csv' }), 'killed.csv');
      const res = await fetch(`${first.base}/api/imports/cases`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      expect(res.status).toBe(202);
      id = ((await res.json()) as { id: string }).id;
      await waitFor('rows being inserted', async () => (await sql(`SELECT processed FROM history_imports WHERE id = $1`, [id]))[0].processed >= 2000, 30_000);
      // when: the server dies in the middle of the transaction
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await exited;
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) await stop(first.child);
    }
    // then: none of its rows, the job still says running until its lease runs out …
    expect(await imported(killed)).toBe(0);
    expect((await sql(`SELECT status FROM history_imports WHERE id = $1`, [id]))[0].status).toBe('running');
    // … and any server reading it afterwards finds it failed
    const second = await secondServer(stack.db, stack.engine, lease);
    try {
      const token = (await http('POST', '/api/auth/login', { base: second.base, body: { username: 'admin', password: DEMO_PASSWORD } })).body.token as string;
      const job = await waitFor(
        'the dead job failed',
        async () => {
          const res = await http('GET', `/api/imports/${id}`, { base: second.base, token });
          return res.body.status === 'failed' ? res.body : undefined;
        },
        10_000,
      );
      expect(job).toMatchObject({ status: 'failed', imported: 0 });
      expect(job.message.zh).toContain('中断');
    } finally {
      await stop(second.child);
    }
    expect(await imported(killed)).toBe(0);
  }, 120_000);

  it('given a job whose server died mid-import, when it is read after its lease, then it is failed, not running forever', async () => {
    // given: a running job whose lease ran out long ago (its process was killed)
    const [{ id }] = await sql(
      `INSERT INTO history_imports (file_name, file_type, size_bytes, created_by, heartbeat_at) VALUES ('killed.csv', 'csv', 10, 'admin', now() - interval '1 hour') RETURNING id`,
    );
    // when
    const res = await http('GET', `/api/imports/${id}`, { token: await login('admin') });
    // then
    expect(res.body).toMatchObject({ status: 'failed', imported: 0 });
    expect(res.body.message.zh).toContain('中断');
  });
});
