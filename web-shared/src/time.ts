/** Instants as Beijing time, whatever the browser's own zone. */
import { TIME_ZONE } from '../../core/vocabulary';

/** An instant from the API or the engine; the engine writes offsets as +0000, which Date.parse does not take. */
export function toDate(value: string | Date | null | undefined): Date | null {
  if (!value) return null;
  if (value instanceof Date) return value;
  const d = new Date(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? null : d;
}

const formatter = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** 2026-11-26 14:30 (Beijing time), or — when there is no time. */
export function formatTime(value: string | Date | null | undefined): string {
  const d = toDate(value);
  if (!d) return '—';
  const p = Object.fromEntries(formatter.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}
