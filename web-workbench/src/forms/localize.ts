/**
 * form-js 1.23 has no translations: its validation messages, placeholders and the date picker are English.
 * This puts them into Chinese — the date picker by flatpickr's own locale, messages by wrapping the
 * form's validator, the remaining fixed strings by watching the rendered form.
 */
import type { Form } from '@bpmn-io/form-js';
import flatpickr from 'flatpickr';
import { Mandarin } from 'flatpickr/dist/l10n/zh.js';

flatpickr.localize(Mandarin);

const MESSAGES: [RegExp, (n?: string) => string][] = [
  [/^Field is required\.$/, () => '此项为必填项'],
  [/^Field must have minimum length of (\d+)\.$/, (n) => `至少填写 ${n} 个字符`],
  [/^Field must have maximum length of (\d+)\.$/, (n) => `最多填写 ${n} 个字符`],
  [/^Field must have minimum value of (.+)\.$/, (n) => `不能小于 ${n}`],
  [/^Field must have maximum value of (.+)\.$/, (n) => `不能大于 ${n}`],
  [/^Field must match pattern/, () => '格式不正确'],
];

/** Chinese for a form-js validation message; messages the schema wrote itself (already Chinese) pass through. */
export function translateMessage(message: string): string {
  for (const [pattern, zh] of MESSAGES) {
    const m = message.match(pattern);
    if (m) return zh(m[1]);
  }
  return /[A-Za-z]{3}/.test(message) ? '填写内容不符合要求' : message;
}

const TEXTS: Record<string, string> = {
  Select: '请选择',
  'No results': '无匹配项',
  'All values selected': '已全部选中',
  Date: '日期',
  Time: '时间',
  Browse: '选择文件',
  'No files selected': '未选择文件',
};
const FILES_SELECTED = /^(\d+) files selected$/;
const PLACEHOLDERS: Record<string, string> = { Search: '输入以搜索', 'hh:mm': '时:分', 'hh:mm --': '时:分' };
const DATE_PLACEHOLDER = /^[ymd]+[/.-][ymd]+[/.-][ymd]+$/i;

function localizeTree(root: HTMLElement) {
  for (const input of root.querySelectorAll('input[placeholder]')) {
    const p = input.getAttribute('placeholder') ?? '';
    const zh = PLACEHOLDERS[p] ?? (DATE_PLACEHOLDER.test(p) ? '年/月/日' : undefined);
    if (zh) input.setAttribute('placeholder', zh);
  }
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node.nodeValue ?? '').trim();
    const zh = TEXTS[text] ?? text.replace(FILES_SELECTED, '已选择 $1 个文件');
    if (zh !== text) node.nodeValue = zh;
  }
}

/** Wraps the validator and keeps the rendered form Chinese; returns a function that stops watching. */
type Validate = (...args: unknown[]) => string[];

export function localizeForm(form: Form, container: HTMLElement): () => void {
  const validator = form.get('validator') as Record<'validateField' | 'validateFieldInstance', Validate>;
  for (const method of ['validateField', 'validateFieldInstance'] as const) {
    const original = validator[method].bind(validator);
    validator[method] = (...args) => original(...args).map(translateMessage);
  }
  localizeTree(container);
  const observer = new MutationObserver(() => localizeTree(container));
  observer.observe(container, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['placeholder'] });
  return () => observer.disconnect();
}
