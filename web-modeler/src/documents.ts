/**
 * Opening documents: a deployed process or decision, or a local .bpmn/.dmn/.form file, each in a fresh editor of
 * its kind. Announces `opened` (and `definition.opened` for a deployed one) for the other features.
 */
import { h } from '../../web-shared/src/dom';
import { createBpmnEditor } from './bpmn-editor';
import { createDmnEditor } from './dmn-editor';
import type { Editor } from './editor';
import { createFormEditor } from './form-editor';
import { modelerApi } from './api';
import { EXTENSION, KIND_LABEL, type Definition, type Kind } from './model';
import type { Workspace } from './workspace';

const EDITORS: Record<Kind, (host: HTMLElement) => Editor> = { process: createBpmnEditor, decision: createDmnEditor, form: createFormEditor };

export interface Documents {
  open(kind: Kind, xml: string, fileName: string, title: string, def?: Definition | null): Promise<void>;
  openDefinition(d: Definition): Promise<void>;
  /** The open document as the file it deploys as. */
  currentFile(): Promise<{ name: string; content: string }>;
  /** The sidebar's picker of a local file. */
  localFile: HTMLElement;
}

export function createDocuments(ws: Workspace): Documents {
  async function open(kind: Kind, xml: string, fileName: string, title: string, def: Definition | null = null) {
    ws.doc?.editor.destroy();
    ws.doc = null;
    ws.closePanel();
    ws.editorHost.classList.remove('empty');
    const editor = EDITORS[kind](ws.editorHost);
    const doc = { kind, fileName, editor, def };
    ws.doc = doc;
    ws.showProblems([]);
    ws.emit('opened', doc);
    try {
      const warnings = await editor.importXml(xml);
      ws.title.textContent = title;
      ws.emit('imported', doc);
      ws.setStatus(warnings.length ? `已打开，但有 ${warnings.length} 处无法识别的内容` : `已打开 ${fileName}`, warnings.length ? 'warn' : 'info');
    } catch (err) {
      ws.setStatus(`无法打开 ${fileName}：${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  }

  async function openDefinition(d: Definition) {
    try {
      ws.setStatus(`正在加载 ${d.name ?? d.key}…`);
      const { xml } = await modelerApi.xml(d.kind, d.id);
      await open(d.kind, xml, d.resource, `${KIND_LABEL[d.kind]}：${d.name ?? d.key}（${d.key} · 版本 ${d.version}）`, d);
      ws.emit('definition.opened', d);
    } catch (err) {
      ws.handleError(err);
    }
  }

  async function openLocal(file: File | undefined) {
    if (!file) return;
    const kind = (Object.keys(EXTENSION) as Kind[]).find((k) => file.name.endsWith(EXTENSION[k]));
    if (!kind) return ws.setStatus('只能打开 .bpmn、.dmn 或 .form 文件', 'error');
    await open(kind, await file.text(), file.name, `本地文件：${file.name}`);
  }

  async function currentFile() {
    const doc = ws.doc;
    if (!doc) throw new Error('尚未打开任何文件');
    const name = doc.fileName.endsWith(EXTENSION[doc.kind]) ? doc.fileName : `${doc.fileName}${EXTENSION[doc.kind]}`;
    return { name, content: await doc.editor.saveXml() };
  }

  const fileInput = h('input', { type: 'file', accept: '.bpmn,.dmn,.form', class: 'visually-hidden' });
  fileInput.addEventListener('change', () => void openLocal(fileInput.files?.[0]));
  const localFile = h('label', { class: 'file-button' }, '选择 .bpmn、.dmn 或 .form 文件…', fileInput);

  return { open, openDefinition, currentFile, localFile };
}
