/** The DMN editor: dmn-js Modeler opened on the decision table, with the Camunda DMN extensions and Chinese labels. */
import DmnModeler from 'dmn-js/lib/Modeler';
import camundaDmnModdle from 'camunda-dmn-moddle/resources/camunda.json';
import { h } from './dom.js';
import { translateModule } from './i18n.js';

export function createDmnEditor(host) {
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

  const label = (view) => `${view.type === 'drd' ? '决策需求图' : view.type === 'decisionTable' ? '决策表' : '文字表达式'}：${view.name ?? view.element.name ?? view.element.id}`;
  function renderTabs() {
    const active = modeler.getActiveView();
    tabsEl.replaceChildren(
      ...modeler.getViews().map((v) =>
        h('button', { type: 'button', class: v === active ? 'tab active' : 'tab', onclick: () => modeler.open(v) }, label(v)),
      ),
    );
  }
  modeler.on('views.changed', renderTabs);

  return {
    kind: 'decision',
    async importXml(xml) {
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
    clearProblems() {},
    showProblems() {},
    reveal() {},
    markDiff() {},
    clearDiff() {},
    showLive() {},
    clearLive() {},
    destroy: () => modeler.destroy(),
  };
}
