/**
 * Reading a history import file into a table: CSV (UTF-8 with or without BOM, CRLF or LF, RFC 4180 quoting) or
 * XLSX (its first worksheet, through exceljs, the library the reports already use). Row numbers are what a
 * person sees: the header is row 1; in a CSV a record whose quoted field spans lines is still one row.
 */
import ExcelJS from 'exceljs';

/** A cell as read: text, an instant (an XLSX date cell, as the wall clock it shows in UTC fields), a number, or empty. */
export type Cell = string | number | Date | null;

export interface Table {
  header: string[];
  /** Rows after the header, empty rows left out; `row` is the 1-based row in the file (header = 1). */
  rows: { row: number; cells: Cell[] }[];
}

export type FileType = 'csv' | 'xlsx';

/** Thrown for a file that cannot be read as its type (bad encoding, broken quoting, not a workbook). */
export class UnreadableFile extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
    this.name = 'UnreadableFile';
  }
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** The type a file's content has: XLSX is a zip, CSV is UTF-8 text without NUL bytes; null for anything else. */
export function fileTypeOf(content: Buffer): FileType | null {
  if (ZIP_MAGIC.every((b, i) => content[i] === b)) return 'xlsx';
  if (content.length === 0 || content.subarray(0, 64 * 1024).includes(0)) return null;
  return 'csv';
}

const isBlank = (cells: Cell[]) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''));

/** The most data rows one file imports: beyond it a file is refused whole (split it), so no file exhausts a server. */
export const MAX_IMPORT_ROWS = 500_000;
/** The most an XLSX file may inflate to (its zip entries together): a small "zip bomb" is refused before it is read. */
export const MAX_XLSX_INFLATED_BYTES = 400 * 1024 * 1024;

const tooManyRows = () =>
  new UnreadableFile(
    `文件超过 ${MAX_IMPORT_ROWS.toLocaleString('en')} 行，请拆分为多个文件导入`,
    `the file has more than ${MAX_IMPORT_ROWS.toLocaleString('en')} rows; split it into several files`,
  );

/** Parses CSV text (RFC 4180: `"` quotes, `""` inside quotes, CRLF, LF or CR between records). */
export function parseCsv(text: string): Table {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: { row: number; cells: Cell[] }[] = [];
  let cells: Cell[] = [];
  let field = '';
  let quoted = false;
  let row = 1;
  const n = text.length;
  let i = 0;
  const endRecord = () => {
    cells.push(field);
    if (records.length > MAX_IMPORT_ROWS) throw tooManyRows();
    records.push({ row, cells });
    row += 1;
    cells = [];
    field = '';
  };
  while (i < n) {
    if (quoted) {
      const q = text.indexOf('"', i);
      if (q < 0) throw new UnreadableFile(`第 ${row} 行的引号没有闭合`, `row ${row}: a quoted field is not closed`);
      field += text.slice(i, q);
      if (text.charCodeAt(q + 1) === 34) {
        field += '"';
        i = q + 2;
      } else {
        quoted = false;
        i = q + 1;
      }
      continue;
    }
    const ch = text.charCodeAt(i);
    if (ch === 34 && field === '') {
      quoted = true;
      i += 1;
    } else if (ch === 44) {
      cells.push(field);
      field = '';
      i += 1;
    } else if (ch === 10 || ch === 13) {
      endRecord();
      i += ch === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    } else {
      // the plain run up to the next separator, quote or line end, at once
      let j = i + 1;
      while (j < n) {
        const c = text.charCodeAt(j);
        if (c === 44 || c === 10 || c === 13 || c === 34) break;
        j += 1;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== '' || cells.length > 0) endRecord();
  const [first, ...rest] = records;
  return { header: (first?.cells ?? []).map((c) => String(c ?? '').trim()), rows: rest.filter((r) => !isBlank(r.cells)) };
}

/** Decodes UTF-8 strictly: a GBK file is refused with advice rather than read as garbage. */
export function decodeUtf8(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new UnreadableFile('CSV 文件须为 UTF-8 编码（GBK 等编码请在 Excel 中另存为“CSV UTF-8”）', 'a CSV file must be UTF-8 encoded');
  }
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || v instanceof Date) return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return String((v as { text: unknown }).text);
    // An error cell (#VALUE!, #REF! …) keeps its error text, so checking the row names it rather than reading it as empty.
    if ('error' in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v as unknown);
}

/** Reads the first worksheet of an XLSX workbook; its first row is the header. */
export async function parseXlsx(content: Buffer): Promise<Table> {
  if (inflatedSize(content) > MAX_XLSX_INFLATED_BYTES)
    throw new UnreadableFile('该 Excel 文件解压后过大，请拆分文件或另存为 CSV 后导入', 'the workbook inflates too large; split it or save it as CSV');
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw new UnreadableFile('无法读取该 Excel 文件（须为 .xlsx 格式）', 'the file is not a readable XLSX workbook');
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw new UnreadableFile('Excel 文件中没有工作表', 'the workbook has no worksheet');
  let header: string[] = [];
  const rows: Table['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (r, number) => {
    const values = r.values as ExcelJS.CellValue[];
    const cells: Cell[] = [];
    for (let c = 1; c < values.length; c += 1) cells.push(cellValue(values[c]));
    if (number === 1) header = cells.map((c) => (c === null ? '' : String(c).trim()));
    else if (!isBlank(cells)) {
      if (rows.length >= MAX_IMPORT_ROWS) throw tooManyRows();
      rows.push({ row: number, cells });
    }
  });
  return { header, rows };
}

/**
 * What a zip's entries add up to once inflated, from its central directory (0 when there is none to read: the
 * workbook reader then refuses the file). A ZIP64 size counts as infinite.
 */
export function inflatedSize(zip: Buffer): number {
  const floor = Math.max(0, zip.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = zip.length - 22; i >= floor; i -= 1)
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) return 0;
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  let total = 0;
  for (let e = 0; e < entries && at + 46 <= zip.length && zip.readUInt32LE(at) === 0x02014b50; e += 1) {
    const size = zip.readUInt32LE(at + 24);
    if (size === 0xffffffff) return Infinity;
    total += size;
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return total;
}

export async function readTable(type: FileType, content: Buffer): Promise<Table> {
  return type === 'xlsx' ? parseXlsx(content) : parseCsv(decodeUtf8(content));
}
