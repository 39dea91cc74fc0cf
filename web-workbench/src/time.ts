/** The countdown to a deadline (times themselves are formatted by the shared time module). */
import { toDate } from '../../web-shared/src/time';

const HOUR = 3600_000;

export interface Countdown {
  text: string;
  overdue: boolean;
  /** The last 24 hours. */
  soon: boolean;
  none?: boolean;
}

/** How long until (or since) a deadline: 剩余 2天3小时 · 剩余 5小时20分 · 已超期 3小时 · 已超期 2天1小时. */
export function countdown(due: string | null | undefined, now = Date.now()): Countdown {
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
