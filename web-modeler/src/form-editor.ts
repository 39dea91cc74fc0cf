/**
 * The task-form editor: form-js FormEditor (palette, canvas, properties panel) on a deployed `.form`, and a
 * preview with the form-js viewer filled with sample work-order data. form-js 1.23 offers no translation
 * hook, so the editor's own labels stay as the library wrote them. The form's id is what user tasks name in
 * camunda:formRef: changing it is refused before deploying.
 */
import { Form, FormEditor } from '@bpmn-io/form-js';
import { h } from '../../web-shared/src/dom';
import type { Editor } from './editor';

/** The parts of a form-js schema this editor reads. */
interface Schema {
  id?: string;
  exporter?: { name: string; version: string };
  components?: { id?: string }[];
}

/** The form-js editor services used to select a component. */
interface FieldServices {
  formFieldRegistry: { get(id: string): unknown };
  selection: { set(field: unknown): void };
}

const UNITS = [
  { label: '新华区', value: 'xinhua' },
  { label: '市城市管理局', value: 'city-mgmt' },
  { label: '市住房和城乡建设局', value: 'housing' },
];

/** What the hotline's forms read besides their own fields: the handling unit's reply, unit options, the category suggestion. */
const SAMPLE_DATA = {
  suggestedCategory: 'B',
  level2Units: UNITS,
  level3Units: [
    { label: '矿工路街道', value: 'xinhua-kuanggonglu' },
    { label: '中兴路街道', value: 'xinhua-zhongxinglu' },
  ],
  feedback: {
    handledAt: '2026-11-27T10:00:00+08:00',
    responsible: { name: '李明', title: '城管执法中队队长', phone: '0375-2345678' },
    process: '接单后当日到现场核查，约谈摊主并清理占道摊点',
    result: '占道摊点已清理，安排每日巡查',
  },
  returnReason: '该事项不属于本单位职责范围',
  returnBasis: '《平顶山市市长热线工作规则》第十条',
  extensionReason: '需协调多个部门现场会商',
  requestedDueAt: '2026-12-10T18:00:00+08:00',
};

export function createFormEditor(host: HTMLElement): Editor {
  const editorEl = h('div', { class: 'form-editor' });
  const previewEl = h('div', { class: 'form-preview', hidden: true });
  host.replaceChildren(editorEl, previewEl);
  let editor: FormEditor | null = null;
  let preview: Form | null = null;
  let originalId: string | undefined;

  const schema = (): Schema => (editor?.saveSchema() ?? {}) as Schema;

  return {
    kind: 'form',
    async importXml(json: string) {
      const parsed = JSON.parse(json) as Schema;
      originalId = parsed.id;
      editor?.destroy();
      // the exporter stays the one the file names, so a deployed file differs only where it was edited
      editor = new FormEditor({ container: editorEl, exporter: parsed.exporter });
      const { warnings } = await editor.importSchema(parsed as Parameters<FormEditor['importSchema']>[0]);
      // the properties panel opens on the first field rather than on the collapsed form settings
      const first = parsed.components?.[0]?.id;
      if (first) this.reveal(first);
      return warnings;
    },
    async saveXml() {
      return `${JSON.stringify(schema(), null, 2)}\n`;
    },
    /** The id must stay: the diagrams' camunda:formRef names it. */
    clientErrors: () => (editor && schema().id !== originalId ? 1 : 0),
    clientErrorMessage: () => `表单 id 不能修改（流程中的用户任务按 id“${originalId}”引用此表单），请改回后再部署`,
    /** 预览: the viewer on the current schema with sample data, instead of the editor. */
    async setPreview(on: boolean) {
      preview?.destroy();
      preview = null;
      editorEl.hidden = on;
      previewEl.hidden = !on;
      if (!on) return;
      preview = new Form({ container: previewEl });
      await preview.importSchema(schema() as Parameters<Form['importSchema']>[0], structuredClone(SAMPLE_DATA));
    },
    showProblems() {},
    /** Selects the component a problem names, so the properties panel shows it. */
    reveal(id: string) {
      if (!editor) return;
      const field = editor.get<FieldServices['formFieldRegistry']>('formFieldRegistry').get(id);
      if (field) editor.get<FieldServices['selection']>('selection').set(field);
    },
    markDiff() {},
    clearDiff() {},
    showLive() {},
    clearLive() {},
    destroy() {
      preview?.destroy();
      editor?.destroy();
    },
  };
}
