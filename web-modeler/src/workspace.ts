/**
 * The modeler's frame and the state its features share: the sidebar sections, the toolbar, the editor host, the
 * side panel and the status line; the open document; and a small event bus the features talk through
 * (bpmn-js style), so each feature module depends only on the workspace and what it names.
 */
import { ApiError } from '../../web-shared/src/api';
import { h, type Child } from '../../web-shared/src/dom';
import type { User } from '../../web-shared/src/session';
import type { Editor } from './editor';
import type { Definition, Kind, Problem } from './model';

/** The open document: its editor, the file name it deploys under, and the deployed definition it shows (if any). */
export interface Doc {
  kind: Kind;
  fileName: string;
  editor: Editor;
  def: Definition | null;
}

export type Tone = 'info' | 'ok' | 'warn' | 'error';

/** What happens in the workspace, and what each event carries. */
export interface Events {
  /** A document was opened in a fresh editor. */
  opened: Doc;
  /** The open document's content is in its editor (it can be checked and deployed). */
  imported: Doc;
  /** A deployed definition was opened (its versions can be loaded). */
  'definition.opened': Definition;
  /** Something was deployed: lists and versions are stale. */
  deployed: undefined;
  'signed-out': string | undefined;
}

export class Workspace {
  doc: Doc | null = null;
  readonly root: HTMLElement;

  readonly sidebar = h('aside', { class: 'sidebar' });
  readonly title = h('div', { class: 'doc-title' }, '请从左侧选择要编辑的流程或决策表');
  readonly toolbar = h('div', { class: 'toolbar' }, this.title, h('span', { class: 'spacer' }));
  readonly editorHost = h('div', { class: 'editor-host empty' }, h('p', {}, '尚未打开任何流程或决策表'));
  readonly sidePanel = h('section', { class: 'side-panel', hidden: true });
  readonly comment = h('input', { class: 'comment', placeholder: '部署说明（必填），如：B类时限改为3个工作日', maxlength: 200 });
  private readonly status = h('div', { class: 'status', role: 'status' });
  private readonly problems = h('ul', { class: 'problems' });
  private readonly listeners = new Map<keyof Events, ((payload: never) => void)[]>();

  constructor(
    readonly user: User,
    onLogout: () => void,
  ) {
    this.root = h(
      'div',
      { class: 'shell' },
      h(
        'header',
        { class: 'topbar' },
        h('strong', {}, '平顶山市12345 · 流程建模'),
        h('span', { class: 'spacer' }),
        h('span', {}, `${user.displayName}（${user.username}）`),
        h('button', { type: 'button', class: 'link', onclick: onLogout }, '退出登录'),
      ),
      h(
        'div',
        { class: 'layout' },
        this.sidebar,
        h('main', { class: 'workspace' }, this.toolbar, this.editorHost, this.sidePanel, h('section', { class: 'problems-panel' }, this.status, this.problems)),
      ),
    );
  }

  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (payload: never) => void]);
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: Events[E]) => void)(payload);
  }

  /** A titled section of the sidebar. */
  section(title: string, ...content: Node[]): void {
    this.sidebar.append(h('h2', {}, title), ...content);
  }

  setStatus(text: string, tone: Tone = 'info'): void {
    this.status.className = `status ${tone}`;
    this.status.textContent = text;
  }

  showProblems(problems: Problem[]): void {
    this.problems.replaceChildren(
      ...problems.map((p) =>
        h(
          'li',
          { onclick: () => p.elementId && this.doc?.editor.reveal(p.elementId), title: p.elementId ? '点击在图中定位' : '' },
          h('span', { class: 'p-file' }, p.file),
          h('code', { class: 'p-element' }, p.elementId ?? '（整个文件）'),
          h('span', { class: 'p-message' }, p.message),
        ),
      ),
    );
    this.doc?.editor.showProblems(problems);
  }

  openPanel(title: string, ...content: Child[]): void {
    this.sidePanel.hidden = false;
    this.sidePanel.replaceChildren(
      h('h3', {}, title, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: () => this.closePanel() }, '关闭')),
    );
    for (const c of content.flat()) if (c instanceof Node) this.sidePanel.append(c);
  }

  closePanel(): void {
    this.doc?.editor.clearDiff();
    this.sidePanel.hidden = true;
    this.sidePanel.replaceChildren();
  }

  /** A question in the side panel with one button that does it. */
  confirmBar(question: string, label: string, action: () => Promise<unknown>): HTMLElement {
    const btn = h('button', { type: 'button', class: 'primary', onclick: async () => ((btn.disabled = true), await action()) }, label);
    return h('div', { class: 'confirm-bar' }, h('span', {}, question), btn, h('button', { type: 'button', onclick: () => this.closePanel() }, '取消'));
  }

  /** An expired session signs out; anything else is said in the status line. */
  handleError(err: unknown): void {
    if (err instanceof ApiError && err.status === 401) return this.emit('signed-out', '登录已过期，请重新登录');
    this.setStatus(err instanceof Error ? err.message : String(err), 'error');
  }
}
