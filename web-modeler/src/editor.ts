/** What the workspace asks of every editor (BPMN, DMN, form), whichever library is underneath. */
import type { Diff, Kind, LiveActivity, Problem } from './model';

export interface Editor {
  kind: Kind;
  /** Opens a document (XML, or a form's JSON); resolves to the import warnings. */
  importXml(xml: string): Promise<unknown[]>;
  saveXml(): Promise<string>;
  /** Errors found in the browser, which block deploying. */
  clientErrors(): number;
  clientErrorMessage?(): string;
  showProblems(problems: Problem[]): void;
  reveal(elementId: string): void;
  markDiff(diff: Diff): void;
  clearDiff(): void;
  showLive(activities: Record<string, LiveActivity>): void;
  clearLive(): void;
  /** Forms only: the viewer with sample data instead of the editor. */
  setPreview?(on: boolean): Promise<void>;
  destroy(): void;
}
