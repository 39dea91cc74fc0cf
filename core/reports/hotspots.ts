/**
 * 热点难点 (R1.4.1, R7.4): the most frequent problems of a period by category, lead unit and place; the words
 * citizens use most (Chinese word segmentation with jieba), the words rising against the previous period,
 * and addresses complained about again and again.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import type { DataSource } from 'typeorm';
import { previousPeriod, type Period } from './period';

export interface Hotspots {
  byCategory: { category: string; count: number }[];
  byPlace: { place: string; count: number }[];
  /** Estimated occurrences in the period's contents (exact when `sampleRate` is 1). */
  terms: { term: string; count: number }[];
  rising: { term: string; count: number; previous: number }[];
  repeatAddresses: { address: string; count: number; codes: string[] }[];
  /** Share of the period's contents that was segmented (large periods are sampled evenly). */
  sampleRate: number;
}

/** At most this many contents are segmented per period; more are sampled evenly by work-order code. */
const SEGMENT_CAP = 20_000;
const TOP = 10;

/** Words that say nothing about the problem itself (hotline phrasing, pronouns, time words). */
const STOPWORDS = new Set(
  '希望 处理 解决 反映 问题 要求 市民 来电 情况 现在 一直 没有 已经 相关 部门 尽快 进行 目前 存在 这个 那个 我们 他们 自己 因为 所以 但是 还是 可以 不能 需要 影响 严重 长期 每天 晚上 白天 经常 多次 至今 时间 附近 门口 周边 居民 群众 工作 单位 导致 造成 出现 无人 不到 不了 一个 这里 那里 还有 是否 怎么 什么 如何 咨询 投诉 建议 求助 帮助 帮忙 联系 电话'.split(
    ' ',
  ),
);

const PLACE_PATTERN = '^(.*?(路|街|大道|巷|村|小区|社区|花园|广场))';

export const SQL = {
  byCategory: `
    SELECT coalesce(category, suggested_category, '-') AS category, count(*)::int AS count
      FROM work_orders WHERE created_at >= $1 AND created_at < $2
     GROUP BY 1 ORDER BY 2 DESC`,
  // The pattern runs once per distinct address, not once per work order (a year repeats its addresses); OFFSET 0
  // keeps the planner from pushing `place IS NOT NULL` back down to every row.
  byPlace: `
    SELECT place, sum(n)::int AS count
      FROM (SELECT substring(address FROM '${PLACE_PATTERN}') AS place, n
              FROM (SELECT address, count(*) AS n FROM work_orders WHERE created_at >= $1 AND created_at < $2 GROUP BY address OFFSET 0) a) p
     WHERE place IS NOT NULL GROUP BY place ORDER BY 2 DESC LIMIT ${TOP}`,
  // Counted by hashing (no sort of the period by address); the first codes are gathered for the top ten only.
  repeatAddresses: `
    SELECT t.address, t.count, (array_agg(w.code ORDER BY w.created_at))[1:5] AS codes
      FROM (SELECT address, count(*)::int AS count FROM work_orders WHERE created_at >= $1 AND created_at < $2
             GROUP BY address HAVING count(*) >= 2 ORDER BY 2 DESC, 1 LIMIT ${TOP}) t
      JOIN work_orders w ON w.address = t.address AND w.created_at >= $1 AND w.created_at < $2
     GROUP BY t.address, t.count ORDER BY 2 DESC, 1`,
  count: `SELECT count(*)::int AS n FROM work_orders WHERE created_at >= $1 AND created_at < $2`,
  contents: `SELECT content FROM work_orders WHERE created_at >= $1 AND created_at < $2 AND ($3::int = 1 OR abs(hashtext(code)) % $3::int = 0)`,
};

let jieba: Jieba | undefined;
/** The segmenter, its dictionary loaded once (a quarter of a second): servers load it at boot, not in a report. */
export const segmenter = () => (jieba ??= Jieba.withDict(dict));

const isTerm = (w: string) => w.length >= 2 && /^[\u4e00-\u9fff]+$/.test(w) && !STOPWORDS.has(w);

/** Term counts of a period's contents, scaled up by the sampling step. */
async function termCounts(ds: DataSource, period: Period): Promise<{ counts: Map<string, number>; step: number }> {
  const [{ n }] = (await ds.query(SQL.count, [period.from, period.to])) as { n: number }[];
  const step = Math.max(1, Math.ceil(n / SEGMENT_CAP));
  const rows = (await ds.query(SQL.contents, [period.from, period.to, step])) as { content: string }[];
  const words = (await segmenter().cutAsync(rows.map((r) => r.content).join('\n'), false)) as string[];
  const counts = new Map<string, number>();
  for (const w of words) if (isTerm(w)) counts.set(w, (counts.get(w) ?? 0) + step);
  return { counts, step };
}

export async function computeHotspots(ds: DataSource, period: Period): Promise<Hotspots> {
  const args = [period.from, period.to];
  const [byCategory, byPlace, repeatAddresses, current, previous] = await Promise.all([
    ds.query(SQL.byCategory, args) as Promise<Hotspots['byCategory']>,
    ds.query(SQL.byPlace, args) as Promise<Hotspots['byPlace']>,
    ds.query(SQL.repeatAddresses, args) as Promise<Hotspots['repeatAddresses']>,
    termCounts(ds, period),
    termCounts(ds, previousPeriod(period)),
  ]);
  const terms = [...current.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  // Rising: the largest increase over the previous period, among words that are frequent now.
  const floor = terms[Math.min(terms.length, 50) - 1]?.[1] ?? 0;
  const rising = terms
    .filter(([, count]) => count >= floor)
    .map(([term, count]) => ({ term, count, previous: previous.counts.get(term) ?? 0 }))
    .filter((t) => t.count > t.previous)
    .sort((a, b) => b.count - b.previous - (a.count - a.previous) || a.term.localeCompare(b.term))
    .slice(0, TOP);
  return {
    byCategory,
    byPlace,
    terms: terms.slice(0, 20).map(([term, count]) => ({ term, count })),
    rising,
    repeatAddresses,
    sampleRate: 1 / current.step,
  };
}
