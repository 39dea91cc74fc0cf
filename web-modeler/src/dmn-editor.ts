/** The DMN editor: dmn-js Modeler opened on the decision table, with the Camunda DMN extensions and Chinese labels. */
import DmnModeler, { type DmnView } from 'dmn-js/lib/Modeler';
import camundaDmnModdle from 'camunda-dmn-moddle/resources/camunda.json';
import { h } from '../../web-shared/src/dom';
import type { Editor } from './editor';
import { translateModule } from './i18n';

export function createDmnEditor(host: HTMLElement): Editor {
  const tabsEl = h('div', { class: 'dmn-tabs' });
  const canvasEl = h('div', { class: 'editor-canvas dmn-canvas' });
  host.replaceChildren(h('div', { class: 'dmn-wrap' }, tabsEl, canvasEl));

  // dmn-js passes additionalModules per view only (not from `common`), so each view gets the translations.
  const translated = { additionalModules: [translateModule] };
  const modeler = new DmnModeler({
    container: canvasEl,
    moddleExtensions: { camunda: camundaDmnModdle },
    drd: translated,
    decisionTable: translated,
    literalExpression: translated,
    boxedExpression: translated,
  });

  const label = (view: DmnView) =>
    `${view.type === 'drd' ? '决策需求图' : view.type === 'decisionTable' ? '决策表' : '文字表达式'}：${view.name ?? view.element.name ?? view.element.id}`;
  function renderTabs() {
    const active = modeler.getActiveView();
    tabsEl.replaceChildren(
      ...modeler
        .getViews()
        .map((v) => h('button', { type: 'button', class: v === active ? 'tab active' : 'tab', onclick: () => void modeler.open(v) }, label(v))),
    );
  }
  modeler.on('views.changed', renderTabs);

  return {
    kind: 'decision',
    async importXml(xml: string) {
      const { warnings } = await modeler.importXML(xml);
      const table = modeler.getViews().find((v) => v.type === 'decisionTable');
      if (table) await modeler.open(table);
      renderTabs();
      return warnings;
    },
    async saveXml() {
      return (await modeler.saveXML({ format: true })).xml;
    },
    clientErrors: () => 0,
    showProblems() {},
    reveal() {},
    markDiff() {},
    clearDiff() {},
    showLive() {},
    clearLive() {},
    destroy: () => modeler.destroy(),
  };
}
