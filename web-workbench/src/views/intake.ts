/**
 * 受理: the operator types while on the phone, so the form works from the keyboard. Enter moves to the
 * next field; Enter in the content (Shift+Enter for a new line) or Ctrl+Enter anywhere saves.
 * After a phone number the caller's earlier work orders are shown; as the address and content are typed,
 * open work orders like this call are shown as 疑似重复 (GET /api/cases/similar), and the category and lead unit
 * the decision tables suggest (GET /api/suggestions). A leader's written instruction (来源渠道 领导批示, 一(四)) is
 * registered here too: the leader, the instruction and its due date replace the caller, who becomes optional.
 */
import { get, idempotencyKey, post, query } from '../../../web-shared/src/api';
import { h, fill } from '../../../web-shared/src/dom';
import { BEIJING_OFFSET, CASE_FLAG, CASE_FLAGS, CASE_STATUS, CATEGORY, CHANNEL, INSTRUCTION_CHANNEL, label, PHONE_PATTERN } from '../../../core/vocabulary';
import { ApiError } from '../../../web-shared/src/api';
import { formatTime } from '../../../web-shared/src/time';
import type { DispatchSuggestion } from '../../../core/dispatch/suggestion';
import { suggestionView } from '../suggestion';
import type { CaseDetail, WorkOrder } from '../model';
import type { ViewContext } from '../view';

const PHONE = new RegExp(`^${PHONE_PATTERN}$`);

/** An open work order like the call being taken (GET /api/cases/similar). */
interface SimilarCase extends Pick<WorkOrder, 'id' | 'code' | 'status' | 'createdAt' | 'address' | 'content'> {
  samePhone: boolean;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function field(id: string, text: string, control: HTMLElement, hint?: HTMLElement) {
  return h(
    'div',
    { class: 'field', dataset: { field: id } },
    h('label', { for: `intake-${id}` }, text),
    control,
    hint,
    h('p', { class: 'field-error', id: `intake-${id}-error` }),
  );
}

export function intakeView({ main }: ViewContext) {
  const inputs = {
    name: h('input', { id: 'intake-name', maxlength: 50, autocomplete: 'off', placeholder: '例如：张先生' }),
    phone: h('input', { id: 'intake-phone', maxlength: 20, autocomplete: 'off', inputmode: 'tel', placeholder: '来电号码或联系电话' }),
    address: h('input', { id: 'intake-address', maxlength: 200, autocomplete: 'off', placeholder: '区县、街道、门牌号' }),
    channel: h(
      'select',
      { id: 'intake-channel' },
      Object.entries(CHANNEL).map(([value, text]) => h('option', { value }, text)),
    ),
    leaderName: h('input', { id: 'intake-leaderName', maxlength: 50, autocomplete: 'off', placeholder: '例如：张副市长' }),
    dueAt: h('input', { id: 'intake-dueAt', type: 'datetime-local' }),
    directive: h('textarea', { id: 'intake-directive', maxlength: 5000, rows: 3, placeholder: '领导批示的原文' }),
    content: h('textarea', { id: 'intake-content', maxlength: 5000, rows: 7, placeholder: '反映人诉求的内容（回车保存，Shift+回车换行）' }),
  };
  type FieldId = keyof typeof inputs;
  // 四 D 突发性、敏感性、群体性: a flagged call is reported at once to the office's leaders
  const flagBoxes = CASE_FLAGS.map((value) => h('input', { type: 'checkbox', id: `intake-flag-${value}`, value }));
  const flags = h(
    'fieldset',
    { class: 'field intake-flags' },
    h('legend', {}, '事项性质（勾选即报告热线办领导）'),
    CASE_FLAGS.map((value, i) => h('label', { for: `intake-flag-${value}`, class: 'checkbox' }, flagBoxes[i], label(CASE_FLAG, value))),
  );
  // 一(四) 领导批示件: shown for the 领导批示 channel only
  const instruction = h(
    'fieldset',
    { class: 'field instruction-fields', hidden: true },
    h('legend', {}, '领导批示件（批示领导、批示内容必填；办理期限选填，不填按分类时限）'),
    h('div', { class: 'field-row' }, field('leaderName', '批示领导', inputs.leaderName), field('dueAt', '批示办理期限（北京时间）', inputs.dueAt)),
    field('directive', '批示内容', inputs.directive),
  );
  const isInstruction = () => inputs.channel.value === INSTRUCTION_CHANNEL;
  inputs.channel.addEventListener('change', () => {
    instruction.hidden = !isInstruction();
    for (const id of ['name', 'phone', 'address'] as const) main.querySelector(`[data-field="${id}"] label`)?.classList.toggle('optional', isInstruction());
  });
  const order: FieldId[] = ['name', 'phone', 'address', 'channel', 'leaderName', 'dueAt', 'directive', 'content'];
  const isField = (id: string): id is FieldId => (order as string[]).includes(id);
  const history = h(
    'section',
    { class: 'panel caller-history', 'aria-live': 'polite' },
    h('h2', {}, '来电人历史工单'),
    h('p', { class: 'muted' }, '输入联系电话后显示该来电人以往的工单。'),
  );
  const similar = h('section', { class: 'panel similar-cases', hidden: true, 'aria-live': 'polite' });
  const result = h('div', { 'aria-live': 'polite' });
  const suggestion = h('div', { class: 'muted suggestion', 'aria-live': 'polite' }, '输入诉求内容后显示系统分类和承办单位建议。');
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, '保存受理（Ctrl+回车）');
  const form = h(
    'form',
    { class: 'panel intake-form', novalidate: true, onsubmit: (e: Event) => (e.preventDefault(), void submit()) },
    h('h2', {}, '受理登记'),
    h('div', { class: 'field-row' }, field('name', '反映人姓名', inputs.name), field('phone', '联系电话', inputs.phone)),
    h('div', { class: 'field-row' }, field('address', '地址', inputs.address), field('channel', '来源渠道', inputs.channel)),
    instruction,
    field('content', '诉求内容', inputs.content, suggestion),
    flags,
    h('div', { class: 'actions' }, save, h('span', { class: 'muted' }, '回车跳到下一项；在诉求内容中回车保存')),
  );

  const errorOf = (id: FieldId) => main.querySelector(`#intake-${id}-error`);
  const clearErrors = () => order.forEach((id) => fill(errorOf(id) ?? h('p')));

  function showError(id: FieldId, message: string) {
    fill(errorOf(id) ?? h('p'), message);
    inputs[id].focus();
  }

  /** Server fields are citizen.name, citizen.phone, address, channel, content and instruction.leaderName, .text, .dueAt. */
  const SERVER_FIELDS: Record<string, FieldId> = {
    'citizen.name': 'name',
    'citizen.phone': 'phone',
    citizen: 'name',
    instruction: 'leaderName',
    'instruction.leaderName': 'leaderName',
    'instruction.text': 'directive',
    'instruction.dueAt': 'dueAt',
  };
  const fieldOfServer = (f: string | undefined) => SERVER_FIELDS[f ?? ''] ?? f ?? '';

  // One key per call being registered: a retry of the same submission registers it once.
  let submission = idempotencyKey();

  async function submit() {
    clearErrors();
    const citizen = { name: inputs.name.value.trim(), phone: inputs.phone.value.trim() };
    const address = inputs.address.value.trim();
    const directive = isInstruction();
    const body = {
      channel: inputs.channel.value,
      // a 领导批示件 names its caller only if there is one
      ...(!directive || citizen.name || citizen.phone ? { citizen } : {}),
      ...(!directive || address ? { address } : {}),
      // a 领导批示件 without its own description takes the instruction's text
      ...(!directive || inputs.content.value.trim() ? { content: inputs.content.value.trim() } : {}),
      flags: flagBoxes.filter((b) => b.checked).map((b) => b.value),
      ...(directive
        ? {
            instruction: {
              leaderName: inputs.leaderName.value.trim(),
              text: inputs.directive.value.trim(),
              ...(inputs.dueAt.value ? { dueAt: `${inputs.dueAt.value}:00${BEIJING_OFFSET}` } : {}),
            },
          }
        : {}),
    };
    const required: [FieldId, string, string][] = directive
      ? [
          ['leaderName', inputs.leaderName.value.trim(), '请填写批示领导'],
          ['directive', inputs.directive.value.trim(), '请填写批示内容'],
        ]
      : [
          ['name', citizen.name, '请填写反映人姓名'],
          ['phone', citizen.phone, '请填写联系电话'],
          ['address', address, '请填写地址'],
          ['content', inputs.content.value.trim(), '请填写诉求内容'],
        ];
    const missing = required.find(([, v]) => !v);
    if (missing) return showError(missing[0], missing[2]);
    if ((!directive || citizen.phone) && !PHONE.test(citizen.phone)) return showError('phone', '电话号码格式不正确（数字，可含“-”）');
    save.disabled = true;
    try {
      const created = await post<WorkOrder>('/api/cases', body, { 'idempotency-key': submission });
      const detail = await get<CaseDetail>(`/api/cases/${created.id}`);
      showResult(
        created,
        detail.tasks.find((t) => t.taskKey === 'dispatch'),
      );
      form.reset();
      submission = idempotencyKey();
      inputs.channel.dispatchEvent(new Event('change'));
      showSimilar([]);
      fill(history, h('h2', {}, '来电人历史工单'), h('p', { class: 'muted' }, '输入联系电话后显示该来电人以往的工单。'));
      inputs.name.focus();
    } catch (e) {
      const id = fieldOfServer(e instanceof ApiError ? e.field : undefined);
      if (isField(id)) showError(id, message(e));
      else fill(result, h('div', { class: 'notice notice-error' }, message(e)));
    } finally {
      save.disabled = false;
    }
  }

  function showResult(created: WorkOrder, dispatchTask: { id: string } | undefined) {
    fill(
      result,
      h(
        'div',
        { class: 'notice notice-ok saved-case' },
        h('strong', {}, `已受理，工单号 ${created.code}`),
        h('span', {}, `系统分类建议：${label(CATEGORY, created.suggestedCategory, '暂无建议')}`),
        h('a', { href: `#/cases/${created.id}` }, '查看工单'),
        dispatchTask && h('a', { href: `#/tasks/${dispatchTask.id}`, class: 'btn btn-small' }, '去分类交办'),
      ),
    );
  }

  let lookedUp = '';
  async function showHistory() {
    const phone = inputs.phone.value.trim();
    if (!PHONE.test(phone) || phone === lookedUp) return;
    lookedUp = phone;
    try {
      const { items, total } = await get<{ items: WorkOrder[]; total: number }>(`/api/cases${query({ q: phone, pageSize: 5 })}`);
      if (phone !== inputs.phone.value.trim()) return;
      fill(
        history,
        h('h2', {}, `来电人历史工单（${total} 件）`),
        items.length === 0
          ? h('p', { class: 'muted' }, '该号码没有历史工单。')
          : h(
              'ul',
              { class: 'history-list' },
              items.map((c) =>
                h(
                  'li',
                  {},
                  h('a', { href: `#/cases/${c.id}` }, c.code),
                  h('span', { class: `badge status-${c.status}` }, label(CASE_STATUS, c.status)),
                  h('span', { class: 'muted' }, formatTime(c.createdAt)),
                  h('p', { class: 'clip' }, c.content),
                ),
              ),
            ),
        total > items.length && h('a', { href: `#/cases?q=${encodeURIComponent(phone)}` }, `查看全部 ${total} 件`),
      );
    } catch (e) {
      fill(history, h('h2', {}, '来电人历史工单'), h('p', { class: 'field-error' }, message(e)));
    }
  }

  function showSimilar(items: SimilarCase[]) {
    similar.hidden = items.length === 0;
    fill(
      similar,
      h('h2', {}, `疑似重复（${items.length} 件未办结）`),
      h('p', { class: 'muted' }, '以下工单地址相同或相近、诉求相似，请核实是否为重复来电。'),
      h(
        'ul',
        { class: 'history-list' },
        items.map((c) =>
          h(
            'li',
            {},
            h('a', { href: `#/cases/${c.id}`, target: '_blank' }, c.code),
            h('span', { class: `badge status-${c.status}` }, label(CASE_STATUS, c.status)),
            c.samePhone && h('span', { class: 'badge badge-warn' }, '同一来电号码'),
            h('span', { class: 'muted' }, formatTime(c.createdAt)),
            h('p', { class: 'clip' }, `${c.address}：${c.content}`),
          ),
        ),
      ),
    );
  }

  let similarAsked = '';
  async function findSimilar() {
    const phone = inputs.phone.value.trim();
    const ask = { address: inputs.address.value.trim(), content: inputs.content.value.trim().slice(0, 300), phone: PHONE.test(phone) ? phone : undefined };
    if (ask.address.length < 4 && !ask.phone) return showSimilar([]);
    const key = query(ask);
    if (key === similarAsked) return;
    similarAsked = key;
    try {
      const { items } = await get<{ items: SimilarCase[] }>(`/api/cases/similar${key}`);
      if (key === similarAsked) showSimilar(items);
    } catch {
      similarAsked = '';
    }
  }

  let suggestedFor = '';
  async function suggest() {
    const ask = { content: inputs.content.value.trim(), address: inputs.address.value.trim() };
    if (!ask.content) return;
    const key = JSON.stringify(ask);
    if (key === suggestedFor) return;
    suggestedFor = key;
    try {
      const s = await post<DispatchSuggestion>('/api/suggestions', ask);
      if (key !== suggestedFor) return;
      fill(suggestion, ...suggestionView(s));
    } catch {
      suggestedFor = '';
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let similarTimer: ReturnType<typeof setTimeout> | undefined;
  let suggestTimer: ReturnType<typeof setTimeout> | undefined;
  for (const id of ['address', 'content'] as const) {
    inputs[id].addEventListener('input', () => {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(() => void suggest(), 400);
    });
  }
  inputs.phone.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void showHistory(), 400);
  });
  for (const id of ['phone', 'address', 'content'] as const) {
    inputs[id].addEventListener('input', () => {
      clearTimeout(similarTimer);
      similarTimer = setTimeout(() => void findSimilar(), 500);
    });
  }
  inputs.phone.addEventListener('blur', () => void showHistory());

  form.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' || e.isComposing) return;
    const id = order.find((k) => inputs[k] === e.target);
    if (e.ctrlKey || e.metaKey || (id === 'content' && !e.shiftKey)) {
      e.preventDefault();
      void submit();
    } else if (id && id !== 'content' && id !== 'directive') {
      e.preventDefault();
      const next = order.slice(order.indexOf(id) + 1).find((k) => !inputs[k].closest('[hidden]')) ?? 'content';
      inputs[next].focus();
    }
  });

  main.append(h('div', { class: 'intake-layout' }, h('div', {}, form, result), h('div', {}, similar, history)));
  inputs.name.focus();
  return () => (clearTimeout(timer), clearTimeout(similarTimer), clearTimeout(suggestTimer));
}
