/** While the office picks a category, shows the deadline that category would get if dispatched now (R4). */
import type { Form } from '@bpmn-io/form-js';
import { get, query } from '../../../web-shared/src/api';
import { h, fill } from '../../../web-shared/src/dom';
import { CATEGORY, label } from '../../../core/vocabulary';
import { formatTime } from '../../../web-shared/src/time';

/** GET /api/calendar/deadline: when a case dispatched now would be due, and by which rule. */
interface Deadline {
  dueAt: string;
  basis: string;
  provisional: boolean;
}

type Data = Record<string, unknown>;

export function deadlineHint(form: Form): HTMLElement {
  const el = h('p', { class: 'deadline-hint', 'aria-live': 'polite' });
  let shown = '';
  const update = async (data: Data) => {
    const key = data.disposition === 'dispatch' && typeof data.category === 'string' ? data.category : '';
    if (key === shown) return;
    shown = key;
    if (!key) return void fill(el);
    try {
      const d = await get<Deadline>(`/api/calendar/deadline${query({ from: new Date().toISOString(), category: key })}`);
      if (shown === key)
        fill(
          el,
          `按「${label(CATEGORY, key)}」现在交办，办理期限至 ${formatTime(d.dueAt)}`,
          h('small', {}, `（${d.basis}${d.provisional ? '，节假日安排未公布，暂定' : ''}）`),
        );
    } catch (e) {
      fill(el, e instanceof Error ? e.message : String(e));
    }
  };
  form.on('changed', ({ data }: { data: Data }) => void update(data));
  void update(form._getState().data as Data);
  return el;
}
