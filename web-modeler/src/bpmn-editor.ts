/**
 * The BPMN editor: bpmn-js Modeler with the Camunda 7 properties panel, Camunda behaviours, live bpmnlint
 * and the server's problems drawn as red markers on the elements they name.
 */
import BpmnModeler from 'bpmn-js/lib/Modeler';
import lintModule from 'bpmn-js-bpmnlint';
import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule, CamundaPlatformPropertiesProviderModule } from 'bpmn-js-properties-panel';
import camundaBehaviors from 'camunda-bpmn-js-behaviors/lib/camunda-platform';
import camundaModdle from 'camunda-bpmn-moddle/resources/camunda.json';
import type Canvas from 'diagram-js/lib/core/Canvas';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays';
import type Selection from 'diagram-js/lib/features/selection/Selection';
import { h } from '../../web-shared/src/dom';
import type { Editor } from './editor';
import { translateModule } from './i18n';
import { bpmnlintConfig } from './lint-config';
import type { Diff, LiveActivity, Problem } from './model';

const PROBLEM = 'server-problem';
const LIVE = 'live';
const DIFF = { added: 'diff-added', changed: 'diff-changed' } as const;

/** Below this scale the labels of a wide diagram cannot be read. */
const READABLE = 0.7;

export function createBpmnEditor(host: HTMLElement): Editor {
  const canvasEl = h('div', { class: 'editor-canvas' });
  const panelEl = h('div', { class: 'editor-properties' });
  host.replaceChildren(canvasEl, panelEl);

  const modeler = new BpmnModeler({
    container: canvasEl,
    propertiesPanel: { parent: panelEl },
    linting: { bpmnlint: bpmnlintConfig, active: true },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      CamundaPlatformPropertiesProviderModule,
      camundaBehaviors,
      lintModule,
      translateModule,
    ],
    moddleExtensions: { camunda: camundaModdle },
  });
  let lintErrors = 0;
  modeler.on('linting.completed', ({ issues }: { issues: Record<string, { category: string }[]> }) => {
    lintErrors = Object.values(issues)
      .flat()
      .filter((i) => i.category === 'error').length;
  });

  const overlays = modeler.get<Overlays>('overlays');
  const canvas = modeler.get<Canvas>('canvas');
  const registry = modeler.get<ElementRegistry>('elementRegistry');
  let marked: string[] = [];
  /** Element id and marker of what a comparison or the live view coloured. */
  let diffMarked: [string, string][] = [];
  let liveMarked: [string, string][] = [];

  /** The whole diagram if it fits at a readable scale; else its beginning at that scale, to pan from. */
  function fit() {
    const { inner, outer } = canvas.viewbox();
    const scale = Math.max(Math.min((outer.width - 160) / inner.width, (outer.height - 60) / inner.height, 1), READABLE);
    canvas.viewbox({ x: inner.x - 140 / scale, y: inner.y - 30 / scale, width: outer.width / scale, height: outer.height / scale });
  }

  return {
    kind: 'process',
    async importXml(xml: string) {
      marked = [];
      diffMarked = [];
      liveMarked = [];
      const { warnings } = await modeler.importXML(xml);
      fit();
      return warnings;
    },
    async saveXml() {
      return (await modeler.saveXML({ format: true })).xml ?? '';
    },
    /** Errors the live bpmnlint found: deploying is refused while there are any. */
    clientErrors: () => lintErrors,
    showProblems(problems: Problem[]) {
      overlays.remove({ type: PROBLEM });
      for (const id of marked) if (registry.get(id)) canvas.removeMarker(id, PROBLEM);
      marked = [];
      for (const p of problems) {
        if (!p.elementId || !registry.get(p.elementId)) continue;
        canvas.addMarker(p.elementId, PROBLEM);
        marked.push(p.elementId);
        overlays.add(p.elementId, PROBLEM, { position: { top: -10, left: -10 }, html: h('div', { class: 'problem-badge', title: p.message }, '!') });
      }
    },
    /** Colours the elements a version comparison found added or changed (removed ones are not on this diagram). */
    markDiff(diff: Diff) {
      this.clearDiff();
      for (const [list, marker] of [
        [diff.added, DIFF.added],
        [diff.changed, DIFF.changed],
      ] as const) {
        for (const c of list) {
          if (!registry.get(c.id)) continue;
          canvas.addMarker(c.id, marker);
          diffMarked.push([c.id, marker]);
        }
      }
    },
    clearDiff() {
      for (const [id, marker] of diffMarked) if (registry.get(id)) canvas.removeMarker(id, marker);
      diffMarked = [];
    },
    /**
     * The live view: badges with running tokens, incidents and overdue work orders, and a red heat by the
     * share of overdue work orders. Shapes on every plane get theirs (collapsed sub-processes included).
     */
    showLive(activities: Record<string, LiveActivity>) {
      this.clearLive();
      for (const [id, a] of Object.entries(activities)) {
        const el = registry.get(id);
        if (!el || (a.running === 0 && a.incidents === 0)) continue;
        const badges = [
          a.running > 0 && h('span', { class: 'live-badge running', title: `运行中：${a.running}` }, String(a.running)),
          a.incidents > 0 && h('span', { class: 'live-badge incidents', title: `异常（incident）：${a.incidents}` }, `⚠${a.incidents}`),
          a.overdue > 0 && h('span', { class: 'live-badge overdue', title: `超期工单：${a.overdue}` }, `超期${a.overdue}`),
        ];
        overlays.add(id, LIVE, {
          position: { bottom: 10, left: -8 },
          scale: { min: 1 },
          html: h('div', { class: 'live-badges', 'data-activity': id }, ...badges),
        });
        if (a.overdue > 0) {
          const heat = a.overdue / Math.max(a.running, 1) >= 0.5 ? 'live-heat-high' : 'live-heat-low';
          canvas.addMarker(id, heat);
          liveMarked.push([id, heat]);
        }
      }
    },
    clearLive() {
      overlays.remove({ type: LIVE });
      for (const [id, marker] of liveMarked) if (registry.get(id)) canvas.removeMarker(id, marker);
      liveMarked = [];
    },
    /** Scrolls the element into view and selects it (from the problems panel). */
    reveal(elementId: string) {
      const el = registry.get(elementId);
      if (!el) return;
      canvas.scrollToElement(el);
      modeler.get<Selection>('selection').select(el);
    },
    destroy: () => modeler.destroy(),
  };
}
