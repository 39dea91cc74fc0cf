/**
 * The printable 《市长热线通报》 (R7.4) at /bulletin.html?period=2026-11[&kind=weekly|annual|adhoc]: the report as a
 * plain page with bar charts drawn as SVG (no chart library on a print page). Signed in by the workbench's session.
 */
import './styles/bulletin.css';
import { REPORT_KIND, TYPICAL_KIND, TYPICAL_KINDS, type ReportKind } from '../../core/vocabulary';
import { get, query } from '../../web-shared/src/api';
import { fill, h } from '../../web-shared/src/dom';
import { currentUser } from '../../web-shared/src/session';
import { notices, num, pct, type Report } from './report';

const TITLES: Record<ReportKind, string> = { weekly: '市长热线周分析', monthly: '市长热线通报', annual: '市长热线年终考核通报', adhoc: '市长热线不定期点评' };
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** A horizontal bar chart: a label, a bar and the value per row. */
function bars<T>(rows: T[], value: (r: T) => number, label: (r: T) => string, format: (v: number) => string = num): SVGElement {
  const max = Math.max(...rows.map(value), 1e-9);
  const height = 18;
  const chart = svg('svg', { width: 880, height: rows.length * height + 4, role: 'img' });
  rows.forEach((r, i) => {
    const width = Math.round((value(r) / max) * 560);
    chart.append(
      svg('text', { x: 0, y: i * height + 13 }, label(r)),
      svg('rect', { x: 230, y: i * height + 3, width, height: height - 6, fill: '#c33' }),
      svg('text', { x: 236 + width, y: i * height + 13 }, format(value(r))),
    );
  });
  return chart;
}

const grid = (headers: string[], rows: (string | number)[][], nameColumns: number[] = [1]) =>
  h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', {}, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          row.map((v, i) => h('td', { class: nameColumns.includes(i) ? 'name' : undefined }, String(v))),
        ),
      ),
    ),
  );

function typical(r: Report): HTMLElement[] {
  return TYPICAL_KINDS.flatMap((kind) => {
    const list = r.typicalCases[kind] ?? [];
    const heading = TYPICAL_KIND[kind];
    if (list.length === 0) return [h('p', {}, `${heading}：无。`)];
    return [
      h('p', {}, `${heading}：`),
      grid(
        ['工单号', '承办单位', '地址', '诉求摘要', '情况'],
        list.map((c) => [c.code, c.unitName ?? '', c.address, c.summary, c.reason]),
        [1, 2, 3, 4],
      ),
    ];
  });
}

function render(root: HTMLElement, r: Report) {
  const c = r.city;
  const ranked = r.units.filter((u) => u.rank !== null);
  const names = (list: { unitName: string }[]) => list.map((u) => u.unitName).join('、') || '无';
  const title = TITLES[r.kind];
  document.title = `${title} ${r.period}`;
  fill(
    root,
    h('h1', {}, title),
    h('p', { class: 'meta' }, `${r.period}（${r.status === 'published' ? '已发布' : '未发布，数据为实时统计'}）`),
    h('h2', {}, '一、受理交办情况'),
    h(
      'p',
      {},
      `本期共受理群众诉求 ${c.received} 件，其中即办答复 ${c.answered} 件、引导办理 ${c.guided} 件，交办 ${c.dispatched} 件，办结 ${c.closed} 件；` +
        `按期办结率 ${pct(c.onTimeRate)}，平均办理时长 ${num(c.avgHandlingHours)} 小时；超期 ${c.overdue} 件，延期 ${c.extensions} 次，重新交办 ${c.redispatches} 次，派单准确率 ${pct(c.dispatchAccuracy)}，建议采纳率 ${pct(c.suggestionAdoption)}；` +
        `书面督办 ${c.supervision.written} 件次、现场督办 ${c.supervision.onsite} 件次、重点督办 ${c.supervision.key} 件次、移交 ${c.supervision.transferred} 件次。` +
        `回访 ${c.revisited} 件，解决率 ${pct(c.solvedRate)}，过程满意率 ${pct(c.processSatisfaction)}，结果满意率 ${pct(c.resultSatisfaction)}，回访不属实重办 ${c.untrueRedone} 件。`,
    ),
    h('h2', {}, '二、表扬与批评'),
    r.policy.praiseCount > 0 || r.policy.criticiseCount > 0
      ? [h('p', {}, `办理好、予以表扬的单位：${names(r.praised)}。`), h('p', {}, `办理差、提出批评的单位：${names(r.criticised)}。`)]
      : h('p', {}, '本期只排名，不表扬批评。'),
    h('h2', {}, '三、单位得分排名'),
    bars(
      ranked,
      (u) => u.score ?? 0,
      (u) => `${u.rank}. ${u.unitName}`,
    ),
    grid(
      ['排名', '单位', '交办', '办结', '按期办结率', '解决率', '结果满意率', '督办', '得分'],
      ranked.map((u) => [
        u.rank ?? '',
        u.unitName,
        u.dispatched,
        u.closed,
        pct(u.onTimeRate),
        pct(u.solvedRate),
        pct(u.resultSatisfaction),
        notices(u.supervision),
        num(u.score),
      ]),
    ),
    h('h2', {}, '四、热点难点'),
    bars(
      r.hotspots.terms.slice(0, 10),
      (t) => t.count,
      (t) => t.term,
    ),
    h('p', {}, `上升较快的问题：${r.hotspots.rising.map((t) => `${t.term}（${t.previous} → ${t.count}）`).join('、') || '无'}。`),
    h('p', {}, `反映集中的地点：${r.hotspots.byPlace.map((p) => `${p.place}（${p.count} 件）`).join('、') || '无'}。`),
    h('p', {}, `重复投诉地址：${r.hotspots.repeatAddresses.map((a) => `${a.address}（${a.count} 次）`).join('、') || '无'}。`),
    h('h2', {}, '五、典型案例'),
    typical(r),
  );
}

async function load(root: HTMLElement) {
  const params = new URLSearchParams(location.search);
  const period = params.get('period');
  const asked = params.get('kind') ?? '';
  const kind: ReportKind = asked in REPORT_KIND ? (asked as ReportKind) : 'monthly';
  if (!(await currentUser())) return void fill(root, h('p', { class: 'error' }, '请先登录工作台后再打开本页。'));
  if (!period) return void fill(root, h('p', { class: 'error' }, '请在地址中指定统计期，例如 bulletin.html?period=2026-11'));
  render(root, await get<Report>(`/api/reports/${kind}${query({ period })}`));
}

const root = document.getElementById('bulletin') as HTMLElement;
document.getElementById('print')?.addEventListener('click', () => window.print());
load(root).catch((e: unknown) => fill(root, h('p', { class: 'error' }, `加载失败：${e instanceof Error ? e.message : String(e)}`)));
