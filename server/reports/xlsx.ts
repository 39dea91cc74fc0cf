/**
 * The report as an Excel workbook: 城市总体 (the city's indicators), 单位排名 (units by rank), 热点 (hotspots),
 * 典型案例 (typical cases), and 下级单位 (七(三): each level-2 unit's level-3 units, ranked among themselves).
 */
import ExcelJS from 'exceljs';
import type { Report } from '../../core/reports/compile';
import type { Indicators } from '../../core/reports/indicators';
import { TYPICAL_KINDS, TYPICAL_LABELS } from '../../core/reports/typical';
import { REPORT_KIND } from '../../core/vocabulary';

export const KIND_LABELS = REPORT_KIND;

type Column = { label: string; value: (i: Indicators) => number | null; percent?: boolean };

const COLUMNS: Column[] = [
  { label: '受理量', value: (i) => i.received },
  { label: '交办量', value: (i) => i.dispatched },
  { label: '转派三级单位', value: (i) => i.delegated },
  { label: '即办答复', value: (i) => i.answered },
  { label: '引导办理', value: (i) => i.guided },
  { label: '办结量', value: (i) => i.closed },
  { label: '移交件数', value: (i) => i.transferred },
  { label: '超期未办结', value: (i) => i.openOverdue },
  { label: '按期办结率', value: (i) => i.onTimeRate, percent: true },
  { label: '平均办理时长（小时）', value: (i) => i.avgHandlingHours },
  { label: '办理时长P90（小时）', value: (i) => i.p90HandlingHours },
  { label: '超期件数', value: (i) => i.overdue },
  { label: '延期次数', value: (i) => i.extensions },
  { label: '重新交办次数', value: (i) => i.redispatches },
  { label: '派单准确率', value: (i) => i.dispatchAccuracy, percent: true },
  { label: '建议采纳率', value: (i) => i.suggestionAdoption, percent: true },
  { label: '书面督办', value: (i) => i.supervision.written },
  { label: '现场督办', value: (i) => i.supervision.onsite },
  { label: '重点督办', value: (i) => i.supervision.key },
  { label: '移交', value: (i) => i.supervision.transferred },
  { label: '回访件数', value: (i) => i.revisited },
  { label: '单位回访件数', value: (i) => i.unitRevisited },
  { label: '回访率', value: (i) => i.revisitRate, percent: true },
  { label: '解决率', value: (i) => i.solvedRate, percent: true },
  { label: '过程满意率', value: (i) => i.processSatisfaction, percent: true },
  { label: '结果满意率', value: (i) => i.resultSatisfaction, percent: true },
  { label: '不属实重办', value: (i) => i.untrueRedone },
];

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

export async function reportWorkbook(report: Report): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '平顶山市12345市长热线';
  wb.created = new Date(report.compiledAt);

  const city = wb.addWorksheet('城市总体');
  city.columns = [
    { header: '指标', width: 24 },
    { header: `${KIND_LABELS[report.kind]} ${report.period}`, width: 20 },
  ];
  for (const c of COLUMNS) {
    const row = city.addRow([c.label, round(c.value(report.city))]);
    if (c.percent) row.getCell(2).numFmt = '0.00%';
  }

  const units = wb.addWorksheet('单位排名');
  units.columns = [
    { header: '排名', width: 6 },
    { header: '单位', width: 28 },
    { header: '得分', width: 8 },
    { header: '通报', width: 8 },
    ...COLUMNS.map((c) => ({ header: c.label, width: Math.max(10, c.label.length * 2) })),
  ];
  const praised = new Set(report.praised.map((u) => u.unitId));
  const criticised = new Set(report.criticised.map((u) => u.unitId));
  for (const u of report.units) {
    const verdict = praised.has(u.unitId) ? '表扬' : criticised.has(u.unitId) ? '批评' : '';
    const row = units.addRow([u.rank, u.unitName, u.score, verdict, ...COLUMNS.map((c) => round(c.value(u)))]);
    COLUMNS.forEach((c, i) => c.percent && (row.getCell(5 + i).numFmt = '0.00%'));
  }

  const sub = wb.addWorksheet('下级单位');
  sub.columns = [
    { header: '上级单位', width: 24 },
    { header: '排名', width: 6 },
    { header: '单位', width: 28 },
    { header: '得分', width: 8 },
    ...COLUMNS.map((c) => ({ header: c.label, width: Math.max(10, c.label.length * 2) })),
  ];
  // a report published before 七(三) has no level-3 rows
  for (const g of report.subUnits ?? []) {
    for (const u of g.units) {
      const row = sub.addRow([g.parentName, u.rank, u.unitName, u.score, ...COLUMNS.map((c) => round(c.value(u)))]);
      COLUMNS.forEach((c, i) => c.percent && (row.getCell(5 + i).numFmt = '0.00%'));
    }
  }

  const hot = wb.addWorksheet('热点');
  hot.columns = [
    { header: '类别', width: 14 },
    { header: '事项', width: 40 },
    { header: '件数', width: 10 },
    { header: '上期', width: 10 },
  ];
  for (const c of report.hotspots.byCategory) hot.addRow(['分类', c.category, c.count]);
  for (const p of report.hotspots.byPlace) hot.addRow(['地点', p.place, p.count]);
  for (const t of report.hotspots.terms) hot.addRow(['高频词', t.term, t.count]);
  for (const t of report.hotspots.rising) hot.addRow(['上升热点', t.term, t.count, t.previous]);
  for (const a of report.hotspots.repeatAddresses) hot.addRow(['重复投诉地址', a.address, a.count]);

  const typical = wb.addWorksheet('典型案例');
  typical.columns = [
    { header: '类别', width: 18 },
    { header: '工单编号', width: 22 },
    { header: '承办单位', width: 24 },
    { header: '分类', width: 6 },
    { header: '地址', width: 30 },
    { header: '诉求摘要', width: 50 },
    { header: '情况', width: 50 },
  ];
  for (const kind of TYPICAL_KINDS) {
    // a report published before typical cases were listed has none
    for (const c of report.typicalCases?.[kind] ?? [])
      typical.addRow([TYPICAL_LABELS[kind], c.code, c.unitName ?? '', c.category ?? '', c.address, c.summary, c.reason]);
  }

  for (const ws of [city, units, sub, hot, typical]) ws.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
