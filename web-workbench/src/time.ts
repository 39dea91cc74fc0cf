/** Times as Beijing time, and the countdown to a deadline. */
const HOUR = 3600_000;

/** The engine writes offsets as +0000; Date.parse wants +00:00. */
export function toDate(value) {
  if (!value) return null;
  if (value instanceof Date) return value;
  const d = new Date(String(value).replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? null : d;
}

const formatter = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** 2026-11-26 14:30 (Beijing time), or — when there is no time. */
export function formatTime(value) {
  const d = toDate(value);
  if (!d) return '—';
  const p = Object.fromEntries(formatter.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/**
 * How long until (or since) a deadline: 剩余 2天3小时 · 剩余 5小时20分 · 已超期 3小时 · 已超期 2天1小时.
 * `soon` marks the last 24 hours.
 */
export function countdown(due, now = Date.now()) {
  const d = toDate(due);
  if (!d) return { text: '无期限', overdue: false, soon: false, none: true };
  const ms = d.getTime() - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / (24 * HOUR));
  const hours = Math.floor((abs % (24 * HOUR)) / HOUR);
  const minutes = Math.floor((abs % HOUR) / 60_000);
  if (ms < 0) {
    const late = days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时` : `${minutes}分钟`;
    return { text: `已超期 ${late}`, overdue: true, soon: false };
  }
  const text = days > 0 ? `剩余 ${days}天${hours}小时` : `剩余 ${hours}小时${minutes}分`;
  return { text, overdue: false, soon: ms <= 24 * HOUR };
}
