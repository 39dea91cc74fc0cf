/**
 * 报表 (R7.4): 周分析, 月通报, 年终考核 and 不定期点评 of any period (GET /api/reports/:kind) with ECharts charts,
 * the units' indicators, hotspots and typical cases; Excel export, the printable bulletin, and for the office the
 * start of a 不定期点评 over days it chooses (POST /api/reports/adhoc). Kind and period live in the hash.
 */
import { download, get, post, query } from '../../../web-shared/src/api';
import { barOption, chart, COLORS, pieOption, type EChartsOption } from '../charts';
import { fill, h, type Child } from '../../../web-shared/src/dom';
import { toast } from '../dom';
import { BEIJING_OFFSET_MS, CATEGORY, label, REPORT_KIND, SUPERVISION_LEVEL, TYPICAL_KIND, type ReportKind, type TypicalKind } from '../../../core/vocabulary';
import { hashOf } from '../router';
import { formatTime } from '../../../web-shared/src/time';
import { notices, num, pct, type Report, type UnitRow } from '../report';
import type { ViewContext } from '../view';

const DAY = 86_400_000;

/** Today in Beijing as a Date whose UTC fields are the Beijing calendar day. */
const beijingToday = () => new Date(Date.now() + BEIJING_OFFSET_MS);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

function isoWeek(d: Date): string {
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  const thursday = day + (3 - ((new Date(day).getUTCDay() + 6) % 7)) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  return `${year}-W${String(1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY))).padStart(2, '0')}`;
}

/** What a report page opens on: the last complete week or month, this year so far, the last 30 days. */
function defaultPeriod(kind: ReportKind): string {
  const today = beijingToday();
  if (kind === 'weekly') return isoWeek(new Date(today.getTime() - 7 * DAY));
  if (kind === 'monthly') return dayOf(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1))).slice(0, 7);
  if (kind === 'annual') return String(today.getUTCFullYear());
  return `${dayOf(new Date(today.getTime() - 29 * DAY))}~${dayOf(today)}`;
}

/** The period inputs of a kind: the browser's week and month pickers speak our labels (2026-W48, 2026-11). */
interface PeriodInputs {
  elements: HTMLElement[];
  value(): string;
  range?(): { from: string; to: string };
}

function periodInputs(kind: ReportKind, period: string): PeriodInputs {
  if (kind === 'adhoc') {
    const [from = '', to = ''] = period.split('~');
    const fromInput = h('input', { id: 'report-from', type: 'date', value: from, 'aria-label': '起始日期', required: true });
    const toInput = h('input', { id: 'report-to', type: 'date', value: to, 'aria-label': '截止日期', required: true });
    return {
      elements: [fromInput, h('span', {}, '至'), toInput],
      value: () => `${fromInput.value}~${toInput.value}`,
      range: () => ({ from: fromInput.value, to: toInput.value }),
    };
  }
  const attrs = { weekly: { type: 'week' }, monthly: { type: 'month' }, annual: { type: 'number', min: 2000, max: 2100, step: 1 } }[kind];
  const input = h('input', { id: 'report-period', ...attrs, value: period, 'aria-label': '统计期', required: true });
  return { elements: [input], value: () => input.value };
}

function figure(title: string, value: string, note?: string) {
  return h(
    'div',
    { class: 'figure' },
    h('span', { class: 'figure-title' }, title),
    h('strong', { class: 'figure-value' }, value),
    note && h('span', { class: 'figure-note' }, note),
  );
}

function panel(title: string, ...children: Child[]) {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}

function table(headers: string[], rows: HTMLElement[], empty: string) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h(
    'table',
    { class: 'grid compact' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((t) => h('th', {}, t)),
      ),
    ),
    h('tbody', {}, rows),
  );
}

const cell = (v: string | number, cls = 'num') => h('td', { class: cls }, v);

function statusLine(r: Report) {
  if (r.status === 'published') return h('span', { class: 'badge badge-ok' }, `已发布 · ${r.publishedBy} · ${formatTime(r.publishedAt)}`);
  if (r.status === 'compiled') return h('span', { class: 'badge' }, '已编制，待审核发布（以下为实时统计）');
  return h('span', { class: 'badge' }, '实时统计，未发布');
}

const barHeight = (rows: number) => Math.max(160, rows * 26 + 24);

/** Each chart of a report: its box, and the ECharts option to draw in it, or null with what to say instead. */
interface ChartSpec {
  id: string;
  height: number;
  empty: string;
  option: EChartsOption | null;
}

function chartSpecs(r: Report): Record<'score' | 'onTime' | 'supervision' | 'category' | 'terms', ChartSpec> {
  const ranked = r.units.filter((u) => u.rank !== null);
  const praised = new Set(r.praised.map((u) => u.unitId));
  const criticised = new Set(r.criticised.map((u) => u.unitId));
  const verdictColor = (u: UnitRow) => (praised.has(u.unitId) ? COLORS.ok : criticised.has(u.unitId) ? COLORS.main : COLORS.blue);
  const withClosed = r.units.flatMap((u) => (u.onTimeRate === null ? [] : [{ ...u, onTimeRate: u.onTimeRate }])).sort((a, b) => b.onTimeRate - a.onTimeRate);
  const levels = Object.entries(r.city.supervision)
    .map(([k, value]) => ({ name: label(SUPERVISION_LEVEL, k), value }))
    .filter((i) => i.value > 0);
  const terms = r.hotspots.terms.slice(0, 12);
  return {
    score: {
      id: 'chart-score',
      height: barHeight(ranked.length),
      empty: '本期没有参加排名的单位。',
      option:
        ranked.length > 0
          ? barOption({
              labels: ranked.map((u) => `${u.rank}. ${u.unitName}`),
              values: ranked.map((u) => u.score ?? 0),
              colors: ranked.map(verdictColor),
              max: 100,
            })
          : null,
    },
    onTime: {
      id: 'chart-ontime',
      height: barHeight(withClosed.length),
      empty: '本期没有办结的工单。',
      option:
        withClosed.length > 0
          ? barOption({
              labels: withClosed.map((u) => u.unitName),
              values: withClosed.map((u) => u.onTimeRate),
              colors: withClosed.map((u) => (u.onTimeRate < 0.9 ? COLORS.warn : COLORS.ok)),
              format: pct,
              max: 1,
            })
          : null,
    },
    supervision: { id: 'chart-supervision', height: 260, empty: '本期没有督办。', option: levels.length > 0 ? pieOption(levels) : null },
    category: {
      id: 'chart-category',
      height: 260,
      empty: '本期没有受理。',
      option:
        r.hotspots.byCategory.length > 0
          ? pieOption(r.hotspots.byCategory.map((c) => ({ name: label(CATEGORY, c.category, '未分类'), value: c.count })))
          : null,
    },
    terms: {
      id: 'chart-terms',
      height: barHeight(terms.length),
      empty: '本期没有高频词。',
      option: terms.length > 0 ? barOption({ labels: terms.map((t) => t.term), values: terms.map((t) => t.count) }) : null,
    },
  };
}

function typicalSection(r: Report) {
  const lists = r.typicalCases ?? {};
  return Object.entries(TYPICAL_KIND).map(([kind, title]) =>
    h(
      'div',
      { class: 'typical', dataset: { kind } },
      h('h3', {}, `${title}（${(lists[kind as TypicalKind] ?? []).length}）`),
      table(
        ['工单号', '承办单位', '分类', '地址', '诉求摘要', '情况'],
        (lists[kind as TypicalKind] ?? []).map((c) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/cases/${c.caseId}` }, c.code)),
            cell(c.unitName ?? '—', ''),
            cell(label(CATEGORY, c.category, '—'), ''),
            cell(c.address, 'clip-cell'),
            cell(c.summary, 'clip-cell'),
            cell(c.reason, ''),
          ),
        ),
        '本期没有此类工单。',
      ),
    ),
  );
}

/**
 * 七(三) 二级考核三级: the level-3 units' rows, by the level-2 unit that delegated to them, ranked within it. A level-2
 * unit's user gets its own units (the API scopes them), a level-3 unit's its own row, the office every group.
 */
function subUnitsPanel(r: Report) {
  // a report published before 七(三) has no level-3 rows
  const groups = (r.subUnits ?? []).filter((g) => g.units.length > 0);
  if (groups.length === 0) return null;
  return panel(
    '下级单位考核',
    groups.map((g) =>
      h(
        'div',
        { class: 'sub-units', dataset: { parent: g.parentId } },
        groups.length > 1 && h('h3', {}, g.parentName),
        table(
          ['排名', '单位', '得分', '转派', '办结', '按期办结率', '平均时长', '超期', '超期未办结', '督办', '解决率', '结果满意'],
          g.units.map((u) =>
            h(
              'tr',
              { dataset: { unit: u.unitId } },
              cell(u.rank ?? '—'),
              cell(u.unitName, ''),
              cell(num(u.score)),
              cell(num(u.delegated)),
              cell(String(u.closed)),
              cell(pct(u.onTimeRate)),
              cell(num(u.avgHandlingHours)),
              cell(String(u.overdue)),
              cell(String(u.openOverdue)),
              cell(String(notices(u.supervision))),
              cell(pct(u.solvedRate)),
              cell(pct(u.resultSatisfaction)),
            ),
          ),
          '本期没有下级单位数据。',
        ),
      ),
    ),
  );
}

function render(r: Report) {
  const c = r.city;
  const specs = chartSpecs(r);
  const box = (spec: ChartSpec) =>
    spec.option ? h('div', { id: spec.id, class: 'chart', style: `height:${spec.height}px` }) : h('p', { class: 'muted' }, spec.empty);
  const boxes = {
    score: box(specs.score),
    onTime: box(specs.onTime),
    supervision: box(specs.supervision),
    category: box(specs.category),
    terms: box(specs.terms),
  };
  const names = (list: { unitName: string }[]) => list.map((u) => u.unitName).join('、') || '无';
  const content = [
    h(
      'p',
      { class: 'report-meta' },
      h('strong', {}, `${REPORT_KIND[r.kind]} ${r.period}`),
      statusLine(r),
      h('span', { class: 'muted' }, `编制于 ${formatTime(r.compiledAt)}`),
    ),
    h(
      'div',
      { class: 'figures' },
      figure('受理', String(c.received), `即办 ${c.answered} · 引导 ${c.guided}`),
      figure('交办', String(c.dispatched), `延期 ${c.extensions} · 重新交办 ${c.redispatches}`),
      figure('办结', String(c.closed), `平均 ${num(c.avgHandlingHours)} 小时 · P90 ${num(c.p90HandlingHours)} 小时`),
      figure('按期办结率', pct(c.onTimeRate), `超期 ${c.overdue} 件`),
      figure('结果满意率', pct(c.resultSatisfaction), `过程 ${pct(c.processSatisfaction)} · 解决率 ${pct(c.solvedRate)}`),
      figure('督办', String(notices(c.supervision)), `重点 ${c.supervision.key} · 移交 ${c.supervision.transferred}`),
      figure('派单准确率', pct(c.dispatchAccuracy), `首次交办 ${c.firstDispatched} 件 · 建议采纳率 ${pct(c.suggestionAdoption)}`),
    ),
    (r.policy.praiseCount > 0 || r.policy.criticiseCount > 0) &&
      h(
        'div',
        { class: 'panel verdicts' },
        h('p', {}, h('strong', {}, '表扬：'), names(r.praised)),
        h('p', {}, h('strong', {}, '批评：'), names(r.criticised)),
      ),
    h('div', { class: 'dashboard-grid' }, panel('单位得分排名', boxes.score), panel('按期办结率（按牵头单位）', boxes.onTime)),
    h('div', { class: 'dashboard-grid' }, panel('督办（按级别）', boxes.supervision), panel('受理（按分类）', boxes.category)),
    h(
      'div',
      { class: 'dashboard-grid' },
      panel('热点高频词', boxes.terms, r.hotspots.sampleRate < 1 && h('p', { class: 'muted' }, `按 ${pct(r.hotspots.sampleRate)} 的均匀抽样估算`)),
      panel(
        '上升热点、集中地点与重复投诉',
        h('p', {}, h('strong', {}, '上升较快：'), r.hotspots.rising.map((t) => `${t.term}（${t.previous} → ${t.count}）`).join('、') || '无'),
        h('p', {}, h('strong', {}, '集中地点：'), r.hotspots.byPlace.map((p) => `${p.place}（${p.count}）`).join('、') || '无'),
        h('p', {}, h('strong', {}, '重复投诉地址：'), r.hotspots.repeatAddresses.map((a) => `${a.address}（${a.count} 次）`).join('、') || '无'),
      ),
    ),
    panel(
      '单位指标',
      table(
        [
          '排名',
          '单位',
          '得分',
          '交办',
          '转派',
          '办结',
          '按期办结率',
          '平均时长',
          '超期',
          '延期',
          '重新交办',
          '派单准确率',
          '建议采纳率',
          '督办',
          '回访率',
          '解决率',
          '过程满意',
          '结果满意',
          '不属实',
        ],
        r.units.map((u) =>
          h(
            'tr',
            { dataset: { unit: u.unitId } },
            cell(u.rank ?? '—'),
            cell(u.unitName, ''),
            cell(num(u.score)),
            cell(String(u.dispatched)),
            cell(num(u.delegated)),
            cell(String(u.closed)),
            cell(pct(u.onTimeRate)),
            cell(num(u.avgHandlingHours)),
            cell(String(u.overdue)),
            cell(String(u.extensions)),
            cell(String(u.redispatches)),
            cell(pct(u.dispatchAccuracy)),
            cell(pct(u.suggestionAdoption)),
            cell(String(notices(u.supervision))),
            cell(pct(u.revisitRate)),
            cell(pct(u.solvedRate)),
            cell(pct(u.processSatisfaction)),
            cell(pct(u.resultSatisfaction)),
            cell(String(u.untrueRedone)),
          ),
        ),
        '本期没有单位数据。',
      ),
    ),
    subUnitsPanel(r),
    panel('典型案例', typicalSection(r)),
  ];
  // Drawn once the boxes are in the page (ECharts measures them); the handles are disposed when the view is left.
  const draw = () => (Object.keys(specs) as (keyof typeof specs)[]).flatMap((name) => (specs[name].option ? [chart(boxes[name], specs[name].option)] : []));
  return { content, draw };
}

export async function reportsView({ main, query: q, user }: ViewContext) {
  const asked = q.kind ?? '';
  const kind: ReportKind = asked in REPORT_KIND ? (asked as ReportKind) : 'monthly';
  const period = q.period || defaultPeriod(kind);
  const inputs = periodInputs(kind, period);
  const open = (k: ReportKind, p: string) => (location.hash = hashOf('/reports', { kind: k, period: p }));
  const isOffice = user.roles.includes('office');
  const body = h('div', { class: 'report-body' }, h('p', { class: 'muted' }, '正在统计…'));
  const startAdhoc = async () => {
    try {
      const started = await post<{ period: string }>('/api/reports/adhoc', inputs.range?.());
      toast(`已发起 ${started.period} 不定期点评，编制完成后在“待办”中审核发布`);
    } catch (e) {
      toast(e instanceof Error ? e.message : String(e), 'error');
    }
  };

  main.append(
    h(
      'form',
      { class: 'toolbar report-toolbar', onsubmit: (e: Event) => (e.preventDefault(), open(kind, inputs.value())) },
      h('h1', {}, '报表'),
      h(
        'nav',
        { class: 'report-kinds' },
        Object.entries(REPORT_KIND).map(([k, text]) =>
          h('a', { href: hashOf('/reports', { kind: k }), class: k === kind ? 'btn btn-primary btn-small' : 'btn btn-ghost btn-small' }, text),
        ),
      ),
      ...inputs.elements,
      h('button', { type: 'submit', class: 'btn btn-primary' }, '统计'),
      h(
        'button',
        {
          type: 'button',
          class: 'btn btn-ghost',
          onclick: () =>
            download(`/api/reports/${kind}${query({ period, format: 'xlsx' })}`, `平顶山市长热线${REPORT_KIND[kind]}-${period}.xlsx`).catch((e: unknown) =>
              toast(e instanceof Error ? e.message : String(e), 'error'),
            ),
        },
        '导出 Excel',
      ),
      h('a', { class: 'btn btn-ghost', href: `/bulletin.html${query({ kind, period })}`, target: '_blank', rel: 'noopener' }, '打印通报'),
      kind === 'adhoc' && isOffice && h('button', { type: 'button', class: 'btn btn-ghost', id: 'start-adhoc', onclick: startAdhoc }, '发起点评（审核后发布）'),
    ),
    body,
  );

  let report: Report;
  try {
    report = await get<Report>(`/api/reports/${kind}${query({ period })}`);
  } catch (e) {
    fill(body, h('div', { class: 'notice notice-error' }, e instanceof Error ? e.message : String(e)));
    return undefined;
  }
  const { content, draw } = render(report);
  fill(body, content);
  const charts = draw();
  return () => charts.forEach((c) => c.dispose());
}
