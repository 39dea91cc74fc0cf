/**
 * ECharts for the report pages: only the bar and pie charts, tooltip, legend and grid they use, drawn as SVG
 * (crisp when printed, and its text is in the page). `chart(el, option)` draws into an element and returns
 * a handle whose `dispose()` a view calls when it is left.
 */
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export const COLORS = { main: '#b3261e', ok: '#2e7d32', warn: '#ef6c00', muted: '#9e9e9e', blue: '#1565c0' };

export type EChartsOption = EChartsCoreOption;

export function chart(el: HTMLElement, option: EChartsOption): { dispose(): void } {
  const instance = echarts.init(el, null, { renderer: 'svg' });
  instance.setOption({ textStyle: { fontFamily: 'inherit' }, animation: false, ...option });
  const resize = () => instance.resize();
  window.addEventListener('resize', resize);
  return {
    dispose() {
      window.removeEventListener('resize', resize);
      instance.dispose();
    },
  };
}

/** A horizontal bar chart of labelled values, best first from the top. */
export function barOption({
  labels,
  values,
  colors,
  format = (v: number) => String(v),
  max,
}: {
  labels: string[];
  values: number[];
  colors?: string[];
  format?: (v: number) => string;
  max?: number;
}): EChartsOption {
  return {
    grid: { left: 168, right: 56, top: 8, bottom: 24 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: format },
    xAxis: { type: 'value', max, axisLabel: { formatter: format } },
    yAxis: { type: 'category', inverse: true, data: labels, axisLabel: { width: 156, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        data: values.map((value, i) => ({ value, itemStyle: { color: colors?.[i] ?? COLORS.main } })),
        label: { show: true, position: 'right', formatter: ({ value }: { value: number }) => format(value) },
        barMaxWidth: 18,
      },
    ],
  };
}

/** A ring chart of named counts. */
export function pieOption(items: { name: string; value: number }[]): EChartsOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}（{d}%）' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['35%', '65%'], center: ['50%', '45%'], data: items, label: { formatter: '{b}\n{c}' } }],
  };
}
