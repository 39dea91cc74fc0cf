/**
 * The BPMN editor: bpmn-js Modeler with the Camunda 7 properties panel, Camunda behaviours, live bpmnlint
 * and the server's problems drawn as red markers on the elements they name.
 */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import camundaBehaviors from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import { h } from './dom.js';
import { translateModule } from './i18n.js';
import { bpmnlintConfig } from './lint-config.js';

const PROBLEM = 'server-problem';

export function createBpmnEditor(host) {
  const canvasEl = h('div', { class: 'editor-canvas' });
  const panelEl = h('div', { class: 'editor-properties' });
  host.replaceChildren(canvasEl, panelEl);

  const modeler = new BpmnModeler({
    container: canvasEl,
    propertiesPanel: { parent: panelEl },
    linting: { bpmnlint: bpmnlintConfig, active: true },
    additionalModules: [BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule, camundaBehaviors, lintModule, translateModule],
    moddleExtensions: { camunda: camundaModdle },
  });
  let lintErrors = 0;
  modeler.on('linting.completed', ({ issues }) => {
    lintErrors = Object.values(issues)
      .flat()
      .filter((i) => i.category === 'error').length;
  });

  const overlays = modeler.get('overlays');
  const canvas = modeler.get('canvas');
  const registry = modeler.get('elementRegistry');
  let marked = [];

  /** Fits the diagram to the canvas, no larger than 100 %, leaving room for the palette on the left. */
  function fit() {
    const { inner, outer } = canvas.viewbox();
    const scale = Math.min((outer.width - 160) / inner.width, (outer.height - 60) / inner.height, 1);
    canvas.viewbox({ x: inner.x - 140 / scale, y: inner.y - 30 / scale, width: outer.width / scale, height: outer.height / scale });
  }

  return {
    kind: 'process',
    async importXml(xml) {
      marked = [];
      const { warnings } = await modeler.importXML(xml);
      fit();
      return warnings;
    },
    async saveXml() {
      return (await modeler.saveXML({ format: true })).xml;
    },
    /** Errors the live bpmnlint found: deploying is refused while there are any. */
    clientErrors: () => lintErrors,
    clearProblems() {
      overlays.remove({ type: PROBLEM });
      for (const id of marked) if (registry.get(id)) canvas.removeMarker(id, PROBLEM);
      marked = [];
    },
    showProblems(problems) {
      this.clearProblems();
      for (const p of problems) {
        if (!p.elementId || !registry.get(p.elementId)) continue;
        canvas.addMarker(p.elementId, PROBLEM);
        marked.push(p.elementId);
        overlays.add(p.elementId, PROBLEM, { position: { top: -10, left: -10 }, html: h('div', { class: 'problem-badge', title: p.message }, '!') });
      }
    },
    /** Scrolls the element into view and selects it (from the problems panel). */
    reveal(elementId) {
      const el = registry.get(elementId);
      if (!el) return;
      canvas.scrollToElement(el);
      modeler.get('selection').select(el);
    },
    destroy: () => modeler.destroy(),
  };
}
