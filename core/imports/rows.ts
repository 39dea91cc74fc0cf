/**
 * The rows of a history import file, checked against the same rules as intake: columns found by their English or
 * Chinese header (core/vocabulary.ts IMPORT_COLUMN), every cell checked, every fault listed with its row and column.
 * Messages never repeat a citizen's name or phone number.
 */
import { CASE_TEXT_LIMITS, UNSTORABLE_TEXT } from '../cases/limits';
import { isCalendarDay, isClock, isOffset } from '../instants';
import {
  BEIJING_OFFSET_MS,
  CATEGORIES,
  CATEGORY,
  CHANNEL,
  CHANNELS,
  IMPORT_COLUMN,
  IMPORT_COLUMNS,
  IMPORT_REQUIRED_COLUMNS,
  PHONE_PATTERN,
  type Category,
  type Channel,
  type ImportColumn,
} from '../vocabulary';
import type { Cell, Table } from './table';

export interface Message {
  zh: string;
  en: string;
}

/** A refused cell: its row in the file (header = 1), its column (English name) and why. */
export interface Rejection {
  row: number;
  column: ImportColumn | null;
  message: Message;
}

export interface ImportRow {
  receivedAt: Date;
  closedAt: Date;
  content: string;
  leadUnitId: string;
  address: string;
  category: Category | null;
  citizenName: string;
  citizenPhone: string;
  channel: Channel;
}

/** Without a channel column, a work order came by phone: the hotline's own channel. */
export const DEFAULT_CHANNEL: Channel = 'phone';

const normalise = (s: string) => s.replace(/\s+/g, '').toLowerCase();
const HEADER_NAMES = new Map<string, ImportColumn>(IMPORT_COLUMNS.flatMap((c) => [[normalise(c), c] as const, [normalise(IMPORT_COLUMN[c]), c] as const]));

/** Where each known column is in the header, or the required columns that are missing. */
export function mapHeader(header: string[]): { columns: Partial<Record<ImportColumn, number>>; missing: ImportColumn[] } {
  const columns: Partial<Record<ImportColumn, number>> = {};
  header.forEach((h, i) => {
    const c = HEADER_NAMES.get(normalise(h));
    if (c && columns[c] === undefined) columns[c] = i;
  });
  return { columns, missing: IMPORT_REQUIRED_COLUMNS.filter((c) => columns[c] === undefined) };
}

export const missingColumnMessage = (c: ImportColumn): Message => ({
  zh: `缺少必需的列“${IMPORT_COLUMN[c]}”（${c}）`,
  en: `the required column ${c} (${IMPORT_COLUMN[c]}) is missing`,
});

const DATE_TEXT = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const DAY_MS = 86_400_000;
/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included): serial 25569 is 1970-01-01. */
const EXCEL_EPOCH_SERIAL = 25569;

/** A wall-clock time in Beijing (the city's time) as an instant, or null when it is no real date and time. */
function beijingWallClock(y: number, mo: number, d: number, h: number, mi: number, s: number): Date | null {
  if (!isCalendarDay(y, mo, d) || !isClock(h, mi, s)) return null;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS);
}

/**
 * An instant from a cell: `2024-03-05 14:30[:00]`, `2024/3/5 14:30`, `2024年3月5日`, `2024-03-05` (midnight),
 * ISO 8601 with an offset; without an offset Beijing time. An XLSX date cell shows its wall clock in UTC fields.
 */
export function parseInstant(cell: Cell): Date | null {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return null;
    return new Date(cell.getTime() - BEIJING_OFFSET_MS);
  }
  if (typeof cell === 'number') {
    if (cell < 20_000 || cell > 80_000) return null;
    return new Date(Math.round((cell - EXCEL_EPOCH_SERIAL) * DAY_MS) - BEIJING_OFFSET_MS);
  }
  const text = (cell ?? '').trim();
  const m = DATE_TEXT.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = m;
  const wall = beijingWallClock(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  if (!wall || !zone) return wall;
  // An explicit offset: the same wall clock read in that zone instead of Beijing's.
  const [zoneHours, zoneMinutes] = [Number(zone.slice(1, 3)), Number(zone.slice(-2))];
  if (zone.toUpperCase() !== 'Z' && !isOffset(zoneHours, zoneMinutes)) return null;
  const offsetMs = zone.toUpperCase() === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
  return new Date(wall.getTime() + BEIJING_OFFSET_MS - offsetMs);
}

const text = (cell: Cell | undefined): string => {
  if (cell === null || cell === undefined) return '';
  // A date cell with a serial no calendar has (1e10) reads as an invalid Date: its text says so.
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '无效日期 invalid date' : cell.toISOString();
  return String(cell).trim();
};

/** Excel's error values, as an error cell (or a CSV exported from one) shows them. */
const SPREADSHEET_ERROR = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|SPILL!|CALC!|GETTING_DATA)$/;

const CATEGORY_NAMES = new Map<string, Category>(
  CATEGORIES.flatMap((c) => [[c.toLowerCase(), c] as const, [normalise(CATEGORY[c]), c] as const, [normalise(CATEGORY[c].split(' ')[1] ?? c), c] as const]),
);
const CHANNEL_NAMES = new Map<string, Channel>(CHANNELS.flatMap((c) => [[c, c] as const, [normalise(CHANNEL[c]), c] as const]));
const PHONE = new RegExp(`^${PHONE_PATTERN}$`);
/** A matter classification of the old platform: Chinese words, possibly in levels (城乡建设/市政设施). */
const MATTER_CLASS = /^[\p{Script=Han}][\p{Script=Han}\s/>›、·-]*$/u;

/** A unit as the file may name it: its id or its name. */
export type UnitLookup = Map<string, string>;
export const unitLookup = (units: { id: string; name: string }[]): UnitLookup =>
  new Map(units.flatMap((u) => [[u.id.toLowerCase(), u.id] as const, [normalise(u.name), u.id] as const]));

/** The earliest instant a history import accepts: older than this is taken for a mistyped year. */
const EARLIEST = Date.UTC(2000, 0, 1) - BEIJING_OFFSET_MS;
/** Clocks of two machines differ a little: a received time up to this far ahead of now is still accepted. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Checks one row; returns the row to insert, or the faults of its cells (all of them, not only the first).
 * `now` is the import's instant: the default received time and the latest one accepted.
 */
export function checkRow(
  cells: Cell[],
  row: number,
  columns: Partial<Record<ImportColumn, number>>,
  units: UnitLookup,
  now: Date,
): { ok: ImportRow } | { faults: Rejection[] } {
  const faults: Rejection[] = [];
  const fault = (column: ImportColumn, zh: string, en: string) =>
    faults.push({ row, column, message: { zh: `${IMPORT_COLUMN[column]}：${zh}`, en: `${column}: ${en}` } });
  const cell = (c: ImportColumn): Cell | undefined => (columns[c] === undefined ? undefined : cells[columns[c]]);
  const limited = (c: ImportColumn, max: number): string => {
    const v = text(cell(c));
    if ([...v].length > max) fault(c, `超过 ${max} 个字符`, `longer than ${max} characters`);
    return v;
  };

  const content = limited('content', CASE_TEXT_LIMITS.content);
  if (content === '') fault('content', '不能为空', 'must not be empty');

  const unitText = text(cell('lead_unit'));
  const leadUnitId = units.get(unitText.toLowerCase()) ?? units.get(normalise(unitText));
  if (unitText === '') fault('lead_unit', '不能为空', 'must not be empty');
  else if (!leadUnitId) fault('lead_unit', `没有名称或编号为“${unitText.slice(0, 40)}”的单位`, `no unit has the id or name "${unitText.slice(0, 40)}"`);

  const instant = (c: ImportColumn): Date | null | undefined => {
    const v = cell(c);
    if (v === undefined || text(v) === '') return undefined;
    const at = parseInstant(v);
    if (!at) {
      fault(
        c,
        `“${text(v).slice(0, 30)}”不是有效的日期时间（如 2024-03-05 14:30）`,
        `"${text(v).slice(0, 30)}" is not a valid date and time (e.g. 2024-03-05 14:30)`,
      );
      return null;
    }
    if (at.getTime() < EARLIEST) fault(c, '早于 2000 年', 'is before 2000');
    else if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) fault(c, '晚于当前时间', 'is in the future');
    return at;
  };
  const received = instant('received_at');
  const closed = instant('closed_at');
  const receivedAt = received ?? now;
  const closedAt = closed ?? receivedAt;
  if (received !== null && closed && closed.getTime() < receivedAt.getTime()) fault('closed_at', '早于受理时间', 'is before received_at');

  const address = limited('address', CASE_TEXT_LIMITS.address);
  const citizenName = limited('citizen_name', CASE_TEXT_LIMITS.citizenName);

  const phone = text(cell('citizen_phone'));
  if (phone !== '' && !PHONE.test(phone)) fault('citizen_phone', '格式不正确（数字，可含区号和连字符）', 'is not a phone number');

  const categoryText = text(cell('category'));
  const named = categoryText === '' ? null : (CATEGORY_NAMES.get(normalise(categoryText)) ?? CATEGORY_NAMES.get(categoryText.toLowerCase()));
  // An old platform's 分类 is often its own matter classification (城乡建设, 劳动和社会保障 …), not A–D: such a
  // row is kept without a category (the dispatch model learns the unit from it) rather than refusing the file.
  const category = named === undefined && MATTER_CLASS.test(categoryText) ? null : named;
  if (category === undefined) fault('category', `须为 ${CATEGORIES.join('、')} 之一`, `must be one of ${CATEGORIES.join(', ')}`);

  const channelText = text(cell('channel'));
  const channel = channelText === '' ? DEFAULT_CHANNEL : (CHANNEL_NAMES.get(channelText) ?? CHANNEL_NAMES.get(normalise(channelText)));
  if (channel === undefined)
    fault('channel', `须为 ${CHANNELS.map((c) => CHANNEL[c]).join('、')} 之一`, `must be one of ${CHANNELS.join(', ')} or their Chinese labels`);

  // A cell the database cannot store, or a spreadsheet's error value, is refused here with its row and column.
  for (const c of Object.keys(columns) as ImportColumn[]) {
    const v = text(cell(c));
    if (UNSTORABLE_TEXT.test(v))
      fault(c, '含有无法保存的字符（空字符或不成对的代理项）', 'contains a character that cannot be stored (NUL or an unpaired surrogate)');
    if (SPREADSHEET_ERROR.test(v)) fault(c, `是表格的错误值 ${v}`, `is the spreadsheet error ${v}`);
  }

  if (faults.length > 0 || !leadUnitId || received === null || closed === null || category === undefined || channel === undefined) return { faults };
  return { ok: { receivedAt, closedAt, content, leadUnitId, address, category, citizenName, citizenPhone: phone, channel } };
}

/** The template a city fills in: the Chinese headers (any column may also be headed by its English name) and one example row. */
export function templateCsv(): string {
  const example: Record<ImportColumn, string> = {
    content: '小区门口长期占道经营，晚上收摊后垃圾遍地',
    lead_unit: '市城市管理局',
    received_at: '2024-03-05 09:30',
    closed_at: '2024-03-08 17:00',
    address: '新华区矿工路中段128号',
    category: 'B',
    citizen_name: '张先生',
    citizen_phone: '13812341234',
    channel: CHANNEL.phone,
  };
  const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\ufeff${IMPORT_COLUMNS.map((c) => IMPORT_COLUMN[c]).join(',')}\r\n${IMPORT_COLUMNS.map((c) => quote(example[c])).join(',')}\r\n`;
}

export type { Table };
