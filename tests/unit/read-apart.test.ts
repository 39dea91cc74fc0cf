import ExcelJS from 'exceljs';
import { readTableApart } from '../../core/imports/read-apart';
import { UnreadableFile } from '../../core/imports/table';

describe('reading an upload in a thread of its own', () => {
  it('given a CSV and a workbook with a date cell, when read apart, then the same table comes back, dates as dates', async () => {
    const csv = await readTableApart('csv', Buffer.from('诉求内容,承办单位\n路灯坏了,city-mgmt\n'));
    expect(csv).toEqual({ header: ['诉求内容', '承办单位'], rows: [{ row: 2, cells: ['路灯坏了', 'city-mgmt'] }] });
    const book = new ExcelJS.Workbook();
    book.addWorksheet('工单').addRows([
      ['诉求内容', '受理时间'],
      ['路灯坏了', new Date(Date.UTC(2024, 2, 5, 14, 30))],
    ]);
    const xlsx = await readTableApart('xlsx', Buffer.from(await book.xlsx.writeBuffer()));
    expect(xlsx.rows[0].cells[1]).toEqual(new Date(Date.UTC(2024, 2, 5, 14, 30)));
  });

  it('given a file that cannot be read, when read apart, then the reason comes back as an unreadable file', async () => {
    const refused = await readTableApart('csv', Buffer.from('诉求内容\n"not closed\n')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UnreadableFile);
    expect((refused as UnreadableFile).zh).toContain('引号');
    await expect(readTableApart('xlsx', Buffer.from('PK\u0003\u0004 not a workbook'))).rejects.toBeInstanceOf(UnreadableFile);
  });
});
