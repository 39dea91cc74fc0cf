/**
 * ASVS V12.2.1 / V12.5.2 (the type is the content's: the stored name takes its extension), V12.1.3 (a quota per
 * work order and per user), V8.3.5 (downloads are audited).
 */
import { configuredServer } from './configured-server';
import { dispatchedCase, http, login, PDF, sql, upload } from './helpers';
import { stack } from './setup/stack';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);

async function uploadTo(base: string, caseId: string, token: string, name: string, bytes: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/octet-stream' }), name);
  const res = await fetch(`${base}/api/cases/${caseId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: await res.json() };
}

describe('ASVS V12 attachments', () => {
  it('V12.2.1 the stored extension follows the sniffed type, not the name the client gave', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const pdf = await upload(c.id, 'xinhua', '整改报告.html', PDF, 'text/html');
    const png = await upload(c.id, 'xinhua', 'photo.pdf', PNG, 'application/pdf');
    const bare = await upload(c.id, 'xinhua', 'noextension', PDF, 'application/pdf');
    expect([pdf.status, png.status, bare.status]).toEqual([201, 201, 201]);
    expect(pdf.body).toMatchObject({ filename: '整改报告.pdf', mimeType: 'application/pdf' });
    expect(png.body).toMatchObject({ filename: 'photo.png', mimeType: 'image/png' });
    expect(bare.body.filename).toBe('noextension.pdf');
    const res = await fetch(`${stack.api}/api/attachments/${pdf.body.id}`, { headers: { authorization: `Bearer ${await login('xinhua')}` } });
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('整改报告.pdf'));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('V8.3.5 a download is audited with who, the work order and the attachment', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const up = await upload(c.id, 'xinhua', '现场照片.png', PNG, 'image/png');
    const res = await fetch(`${stack.api}/api/attachments/${up.body.id}`, { headers: { authorization: `Bearer ${await login('office')}` } });
    expect(res.status).toBe(200);
    const rows = await sql(
      `SELECT username, resource, resource_id AS "resourceId", detail FROM audit_log WHERE action = 'attachment.download' AND resource_id = $1`,
      [c.id],
    );
    expect(rows).toEqual([
      {
        username: 'office',
        resource: 'cases',
        resourceId: c.id,
        detail: expect.objectContaining({ attachmentId: up.body.id, filename: '现场照片.png', code: c.code }),
      },
    ]);
  });

  it('V12.1.3 uploads beyond the quota per work order or per user and day are refused (422 quota_exceeded)', async () => {
    // a fresh account of 新华区, so its uploads today are only these
    const username = `xinhua-uploader-${process.pid}`;
    const password = 'Upload-quota-2026!';
    expect(
      (
        await http('POST', '/api/users', {
          token: await login('admin'),
          body: { username, password, displayName: '上传配额', roles: ['unit_handler'], unitId: 'xinhua' },
        })
      ).status,
    ).toBe(201);
    const token = (await http('POST', '/api/auth/login', { body: { username, password } })).body.token as string;
    const [a, b] = [await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' }), await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' })];
    const server = await configuredServer({ ATTACHMENT_BYTES_PER_CASE: String(PDF.length + 10), ATTACHMENT_BYTES_PER_USER_DAY: String(PDF.length * 2 - 1) });
    try {
      expect((await uploadTo(server.base, a.id, token, 'a.pdf', PDF)).status).toBe(201);
      const perCase = await uploadTo(server.base, a.id, token, 'b.pdf', PDF);
      expect(perCase.status).toBe(422);
      expect(perCase.body.error).toMatchObject({ code: 'quota_exceeded', field: 'file', message: { zh: expect.stringContaining('该工单') } });
      const perUser = await uploadTo(server.base, b.id, token, 'c.pdf', PDF);
      expect(perUser.status).toBe(422);
      expect(perUser.body.error).toMatchObject({ code: 'quota_exceeded', field: 'file', message: { zh: expect.stringContaining('24 小时') } });
    } finally {
      await server.stop();
    }
  });

  it('V12.1.3 uploads at the same time cannot together pass the quota each passes alone, and none leaves a file without its event', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const server = await configuredServer({ ATTACHMENT_BYTES_PER_CASE: String(PDF.length * 2 + 10) });
    try {
      const token = await login('xinhua');
      const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => uploadTo(server.base, c.id, token, `${i}.pdf`, PDF)));
      expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 422, 422, 422]);
      const [{ files, events }] = await sql(
        `SELECT (SELECT count(*)::int FROM attachments WHERE case_id = $1) AS files,
                (SELECT count(*)::int FROM case_events WHERE case_id = $1 AND type = 'attachment') AS events`,
        [c.id],
      );
      expect({ files, events }).toEqual({ files: 2, events: 2 });
    } finally {
      await server.stop();
    }
  });

  it('a long name is cut whole characters at a time, and a second file in one upload is refused rather than dropped', async () => {
    const c = await dispatchedCase({ category: 'B', leadUnitId: 'xinhua' });
    const long = await upload(c.id, 'xinhua', `${'a'.repeat(189)}😀😀.pdf`, PDF, 'application/pdf');
    expect(long.status).toBe(201);
    expect(long.body.filename).toBe(`${'a'.repeat(189)}😀.pdf`);
    const form = new FormData();
    for (const name of ['1.pdf', '2.pdf']) form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), name);
    const res = await fetch(`${stack.api}/api/cases/${c.id}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await login('xinhua')}` },
      body: form,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('file');
    expect(await sql(`SELECT filename FROM attachments WHERE case_id = $1 ORDER BY uploaded_at`, [c.id])).toEqual([{ filename: long.body.filename }]);
  });
});
