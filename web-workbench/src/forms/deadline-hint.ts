/** While the office picks a category, shows the deadline that category would get if dispatched now (R4). */
import { get, query } from '../api.js';
import { h, fill } from '../dom.js';
import { CATEGORY, label } from '../labels.js';
import { formatTime } from '../time.js';

export function deadlineHint(form) {
  const el = h('p', { class: 'deadline-hint', 'aria-live': 'polite' });
  let shown = '';
  const update = async (data) => {
    const key = data.disposition === 'dispatch' && data.category ? data.category : '';
    if (key === shown) return;
    shown = key;
    if (!key) return void fill(el);
    try {
      const d = await get(`/api/calendar/deadline${query({ from: new Date().toISOString(), category: key })}`);
      if (shown === key) fill(el, `按「${label(CATEGORY, key)}」现在交办，办理期限至 ${formatTime(d.dueAt)}`, h('small', {}, `（${d.basis}${d.provisional ? '，节假日安排未公布，暂定' : ''}）`));
    } catch (e) {
      fill(el, e.message);
    }
  };
  form.on('changed', ({ data }) => void update(data));
  void update(form._getState().data);
  return el;
}
