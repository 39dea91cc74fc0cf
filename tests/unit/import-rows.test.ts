import { checkRow, mapHeader, parseInstant, unitLookup } from '../../core/imports/rows';
import ExcelJS from 'exceljs';
import { fileTypeOf, inflatedSize, MAX_IMPORT_ROWS, MAX_XLSX_INFLATED_BYTES, parseCsv, parseXlsx } from '../../core/imports/table';

describe('history import: reading and checking rows', () => {
  it('reads CSV with a BOM, CRLF or LF, quoted separators, quotes and line breaks, numbering rows as a spreadsheet shows them', () => {
    const table = parseCsv('\ufeff诉求内容,承办单位\r\n"a, ""b""",hrss\r\n\r\n"two\nlines",city-mgmt\nlast,x');
    expect(table.header).toEqual(['诉求内容', '承办单位']);
    expect(table.rows).toEqual([
      { row: 2, cells: ['a, "b"', 'hrss'] },
      { row: 4, cells: ['two\nlines', 'city-mgmt'] },
      { row: 5, cells: ['last', 'x'] },
    ]);
  });

  it('refuses a file of more rows than one import takes, and a workbook that inflates beyond its bound, before reading it all', async () => {
    expect(() => parseCsv(`诉求内容,承办单位\n${'x,\n'.repeat(MAX_IMPORT_ROWS + 1)}`)).toThrow(/split it/);
    expect(parseCsv(`诉求内容,承办单位\n${'x,\n'.repeat(3)}`).rows).toHaveLength(3);
    const book = new ExcelJS.Workbook();
    book.addWorksheet('工单').addRows([
      ['诉求内容', '承办单位'],
      ['路灯坏了', 'city-mgmt'],
    ]);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    expect(inflatedSize(xlsx)).toBeGreaterThan(xlsx.length);
    expect((await parseXlsx(xlsx)).rows).toHaveLength(1);
    // the same workbook whose directory says one entry inflates past the bound
    const bomb = Buffer.from(xlsx);
    const directory = bomb.readUInt32LE(bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) + 16);
    bomb.writeUInt32LE(MAX_XLSX_INFLATED_BYTES + 1, directory + 24);
    await expect(parseXlsx(bomb)).rejects.toThrow(/inflates too large/);
  });

  it('tells CSV from XLSX by content and refuses binary', () => {
    expect(fileTypeOf(Buffer.from('PK\u0003\u0004rest'))).toBe('xlsx');
    expect(fileTypeOf(Buffer.from('content,lead_unit\n'))).toBe('csv');
    expect(fileTypeOf(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]))).toBeNull();
  });

  it('finds columns by English or Chinese header and names the missing required ones', () => {
    expect(mapHeader(['Content', ' 承办单位 ', '备注'])).toEqual({ columns: { content: 0, lead_unit: 1 }, missing: [] });
    expect(mapHeader(['诉求内容']).missing).toEqual(['lead_unit']);
  });

  it('reads times as Beijing wall clock unless an offset is given, and refuses impossible dates', () => {
    expect(parseInstant('2024-03-05 14:30')?.toISOString()).toBe('2024-03-05T06:30:00.000Z');
    expect(parseInstant('2024/3/5')?.toISOString()).toBe('2024-03-04T16:00:00.000Z');
    expect(parseInstant('2024年3月5日 08:00:00')?.toISOString()).toBe('2024-03-05T00:00:00.000Z');
    expect(parseInstant('2024-03-05T14:30:00Z')?.toISOString()).toBe('2024-03-05T14:30:00.000Z');
    expect(parseInstant(new Date(Date.UTC(2024, 2, 5, 14, 30)))?.toISOString()).toBe('2024-03-05T06:30:00.000Z');
    expect(parseInstant('2024-03-05T14:30:00-05:30')?.toISOString()).toBe('2024-03-05T20:00:00.000Z');
    expect(parseInstant('2024-01-01T10:00+99:99')).toBeNull();
    expect(parseInstant('2024-01-01T10:00+15:00')).toBeNull();
    expect(parseInstant('2024-02-30')).toBeNull();
    expect(parseInstant('昨天')).toBeNull();
  });

  it('lists every fault of a row and accepts labels of the vocabulary', () => {
    const units = unitLookup([{ id: 'hrss', name: '市人力资源和社会保障局' }]);
    const columns = mapHeader(['诉求内容', '承办单位', '受理时间', '办结时间', '分类', '联系电话', '来源渠道']).columns;
    const now = new Date('2026-01-01T00:00:00Z');
    expect(checkRow(['内容', '市人力资源和社会保障局', '2025-01-02 08:00', '', 'B 一般', '0375-2345678', '微信'], 2, columns, units, now)).toEqual({
      ok: expect.objectContaining({ leadUnitId: 'hrss', category: 'B', channel: 'wechat', closedAt: new Date('2025-01-02T00:00:00Z') }),
    });
    const bad = checkRow(['', '无此单位', '2027-01-01', '2020-01-01', 'Z', '电话号码', '飞鸽'], 7, columns, units, now);
    expect('faults' in bad && bad.faults.map((f) => f.column)).toEqual([
      'content',
      'lead_unit',
      'received_at',
      'closed_at',
      'citizen_phone',
      'category',
      'channel',
    ]);
    expect('faults' in bad && bad.faults.every((f) => f.row === 7 && !f.message.zh.includes('电话号码'))).toBe(true);
    // a character the database cannot store, in any column, is the row's fault, named with its column
    const unstorable = checkRow(['路灯\u0000不亮', '市人力资源和社会保障局', '2025-01-02 08:00', '', 'B', '', '微\ud800'], 9, columns, units, now);
    const errorValues = checkRow(['路灯不亮', '#REF!', '#VALUE!', '', 'B', '', ''], 10, columns, units, now);
    // a date cell holding a serial no calendar has (an XLSX reads 1e10 as an invalid Date) is named, not thrown
    const invalidDate = checkRow(['路灯不亮', '市人力资源和社会保障局', new Date(Number.NaN), '', 'B', '', ''], 11, columns, units, now);
    expect('faults' in invalidDate && invalidDate.faults.map((f) => [f.row, f.column])).toEqual([[11, 'received_at']]);
    expect('faults' in errorValues && errorValues.faults.map((f) => f.column)).toEqual(['lead_unit', 'received_at', 'lead_unit', 'received_at']);
    expect('faults' in unstorable && unstorable.faults.map((f) => [f.row, f.column])).toEqual([
      [9, 'channel'],
      [9, 'content'],
      [9, 'channel'],
    ]);
  });

  it('keeps a row whose 分类 is the old platform’s matter classification, without a category', () => {
    const units = unitLookup([{ id: 'housing', name: '市住房和城乡建设局' }]);
    const columns = mapHeader(['诉求内容', '承办单位', '分类']).columns;
    const now = new Date('2026-01-01T00:00:00Z');
    expect(checkRow(['路灯坏了', 'housing', '城乡建设'], 2, columns, units, now)).toEqual({
      ok: expect.objectContaining({ leadUnitId: 'housing', category: null }),
    });
    expect(checkRow(['路灯坏了', 'housing', '城乡建设/市政设施'], 3, columns, units, now)).toEqual({ ok: expect.objectContaining({ category: null }) });
    expect('faults' in checkRow(['路灯坏了', 'housing', 'X'], 4, columns, units, now)).toBe(true);
  });
});
