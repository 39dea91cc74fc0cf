/**
 * Narrow declarations of what the modeler uses from libraries that ship no types. Each names only the shape used
 * here; diagram-js modules are plain objects of service definitions.
 */
declare module 'bpmn-js-bpmnlint' {
  const lintModule: Record<string, unknown>;
  export default lintModule;
}

declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  export const CamundaPlatformPropertiesProviderModule: Record<string, unknown>;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-platform' {
  const behaviors: Record<string, unknown>;
  export default behaviors;
}

declare module 'bpmnlint/rules/*' {
  /** A bpmnlint rule factory. */
  const rule: () => { check: (node: unknown, reporter: unknown) => void };
  export default rule;
}

declare module 'dmn-js/lib/Modeler' {
  /** One view of a DMN file: the requirements diagram, a decision table or a literal expression. */
  export interface DmnView {
    type: 'drd' | 'decisionTable' | 'literalExpression' | 'boxedExpression';
    name?: string;
    element: { id: string; name?: string };
  }

  export default class DmnModeler {
    constructor(options: Record<string, unknown>);
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options: { format: boolean }): Promise<{ xml: string }>;
    getViews(): DmnView[];
    getActiveView(): DmnView | undefined;
    open(view: DmnView): Promise<unknown>;
    on(event: 'views.changed', listener: () => void): void;
    destroy(): void;
  }
}
