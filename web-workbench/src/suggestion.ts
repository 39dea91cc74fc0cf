/** The dispatch suggestion as the intake screen and the 分类交办 form show it: category with its reason, top three units. */
import { h, type Child } from '../../web-shared/src/dom';
import { CATEGORY, label } from '../../core/vocabulary';
import type { DispatchSuggestion } from '../../core/dispatch/suggestion';

export function suggestionView(s: DispatchSuggestion): Child[] {
  return [
    h('div', {}, `系统分类建议：${label(CATEGORY, s.category)}（${s.categoryReason}）`),
    s.candidates.length
      ? h('ol', { class: 'candidates' }, ...s.candidates.map((c) => h('li', {}, h('strong', {}, c.unitName), ` ${Math.round(c.score * 100)}% · ${c.reason}`)))
      : h('div', {}, '承办单位：暂无建议，由热线办指定'),
  ];
}
